"""The NeaR training objective in torch: shared by head mode and CLIP fine-tuning.

The *step*: :meth:`NearObjective.refine_targets` is one refinement of the training targets
(called once per round by the algorithm, :func:`near_core.near.refine_head`, and once per
epoch by CLIP training, :mod:`near_core.train.loop`); the *algorithm* is
:mod:`near_core.near`, the *stage* over a run directory :mod:`near_core.refine`.

Shapes: ``B`` samples in a batch, ``N`` samples in the training set, ``C`` classes of the
vocabulary, ``D`` feature dimension.

* :class:`CosineHead` -- ``logits = s * cos(f(x), t_c)``, ``(B, D) -> (B, C)``.
* :func:`candidate_ce` -- weighted cross-entropy over candidate sets, ``(B,)``.
* :func:`candidate_set_loss` -- ``-log sum_{c in S_i} p(c|x_i)``, ``(B,)``: the per-sample
  loss the GMM splits into clean and noisy.
* :func:`fit_clean_prob` -- 2-component 1-d GMM on per-sample losses -> ``P(clean)``, ``(N,)``.
* :func:`refine_weights` -- new target weights: clean samples ``w ∝ p(c|x)·1[c∈S_i]``, noisy
  samples a sharpened prediction over the whole vocabulary, down-weighted.

The refinement functions are pure and deterministic: under DDP, all-gather the per-sample
losses / probabilities (ordered by sample index), call :meth:`NearObjective.refine_targets` on one
rank (or on all ranks, with identical results) and broadcast / scatter the new weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

_EPS = 1e-12


class CosineHead(nn.Module):
    """Cosine classifier ``logits = scale * <normalize(x), normalize(t_c)>``.

    Args:
        class_vectors: ``(C, D)`` initial class vectors (text embeddings or class means);
            normalised on the fly, so their norm does not matter.
        scale: the logit scale ``s`` (fixed; CLIP's learned scale is about 100).
        learn_scale: make ``s`` a trainable parameter (stored as its log).
        center: optional ``(D,)`` vector subtracted from the features before normalising
            (the mean training feature: removes the component all embeddings share, which
            otherwise squeezes every cosine towards 1). A buffer, saved with the head.
    """

    def __init__(self, class_vectors: Tensor, *, scale: float = 30.0, learn_scale: bool = False,
                 center: Tensor | None = None):
        super().__init__()
        self.weight = nn.Parameter(class_vectors.detach().clone().float())
        dim = self.weight.shape[1]
        self.register_buffer(
            "center", torch.zeros(dim) if center is None else center.detach().clone().float()
        )
        log_s = torch.tensor(float(scale)).log()
        if learn_scale:
            self.log_scale = nn.Parameter(log_s)
        else:
            self.register_buffer("log_scale", log_s)

    @property
    def scale(self) -> Tensor:
        return self.log_scale.exp()

    def forward(self, features: Tensor) -> Tensor:
        """``(B, D)`` features -> ``(B, C)`` logits."""
        feats = F.normalize(features - self.center.to(features.dtype), dim=-1)
        return self.scale * feats @ F.normalize(self.weight, dim=-1).T


def candidate_ce(
    logits: Tensor, weights: Tensor, sample_weight: Tensor | None = None
) -> Tensor:
    """Weighted cross-entropy ``-sum_c w_i(c) log p(c|x_i)`` per sample.

    Args:
        logits: ``(B, C)``.
        weights: ``(B, C)`` target weights, each row a distribution (zero outside S_i for
            clean samples; any distribution for noisy ones).
        sample_weight: optional ``(B,)`` multiplier per sample (noisy samples weigh less).
    Returns:
        ``(B,)`` losses (reduce with ``.mean()`` or ``.sum() / n`` yourself).
    """
    loss = -(weights * F.log_softmax(logits.float(), dim=-1)).sum(dim=-1)
    return loss if sample_weight is None else loss * sample_weight


def candidate_set_loss(logits: Tensor, cand_mask: Tensor) -> Tensor:
    """``-log sum_{c in S_i} p(c|x_i)`` per sample: ``(B, C), (B, C) bool -> (B,)``.

    Rows with an empty candidate set get loss ``+inf`` only if the mask is all False;
    callers give every sample at least one candidate.
    """
    logp = F.log_softmax(logits.float(), dim=-1)
    return -torch.logsumexp(logp.masked_fill(~cand_mask, float("-inf")), dim=-1)


def fit_clean_prob(losses: Tensor, *, max_iter: int = 100, tol: float = 1e-6,
                   reg: float = 1e-4) -> Tensor:
    """Posterior of the low-mean component of a 2-component 1-d GMM fitted by EM.

    Deterministic: initialised from the 25% / 75% quantiles (no random state), computed
    in float64 on the losses' device. Losses are min-max normalised first (as in DivideMix),
    so ``reg`` (variance floor) is scale free.

    Args:
        losses: ``(N,)`` per-sample losses (all samples, e.g. all-gathered across ranks).
    Returns:
        ``(N,)`` float32 ``P(clean)`` in [0, 1]. When the losses are (nearly) constant every
        sample is clean (probability 1).
    """
    x = losses.detach().double().flatten()
    lo, hi = x.min(), x.max()
    if x.numel() < 2 or float(hi - lo) < 1e-8:
        return torch.ones_like(x, dtype=torch.float32)
    x = (x - lo) / (hi - lo)
    mu = torch.stack([torch.quantile(x, 0.25), torch.quantile(x, 0.75)])
    var = torch.full((2,), float(x.var()) / 4 + reg, dtype=x.dtype, device=x.device)
    pi = torch.full((2,), 0.5, dtype=x.dtype, device=x.device)
    prev = None
    for _ in range(max_iter):
        log_p = (
            -0.5 * (x[:, None] - mu) ** 2 / var - 0.5 * torch.log(2 * torch.pi * var) + pi.log()
        )
        ll = torch.logsumexp(log_p, dim=1)
        resp = (log_p - ll[:, None]).exp()
        nk = resp.sum(0) + _EPS
        pi = nk / nk.sum()
        mu = (resp * x[:, None]).sum(0) / nk
        var = (resp * (x[:, None] - mu) ** 2).sum(0) / nk + reg
        cur = float(ll.mean())
        if prev is not None and abs(cur - prev) < tol:
            break
        prev = cur
    clean = int(torch.argmin(mu))
    return resp[:, clean].float()


def refine_weights(
    probs: Tensor,
    cand_mask: Tensor,
    clean_prob: Tensor,
    *,
    previous: Tensor | None = None,
    threshold: float = 0.5,
    temperature: float = 0.5,
    noisy_weight: float = 0.5,
    momentum: float = 0.0,
) -> tuple[Tensor, Tensor]:
    """New target weights from the model's predictions.

    Args:
        probs: ``(N, C)`` model probabilities ``p(c|x_i)``.
        cand_mask: ``(N, C)`` bool, the candidate sets S_i.
        clean_prob: ``(N,)`` ``P(clean)`` from :func:`fit_clean_prob`.
        previous: optional ``(N, C)`` current weights, blended in with ``momentum``.
        threshold: samples with ``P(clean) >= threshold`` are clean.
        temperature: sharpening of noisy samples' pseudo-labels, ``p^(1/T)`` renormalised.
        noisy_weight: per-sample loss multiplier of noisy samples (clean samples get 1).
        momentum: ``w <- momentum * previous + (1 - momentum) * new``.
    Returns:
        ``(weights (N, C), sample_weight (N,))``; each weight row sums to 1; clean rows are
        zero outside S_i.
    """
    probs = probs.detach().float()
    clean = clean_prob.detach().to(probs.device) >= threshold
    restricted = probs * cand_mask
    restricted = restricted / restricted.sum(-1, keepdim=True).clamp_min(_EPS)
    sharp = probs.clamp_min(_EPS).log() / temperature
    sharp = torch.softmax(sharp, dim=-1)
    new = torch.where(clean[:, None], restricted, sharp)
    if previous is not None and momentum > 0:
        new = momentum * previous.to(new) + (1 - momentum) * new
        new = new / new.sum(-1, keepdim=True).clamp_min(_EPS)
    sample_weight = torch.where(
        clean, torch.ones_like(clean_prob, dtype=new.dtype), torch.full_like(
            clean_prob, noisy_weight, dtype=new.dtype)
    )
    return new, sample_weight


@dataclass(frozen=True)
class NearObjective:
    """The NeaR loss and per-epoch refinement with its hyperparameters bundled.

    Usage in a training loop (single process or DDP)::

        obj = NearObjective()
        loss = obj.loss(logits, weights[idx], sample_weight[idx]).mean()
        ...
        # after warm-up, once per epoch, on all-gathered (N, C) logits ordered by index:
        weights, sample_weight, clean_prob = obj.refine_targets(all_logits, cand_mask, weights)
    """

    threshold: float = 0.5
    temperature: float = 0.5
    noisy_weight: float = 0.5
    momentum: float = 0.0

    def loss(
        self, logits: Tensor, weights: Tensor, sample_weight: Tensor | None = None
    ) -> Tensor:
        """``(B, C), (B, C), (B,) -> (B,)`` weighted candidate-set cross-entropy."""
        return candidate_ce(logits, weights, sample_weight)

    def refine_targets(
        self, logits: Tensor, cand_mask: Tensor, weights: Tensor | None = None
    ) -> tuple[Tensor, Tensor, Tensor]:
        """One NeaR refinement step of the targets: ``(N, C) logits, (N, C) mask, (N, C)
        weights`` -> ``(new weights (N, C), sample_weight (N,), clean_prob (N,))``."""
        logits = logits.detach().float()
        clean_prob = fit_clean_prob(candidate_set_loss(logits, cand_mask))
        new, sample_weight = refine_weights(
            torch.softmax(logits, dim=-1),
            cand_mask,
            clean_prob,
            previous=weights,
            threshold=self.threshold,
            temperature=self.temperature,
            noisy_weight=self.noisy_weight,
            momentum=self.momentum,
        )
        return new, sample_weight, clean_prob
