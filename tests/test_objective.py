"""The NeaR objective (torch): losses, GMM clean split, refinement, cosine head."""

from __future__ import annotations

import math

import torch

from near_core.objective import (
    CosineHead,
    NearObjective,
    candidate_ce,
    candidate_set_loss,
    fit_clean_prob,
    refine_weights,
)


def test_candidate_ce_and_set_loss_hand_computed():
    logits = torch.log(torch.tensor([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]]))
    w = torch.tensor([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    ce = candidate_ce(logits, w)
    torch.testing.assert_close(ce, torch.tensor([-(0.5 * math.log(0.5) + 0.5 * math.log(0.25)),
                                                 -math.log(0.8)]))
    torch.testing.assert_close(candidate_ce(logits, w, torch.tensor([1.0, 0.5])),
                               ce * torch.tensor([1.0, 0.5]))
    mask = w > 0
    torch.testing.assert_close(candidate_set_loss(logits, mask),
                               torch.tensor([-math.log(0.75), -math.log(0.8)]))


def test_gmm_separates_low_and_high_losses_deterministically():
    g = torch.Generator().manual_seed(0)
    losses = torch.cat([0.1 * torch.rand(70, generator=g), 2 + 0.3 * torch.rand(30, generator=g)])
    p = fit_clean_prob(losses)
    assert p.shape == (100,) and p.dtype == torch.float32
    assert (p[:70] > 0.99).all() and (p[70:] < 0.01).all()
    torch.testing.assert_close(p, fit_clean_prob(losses))
    assert (fit_clean_prob(torch.full((5,), 0.3)) == 1).all()


def test_refine_weights_clean_restricted_noisy_sharpened():
    probs = torch.tensor([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]])
    mask = torch.tensor([[True, True, False], [True, True, False]])
    clean = torch.tensor([0.9, 0.1])
    w, sw = refine_weights(probs, mask, clean, temperature=0.5, noisy_weight=0.25)
    torch.testing.assert_close(w[0], torch.tensor([2 / 3, 1 / 3, 0.0]))
    sharp = probs[1] ** 2 / (probs[1] ** 2).sum()
    torch.testing.assert_close(w[1], sharp)
    torch.testing.assert_close(sw, torch.tensor([1.0, 0.25]))
    prev = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    w2, _ = refine_weights(probs, mask, clean, previous=prev, momentum=0.5)
    torch.testing.assert_close(w2.sum(1), torch.ones(2))
    torch.testing.assert_close(w2[0], 0.5 * prev[0] + 0.5 * torch.tensor([2 / 3, 1 / 3, 0.0]))


def test_objective_refine_targets_and_cosine_head_shapes():
    head = CosineHead(torch.eye(4)[:3], scale=10.0)
    x = torch.randn(6, 4, generator=torch.Generator().manual_seed(1))
    logits = head(x)
    assert logits.shape == (6, 3) and float(logits.detach().abs().max()) <= 10.0 + 1e-4
    mask = torch.zeros(6, 3, dtype=torch.bool)
    mask[:, 0] = True
    w, sw, cp = NearObjective().refine_targets(logits, mask, mask.float())
    assert w.shape == (6, 3) and sw.shape == (6,) and cp.shape == (6,)
    torch.testing.assert_close(w.sum(1), torch.ones(6))
    loss = NearObjective().loss(logits, w, sw).mean()
    loss.backward()
    assert head.weight.grad is not None
    learned = CosineHead(torch.eye(3), learn_scale=True)
    assert any(p is learned.log_scale for p in learned.parameters())


def test_centred_cosine_head_separates_classes_in_a_narrow_cone():
    """Weak encoders put every embedding near one direction: without the centre a cosine head
    sees cosines ~1 for every class; centring on the mean feature restores the classes."""
    gen = torch.Generator().manual_seed(0)
    common = torch.randn(32, generator=gen) * 10
    directions = torch.randn(3, 32, generator=gen)
    y = torch.arange(60) % 3
    feats = common + directions[y] * 0.3 + 0.05 * torch.randn(60, 32, generator=gen)
    center = feats.mean(0)
    means = torch.stack([(feats[y == c] - center).mean(0) for c in range(3)])
    plain = CosineHead(means + center, scale=20.0)(feats).softmax(-1)
    centred = CosineHead(means, scale=20.0, center=center)(feats).softmax(-1)
    assert plain.max(-1).values.mean() < 0.5  # nearly uniform: the classes are squeezed
    assert (centred.argmax(-1) == y).float().mean() == 1.0
    assert centred.max(-1).values.mean() > 0.9
    assert torch.equal(CosineHead(means, center=center).state_dict()["center"], center)
