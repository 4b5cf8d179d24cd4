"""Target refinement from gathered per-sample statistics (near_core.train.targets) equals the
dense NeaR refinement, with O(K) numbers per sample whatever the number of classes."""

from __future__ import annotations

import torch

from near_core.distributed import DistInfo
from near_core.objective import NearObjective, candidate_set_loss
from near_core.train.targets import Candidates, batch_stats, gather_stats, refine_targets


def _problem(n: int, n_cls: int, seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    logits = 4 * torch.randn(n, n_cls, generator=g)
    mask = torch.rand(n, n_cls, generator=g) < 3 / n_cls
    mask[torch.arange(n), torch.randint(n_cls, (n,), generator=g)] = True
    weights = mask * torch.rand(n, n_cls, generator=g)
    return logits, mask, weights / weights.sum(1, keepdim=True)


def _stats(logits, cands, t, *, temperature, k=32, label_col=None):
    idx = torch.arange(len(logits))
    halves = [idx[: len(idx) // 2], idx[len(idx) // 2:]]  # two batches, as a loader gives
    rows = [batch_stats(logits[h], h, cands, temperature=temperature, label_col=label_col, k=k)
            for h in halves]
    return gather_stats(rows, halves, len(logits), cands, DistInfo(), torch.device("cpu"))


def test_refine_from_stats_equals_dense_refine():
    obj = NearObjective(threshold=0.5, temperature=0.5, noisy_weight=0.5, momentum=0.5)
    logits, mask, weights = _problem(40, 6, seed=0)
    t = 30  # the last 10 rows are held out: no candidate set, no target
    cands = Candidates.from_weights(weights[:t])
    stats = _stats(logits, cands, t, temperature=obj.temperature)
    torch.testing.assert_close(stats.loss[:t], candidate_set_loss(logits[:t], mask[:t]))
    assert (stats.loss[t:] == 0).all()
    assert torch.equal(stats.predicted, logits.argmax(1))
    new, sample_weight, clean = refine_targets(stats, cands, weights[:t], obj)
    ref = obj.refine_targets(logits[:t], mask[:t], weights[:t])
    torch.testing.assert_close(new, ref[0], atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(sample_weight, ref[1])
    torch.testing.assert_close(clean, ref[2])
    assert 0 < int((clean >= 0.5).sum()) < t  # both clean and noisy rows were exercised


def test_stats_are_top_k_wide_and_keep_the_label_probability():
    logits, _, weights = _problem(12, 500, seed=1)
    cands = Candidates.from_weights(weights)
    label = weights.argmax(1)
    stats = _stats(logits, cands, 12, temperature=0.5, k=8, label_col=label)
    assert stats.top_idx.shape == stats.top_p.shape == (12, 8)
    assert stats.cand_p.shape == cands.idx.shape and cands.idx.shape[1] < 20
    probs = torch.softmax(logits, 1)
    torch.testing.assert_close(stats.label_p, probs.gather(1, label[:, None])[:, 0])
    torch.testing.assert_close(stats.top_p, probs.topk(8, 1).values)
    obj = NearObjective(momentum=0.0, threshold=2.0)  # every row noisy: top-8 sharpened rows
    new, _, _ = refine_targets(stats, cands, weights, obj)
    assert ((new > 0).sum(1) <= 8).all()
    torch.testing.assert_close(new.sum(1), torch.ones(12))
