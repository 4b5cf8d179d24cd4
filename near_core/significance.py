"""Small tests of whether one labelling agrees with the MLLM more than another, or than chance.

The in-run validation (:mod:`near_core.train.validation`) and the clump test of the kNN vote
(:mod:`near_core.vote`) decide with these; inputs are hits, (V,) bool tensors or arrays
saying whether each image's prediction equals its MLLM label.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

#: Standard errors (binomial, at the chance rate) a rate must clear above chance.
CHANCE_Z = 2.0
#: Paired standard errors by which a costlier classifier (kNN vote, trained) must beat every
#: simpler one to be kept (:func:`clearly_better`).
GUARD_Z = 1.0


def clearly_better(a: Any, b: Any, *, z: float = GUARD_Z) -> bool:
    """True when hits ``a`` (V,) bool beat hits ``b`` (V,) on the same images by more than
    ``z`` paired standard errors (McNemar: of the images only one of the two gets right, ``a``
    must get ``z * sqrt(discordant)`` more; a tie is never clearly better)."""
    gain, loss = int((a & ~b).sum()), int((b & ~a).sum())
    return gain - loss > z * (gain + loss) ** 0.5 if gain + loss else False


def majority_rate(labels: Tensor) -> float:
    """Share of ``labels`` (N,) equal to the most common one (-1: no label, never counted as
    a class): the agreement of a classifier that ignores the image and names that label."""
    named = labels[labels >= 0]
    if not len(labels) or not len(named):
        return 0.0
    return float(torch.bincount(named).max()) / len(labels)


def above_chance(rate: float, chance: float, images: int, *, z: float = CHANCE_Z) -> bool:
    """Whether an agreement ``rate`` over ``images`` clears the ``chance`` rate by ``z``
    binomial standard errors (taken at the chance rate)."""
    return rate >= chance + z * (chance * (1.0 - chance) / max(images, 1)) ** 0.5
