"""Per-sample prediction statistics and the NeaR target refinement built from them.

What a prediction pass keeps of each sample's ``(C,)`` logits is O(K), never ``C``: the
candidate-set loss, the probabilities at its candidate columns, the top-``K`` classes, the
normaliser of the sharpened prediction and the probability of one chosen column. Under DDP
these rows are all-gathered in sample order (``N x (Kc + 2K + 3)`` numbers), so no rank sends
or receives ``N x C``; every rank then refines identically (CPU, float32, same inputs) and no
target matrix is broadcast.

:func:`refine_targets` equals :meth:`near_core.objective.NearObjective.refine_targets` on the dense
logits while ``K >= C`` (the noisy samples' sharpened rows are exact); with more classes a
noisy row keeps its top ``K`` classes, renormalised (the sharpening, ``p^(1/T)``, puts almost
all mass there).

Shapes: ``N`` samples (training rows first, ``t`` of them), ``C`` classes, ``Kc`` candidate
slots per row, ``K`` top classes.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from near_core.distributed import DistInfo, gather_rows
from near_core.objective import NearObjective, fit_clean_prob

#: classes kept per sample of a prediction pass (noisy targets, predictions)
TOP_K = 32
_EPS = 1e-12


@dataclass(frozen=True)
class Candidates:
    """Candidate sets of the ``t`` training rows as padded columns: ``idx`` (t, Kc) long,
    ``valid`` (t, Kc) bool (padding: column 0, invalid)."""

    idx: Tensor
    valid: Tensor

    @classmethod
    def from_weights(cls, weights: Tensor) -> Candidates:
        """The nonzero columns of ``(t, C)`` target weights."""
        mask = weights > 0
        width = max(int(mask.sum(1).max()) if len(mask) else 0, 1)
        valid, idx = torch.zeros(len(mask), width, dtype=torch.bool), torch.zeros(
            len(mask), width, dtype=torch.long)
        for r, cols in enumerate(mask):
            nz = cols.nonzero()[:, 0]
            idx[r, : len(nz)], valid[r, : len(nz)] = nz, True
        return cls(idx, valid)

    def __len__(self) -> int:
        return len(self.idx)


@dataclass
class SampleStats:
    """One pass's per-sample rows in sample order: ``loss`` (N,) candidate-set loss
    ``-log sum_{c in S_i} p(c|x_i)`` (0 on held-out rows), ``cand_p`` (N, Kc) probabilities at
    the candidate columns (0 at padding and on held-out rows), ``top_idx``/``top_p`` (N, K)
    best classes and their probabilities, ``sharp_lz`` (N,) ``logsumexp_c log p_c / T``,
    ``label_p`` (N,) the probability of the column asked for (else of the top class)."""

    loss: Tensor
    cand_p: Tensor
    top_idx: Tensor
    top_p: Tensor
    sharp_lz: Tensor
    label_p: Tensor

    @property
    def predicted(self) -> Tensor:
        """(N,) top class."""
        return self.top_idx[:, 0]


def batch_stats(logits: Tensor, idx: Tensor, cands: Candidates, *, temperature: float,
                label_col: Tensor | None = None, k: int = TOP_K) -> Tensor:
    """``(B, C)`` logits of samples ``idx`` (B,) -> ``(B, 1 + Kc + 2K' + 2)`` float64 packed
    rows of :class:`SampleStats` (``K' = min(k, C)``, indices exact as float64)."""
    logp = torch.log_softmax(logits.detach().float(), dim=-1)
    t = len(cands)
    train = idx < t
    row = idx.clamp(max=max(t - 1, 0)).cpu()
    ci = cands.idx[row].to(logp.device)
    cv = (cands.valid[row].to(logp.device) & train[:, None]) if t else torch.zeros_like(
        ci, dtype=torch.bool)
    cand_logp = logp.gather(1, ci).masked_fill(~cv, float("-inf"))
    loss = torch.where(train, -torch.logsumexp(cand_logp, 1), torch.zeros_like(logp[:, 0]))
    p = logp.exp()
    top_p, top_idx = p.topk(min(k, p.shape[1]), dim=-1)
    sharp_lz = torch.logsumexp(p.clamp_min(_EPS).log() / temperature, dim=-1)
    label_p = top_p[:, 0]
    if label_col is not None:
        col = label_col.to(logp.device)[idx]
        label_p = torch.where(col >= 0, p.gather(1, col.clamp_min(0)[:, None])[:, 0], label_p)
    return torch.cat([loss[:, None], cand_logp.exp(), top_idx.double(), top_p.double(),
                      sharp_lz[:, None], label_p[:, None]], dim=1).double()


def gather_stats(rows: list[Tensor], idx: list[Tensor], n: int, cands: Candidates,
                 info: DistInfo, device: torch.device) -> SampleStats:
    """This rank's packed rows (:func:`batch_stats`) of samples ``idx`` -> every sample's
    :class:`SampleStats` (all-gathered in sample order under DDP)."""
    kc = cands.idx.shape[1]
    width = rows[0].shape[1] if rows else 0
    values = torch.cat(rows) if rows else torch.zeros(0, width, dtype=torch.float64,
                                                      device=device)
    index = torch.cat(idx) if idx else torch.zeros(0, dtype=torch.long, device=device)
    packed = gather_rows(values, index, n, info).cpu()
    k = (packed.shape[1] - kc - 3) // 2
    return SampleStats(
        loss=packed[:, 0].float(), cand_p=packed[:, 1: 1 + kc].float(),
        top_idx=packed[:, 1 + kc: 1 + kc + k].long(),
        top_p=packed[:, 1 + kc + k: 1 + kc + 2 * k].float(),
        sharp_lz=packed[:, -2].float(), label_p=packed[:, -1].float())


def refine_targets(stats: SampleStats, cands: Candidates, previous: Tensor,
                   objective: NearObjective) -> tuple[Tensor, Tensor, Tensor]:
    """The refined targets of the ``t`` training rows from the gathered ``stats``:
    ``(weights (t, C), sample_weight (t,), clean_prob (t,))``. Clean rows (``P(clean) >=
    threshold`` of the GMM on the candidate-set losses): the prediction restricted to the
    candidate set; noisy rows: the sharpened prediction (top K); blended with ``previous``
    (t, C) by the objective's momentum."""
    t, n_cls = previous.shape
    clean_prob = fit_clean_prob(stats.loss[:t])
    clean = clean_prob >= objective.threshold
    cand_p = stats.cand_p[:t]
    restricted = cand_p / cand_p.sum(-1, keepdim=True).clamp_min(_EPS)
    sharp = (stats.top_p[:t].clamp_min(_EPS).log() / objective.temperature
             - stats.sharp_lz[:t, None]).exp()
    sharp = sharp / sharp.sum(-1, keepdim=True).clamp_min(_EPS)
    new = torch.zeros(t, n_cls)
    new.scatter_add_(1, cands.idx, torch.where(clean[:, None], restricted, 0.0))
    new.scatter_add_(1, stats.top_idx[:t], torch.where(clean[:, None], 0.0, sharp))
    if objective.momentum > 0:
        new = objective.momentum * previous.float() + (1 - objective.momentum) * new
        new = new / new.sum(-1, keepdim=True).clamp_min(_EPS)
    sample_weight = torch.where(clean, 1.0, objective.noisy_weight).float()
    return new, sample_weight, clean_prob
