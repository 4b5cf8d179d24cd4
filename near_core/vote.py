"""The kNN vote classifier: the named images themselves, each voting for its label.

A class mean (a prototype classifier, or a cosine head started from one) assumes each class is
one clump of the embedding space. Under a weak or random image tower a class lies in several
clumps; a vote of the ``k`` nearest named images follows them and the class mean averages them
away (BENCHMARKS.md "A random tower"). The in-run validation scores this classifier beside the
prototype classifiers (:mod:`near_core.train.validation`), and the bundle keeps it, as
``knn.safetensors`` beside the class vectors (:mod:`near_core.bundle`), when the named images
are clumped: left out one at a time, their answers are predicted clearly better by the vote than
by the class means (:func:`near_core.train.validation.leave_one_out`).

Features here are the centred, L2-normalised embeddings of the prototype classifiers, so the
inner product is the cosine. The memory is a few thousand named images at most (the label
budget): one exact ``(B, M)`` product per batch, on whatever device the bundle runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from near_core.objective import CosineHead

#: Vote share given to classes no neighbour voted for, so that log shares stay finite.
_FLOOR = 1e-6
#: Weight of a neighbour's rank in the vote: a tie in counts goes to the nearer neighbours.
_RANK_TIE_BREAK = 1e-3


@dataclass
class VoteMemory:
    """The images a kNN vote classifier votes with: ``features`` (M, D) centred, normalised
    embeddings, ``labels`` (M,) long class columns (every one >= 0), ``k`` neighbours."""

    features: Tensor
    labels: Tensor
    k: int

    @classmethod
    def of(cls, features: Tensor, labels: Tensor, *, k: int) -> VoteMemory:
        """The labelled rows (``labels`` >= 0) of ``features`` (N, D) / ``labels`` (N,)."""
        keep = labels >= 0
        return cls(features[keep].float().contiguous(), labels[keep].long().contiguous(), k)

    def fits(self, n_classes: int) -> bool:
        """Whether every label is a row of ``n_classes`` class vectors."""
        return not self.labels.numel() or 0 <= int(self.labels.min()) <= int(self.labels.max()) < n_classes

    def remapped(self, columns: list[int]) -> VoteMemory:
        """The memory with each label replaced by its position in ``columns`` (which must
        hold every label): a bundle keeps only some of the vocabulary's columns."""
        position = torch.full((max(columns) + 1,), -1, dtype=torch.long)
        position[torch.tensor(columns)] = torch.arange(len(columns))
        labels = position[self.labels]
        if (labels < 0).any():
            raise ValueError("vote memory: a label is not among the kept columns")
        return VoteMemory(self.features, labels, self.k)


def vote_logits(features: Tensor, memory: VoteMemory, n_classes: int, *,
                skip: Tensor | None = None) -> Tensor:
    """``(B, C)`` log vote shares of each of ``features`` (B, D) among its ``memory.k``
    nearest memory rows (fewer when the memory is smaller); ``softmax`` of a row is its vote
    shares. ``skip`` (B,): a memory row each query may not count (-1: none), for
    leave-one-out votes of the memory's own images. Equal counts go to the class whose
    voters are nearer."""
    sims = features.float() @ memory.features.to(features.device).T
    if skip is not None:
        rows = (skip >= 0).nonzero()[:, 0]
        sims[rows, skip[rows]] = float("-inf")
    k = min(memory.k, memory.features.shape[0] - (skip is not None and bool((skip >= 0).any())))
    votes = torch.zeros(features.shape[0], n_classes, device=features.device)
    if k <= 0:
        return votes.log_softmax(1)
    idx = sims.topk(k, dim=1).indices
    rank = 1.0 + _RANK_TIE_BREAK * torch.arange(k, 0, -1, device=features.device) / k
    votes.scatter_add_(1, memory.labels.to(features.device)[idx], rank.expand(len(idx), k))
    return (votes / votes.sum(1, keepdim=True) + _FLOOR).log()


class VoteHead(CosineHead):
    """A bundle's head when it keeps the kNN vote classifier: :func:`vote_logits` of the
    centred, normalised features. ``weight`` (C, D) holds the memory's class means, so that
    whatever reads a head's class vectors (discovery's coverage and warm start) sees the
    prototype classifier of the same labels."""

    def __init__(self, memory: VoteMemory, *, n_classes: int, scale: float = 30.0,
                 center: Tensor | None = None):
        weights = F.one_hot(memory.labels, n_classes).float()
        super().__init__(F.normalize(weights.T @ memory.features, dim=-1), scale=scale,
                         center=center)
        self.k = memory.k
        self.register_buffer("memory_features", memory.features.clone())
        self.register_buffer("memory_labels", memory.labels.clone())

    @property
    def memory(self) -> VoteMemory:
        return VoteMemory(self.memory_features, self.memory_labels, self.k)

    def forward(self, features: Tensor) -> Tensor:
        """``(B, D)`` image-tower outputs -> ``(B, C)`` log vote shares."""
        feats = F.normalize(features - self.center.to(features.dtype), dim=-1)
        return vote_logits(feats, self.memory, self.weight.shape[0])
