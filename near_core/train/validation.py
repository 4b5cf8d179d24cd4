"""Prototype classifiers and the in-run validation of every stage against the MLLM.

A prototype classifier puts each class vector at the mean (centred, normalised) embedding of
the images given that class. On the held-out slice of MLLM-named images (never trained on),
four classifiers are scored by their agreement with the MLLM's own label:

* ``raw_prototypes`` -- prototypes of the MLLM's raw labels on the training images;
* ``refined`` -- prototypes of NeaR's refined labels (the refine stage);
* ``knn`` -- the kNN vote of the training images' refined labels (:mod:`near_core.vote`);
* ``trained`` -- the trained CLIP classifier (head or fine-tuned).

The bundle keeps the best prototype classifier unless a costlier one agrees with the MLLM
clearly more often than every simpler one on the slice (the guard, :func:`choose`; prototypes
and votes are computed over the ORIGINAL tower's embeddings: when one of them is kept after
fine-tuning, the bundle holds the original tower, not the fine-tuned one);
``RUN/validation.json`` records the scores, and a trained classifier that loses to the
raw-label prototypes, or a run where no classifier clears chance, is flagged loudly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor

from near_core.significance import GUARD_Z, above_chance, clearly_better
from near_core.store import atomic_write_bytes

STAGES = ("raw_prototypes", "refined", "knn", "trained")
VALIDATION_FILE = "validation.json"
VALIDATION_SCHEMA = 1
#: Held-out images below which the chance check says nothing (the test has no power there).
CHANCE_MIN_IMAGES = 10


def centred(features: Tensor, center: Tensor) -> Tensor:
    """``(N, D)`` features minus ``center`` (D,), L2-normalised."""
    return F.normalize(features.float() - center.float(), dim=-1)


def prototypes(features: Tensor, weights: Tensor, fallback: Tensor | None = None) -> Tensor:
    """``(C, D)`` normalised weighted class means of ``(N, D)`` features under ``(N, C)``
    weights; classes without weight get their ``fallback`` row (zeros when None)."""
    means = weights.float().T @ features.float()
    empty = weights.sum(0) <= 0
    if fallback is not None:
        means[empty] = fallback.float()[empty]
    return F.normalize(means, dim=-1)


def one_hot(labels: Tensor, n_classes: int) -> Tensor:
    """``(N,)`` label columns (-1: none) -> ``(N, C)`` float one-hot rows (zero for -1)."""
    out = torch.zeros(len(labels), n_classes)
    keep = labels >= 0
    out[keep.nonzero()[:, 0], labels[keep]] = 1.0
    return out


def prototype_logits(features: Tensor, vectors: Tensor, present: Tensor, scale: float) -> Tensor:
    """``(N, C)`` cosine logits of centred features; classes not ``present`` (C,) get -inf."""
    logits = scale * features @ vectors.T
    return logits.masked_fill(~present, float("-inf"))


def agreement(predictions: Tensor, labels: Tensor) -> float:
    """Share of rows whose prediction equals ``labels`` (N,): ``predictions`` are (N, C)
    logits (their argmax) or (N,) predicted columns."""
    if not len(labels):
        return 0.0
    predicted = predictions.argmax(1) if predictions.dim() == 2 else predictions
    return float((predicted == labels).float().mean())


@dataclass
class Validation:
    """Scores of the stages on ``images`` held-out named images (``seed``: the slice's seed)
    and which classifier the bundle keeps (``chosen``: one of :data:`STAGES`)."""

    images: int
    seed: int
    stages: dict[str, float | None]
    chosen: str
    chance: float | None = None  #: agreement of always naming the slice's most common label
    #: :func:`~near_core.vote.clump_test` over every named image: ``images``, the ``vote``
    #: and ``means`` agreement rates with the answers, ``chance`` and ``clumped``
    leave_one_out: dict[str, float | int | bool] | None = None
    #: the labels the kNN vote counts: ``refined`` (refine's), or ``raw`` (the answers) when
    #: their vote agrees with the MLLM on more of the slice
    voters: str | None = None

    @property
    def flag(self) -> str | None:
        """A loud message when the trained classifier agrees less than the raw-label
        prototypes or when no stage is clearly above chance, else None."""
        found = [m for m in (self._losing_head(), self._at_chance()) if m]
        return " ".join(found) or None

    def _losing_head(self) -> str | None:
        t, r = self.stages.get("trained"), self.stages.get("raw_prototypes")
        if not self.images or t is None or r is None or t >= r:
            return None
        kept = {"trained": "trained", "refined": "refined-label prototype",
                "raw_prototypes": "raw-label prototype", "knn": "kNN vote"}[self.chosen]
        return (f"WARNING: the trained classifier agrees with the MLLM on {t:.1%} of the "
                f"{self.images} held-out images, less than the raw-label prototype classifier "
                f"({r:.1%}); the bundle keeps the {kept} classifier. Check the CLIP model "
                "(clip.model / clip.pretrained) and the refined labels.")

    def _at_chance(self) -> str | None:
        scores = [v for v in self.stages.values() if v is not None]
        p = self.chance
        if self.images < CHANCE_MIN_IMAGES or p is None or not scores or p >= 1.0:
            return None
        best = max(scores)
        if above_chance(best, p, self.images):
            return None
        return (f"WARNING: no classifier agrees with the MLLM on the {self.images} held-out "
                f"images clearly more often than always naming its most common label (best "
                f"{best:.1%}, chance {p:.1%}): the embeddings carry little of the MLLM's "
                "classes, so labels of images the MLLM did not name are close to guesses. Use "
                "a stronger CLIP model (clip.model / clip.pretrained), fine-tune "
                "(train.mode=finetune) or name more images (mllm.label_budget, --label-budget).")

    def to_json(self) -> dict:
        return {"schema": VALIDATION_SCHEMA, "images": self.images, "seed": self.seed,
                "stages": {s: self.stages.get(s) for s in STAGES}, "chosen": self.chosen,
                "chance": self.chance, "leave_one_out": self.leave_one_out,
                "voters": self.voters, "flag": self.flag}

    def line(self) -> str:
        if not self.images:
            return "validation: no held-out image (too few named images)"
        scores = ", ".join(f"{s} {self.stages[s]:.3f}" for s in STAGES
                           if self.stages.get(s) is not None)
        return (f"validation: agreement with the MLLM on {self.images} held-out images: "
                f"{scores}; bundle: {self.chosen}")

    def write(self, run_root: Path) -> Path:
        path = Path(run_root) / VALIDATION_FILE
        atomic_write_bytes(path, json.dumps(self.to_json(), indent=2).encode())
        return path


def choose(hits: dict[str, Tensor | None], *, clumped: bool = False, z: float = GUARD_Z) -> str:
    """The classifier the bundle keeps, from ``hits``: stage -> (V,) bool whether its
    prediction of each held-out image equals the MLLM's label (None: no such stage).

    The best prototype classifier (most hits; refined first on a tie); the kNN vote instead
    when the named images are ``clumped`` (each one's answer is predicted clearly better by a
    vote of its neighbours' labels than by the class means of the labels,
    :func:`~near_core.vote.clump_test` over every named image); the trained classifier when
    it is :func:`~near_core.significance.clearly_better` than
    every prototype classifier and than the vote if kept: the simpler classifier is kept
    unless the slice shows the costlier one is better. A trained classifier that only ties or
    edges ahead on a slice of a few dozen noisy labels lost on unseen images in 6 of 20 seeds
    of the sibling regime (BENCHMARKS.md "Regimes"), and a fine-tuned tower that gains
    nothing may have been damaged where the slice cannot see it.
    """
    protos = {s: h for s, h in hits.items() if s in ("raw_prototypes", "refined") and h is not None}
    if not protos:
        return "trained"
    chosen = max(protos, key=lambda s: (int(protos[s].sum()), s == "refined"))
    rivals = list(protos.values())
    vote = hits.get("knn")
    if clumped and vote is not None:
        chosen = "knn"
        rivals.append(vote)
    trained = hits.get("trained")
    if trained is not None and all(clearly_better(trained, h, z=z) for h in rivals):
        return "trained"
    return chosen
