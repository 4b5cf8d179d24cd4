"""The kNN vote classifier: the named images themselves, each voting for its label.

A class mean (a prototype classifier, or a cosine head started from one) assumes each class is
one clump of the embedding space. Under a weak or random image tower, or where a class has two
looks (male and female plumage), a class lies in several clumps; a vote of the ``k`` nearest
named images follows them and the class mean averages them away (BENCHMARKS.md "A random
tower", "The kNN vote as a fourth classifier"). :func:`clump_test` says whether a set of named
images is clumped this way: left out one at a time, their MLLM answers are predicted clearly
better by the vote of their neighbours' labels than by the class means of those labels, and
clearly above chance. Refinement then labels by the vote (:mod:`near_core.near`), the in-run
validation scores this classifier beside the prototype classifiers
(:mod:`near_core.train.validation`), and the bundle keeps it, as ``knn.safetensors`` beside
the class vectors (:mod:`near_core.bundle`).

Features here are the centred, L2-normalised embeddings of the prototype classifiers, so the
inner product is the cosine. The bundle's memory is a few thousand named images at most (the
label budget): one exact ``(B, M)`` product per batch, on whatever device the bundle runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from scipy import sparse
from torch import Tensor

from near_core.knn import knn
from near_core.objective import CosineHead
from near_core.significance import GUARD_Z, above_chance, clearly_better, majority_rate
from near_core.sparse_targets import row_argmax

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
    rank = _rank_weights(k).to(features.device)
    votes.scatter_add_(1, memory.labels.to(features.device)[idx], rank.expand(len(idx), k))
    return (votes / votes.sum(1, keepdim=True) + _FLOOR).log()


def _rank_weights(k: int) -> Tensor:
    """``(k,)`` weight of each neighbour's vote, nearest first: 1, less a tie-break share."""
    return 1.0 + _RANK_TIE_BREAK * torch.arange(k, 0, -1) / k


def neighbour_vote(labels: Tensor) -> tuple[Tensor, Tensor]:
    """The vote of each row of ``labels`` (M, k): the labels of an image's k nearest voters,
    nearest first (-1: no vote). Returns ``(M,)`` the winning label (equal counts go to the
    class whose voters are nearer; -1 where no voter has a label) and ``(M,)`` its share of
    the votes. Memory ``M x k x k`` (no ``M x C`` array, whatever the classes)."""
    labels = labels.long()
    m, k = labels.shape
    if not k:
        return torch.full((m,), -1, dtype=torch.long), torch.zeros(m)
    w = _rank_weights(k) * (labels >= 0)
    score = ((labels[:, :, None] == labels[:, None, :]) * w[:, None, :]).sum(2)
    score = score.masked_fill(labels < 0, -1.0)
    best = score.argmax(1)
    share = score.gather(1, best[:, None])[:, 0] / w.sum(1).clamp(min=1e-12)
    won = labels.gather(1, best[:, None])[:, 0]
    return won, share.clamp(min=0.0)


def answer_vote(q: sparse.csr_matrix, neighbours: np.ndarray,
                own: sparse.csr_matrix | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The majority of an image's own answers and its neighbours' answers (equal votes).

    ``q``: ``(M, C)`` answer distributions of the voters; ``neighbours``: ``(R, k)`` each
    image's nearest voters (rows of ``q``); ``own``: ``(R, C)`` the images' own answer
    distributions (the voters themselves, ``q``, when None and R = M). Ties go to the image's
    own top label, then to the lower column (the label with more answers overall, in a
    vocabulary's order). Returns ``(R,)`` int64 columns (-1: no vote) and ``(R,)`` float32
    the winner's share of the votes."""
    own = q if own is None else own
    votes = sparse.csr_matrix(own, dtype=np.float64) * (1.0 + _RANK_TIE_BREAK)
    for j in range(neighbours.shape[1]):
        votes = votes + q[neighbours[:, j]]
    votes = sparse.csr_matrix(votes)
    won = row_argmax(votes)
    total = np.asarray(votes.sum(axis=1)).ravel()
    has = won >= 0
    share = np.zeros(len(won), dtype=np.float32)
    share[has] = np.asarray(votes[np.flatnonzero(has), won[has]]).ravel() / total[has]
    return won, share


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


def leave_one_out(features: Tensor, labels: Tensor, *, k: int, targets: Tensor | None = None,
                  vote_labels: Tensor | None = None, neighbours: Tensor | None = None,
                  chunk: int = 4096) -> dict[str, Tensor]:
    """Whether each image's target is predicted from the other images' labels, by the
    ``k``-NN vote of ``vote_labels`` (N,; default ``labels``) (``vote``) and by the class
    means of ``labels`` (N,) (``means``): (M,) bool each over the M rows where ``labels`` and
    ``targets`` (N,; default ``labels``) are >= 0, with ``features`` (N, D) centred,
    normalised. ``neighbours``: (N, >= k) each row's nearest other rows, nearest first
    (when None, the nearest of the M rows whose ``vote_labels`` is >= 0, by faiss). Rows
    without a label do not vote; the image's own label never counts. Every named image is a test this way (the held-out slice alone is a few
    dozen); memory is linear in N (the means in row chunks)."""
    targets = labels if targets is None else targets
    vote_labels = labels if vote_labels is None else vote_labels
    keep = (labels >= 0) & (targets >= 0)
    if not keep.any():
        return {s: torch.zeros(0, dtype=torch.bool) for s in ("vote", "means")}
    rows, x = keep.nonzero()[:, 0], features.float()
    if neighbours is None:
        voting = _nearest_voters(x, rows, (keep & (vote_labels >= 0)).nonzero()[:, 0], k)
    else:
        voting = neighbours[rows, :k].long()
    vote = neighbour_vote(torch.where(voting >= 0, vote_labels[voting.clamp(min=0)], -1))[0]
    voters = (labels >= 0).nonzero()[:, 0]
    n_cls = int(max(labels.max(), targets.max())) + 1
    sums = torch.zeros(n_cls, x.shape[1]).index_add_(0, labels[voters], x[voters])
    counts = torch.bincount(labels[voters], minlength=n_cls)
    means = F.normalize(sums, dim=-1)
    predicted = torch.empty(len(rows), dtype=torch.long)
    for s in range(0, len(rows), chunk):
        part = rows[s : s + chunk]
        xi, yi = x[part], labels[part]
        logits = (xi @ means.T).masked_fill(counts == 0, float("-inf"))
        own = (xi * F.normalize(sums[yi] - xi, dim=-1)).sum(1)
        at = torch.arange(len(part))
        logits[at, yi] = own.masked_fill(counts[yi] == 1, float("-inf"))
        predicted[s : s + chunk] = logits.argmax(1)
    want = targets[rows]
    return {"vote": vote == want, "means": predicted == want}


def _nearest_voters(x: Tensor, rows: Tensor, voters: Tensor, k: int) -> Tensor:
    """``(len(rows), min(k, V - 1))`` each of ``rows``' ``k`` nearest ``voters`` (V,) other
    than itself (rows of ``x`` (N, D)), nearest first."""
    k = min(k, len(voters) - 1)
    if k < 1:
        return torch.zeros((len(rows), 0), dtype=torch.long)
    position = torch.full((len(x),), -1, dtype=torch.long)
    position[voters] = torch.arange(len(voters))
    found = knn(x[voters].numpy(), k, queries=x[rows].numpy(),
                query_ids=position[rows].numpy()).indices
    return voters[torch.from_numpy(found)]


@dataclass(frozen=True)
class ClumpTest:
    """:func:`clump_test`'s result: over ``images`` named images, the share whose answer the
    leave-one-out ``vote`` and class ``means`` predict, the ``chance`` rate (the most common
    answer's share) and the verdict ``clumped``."""

    images: int
    vote: float
    means: float
    chance: float
    clumped: bool

    def to_json(self) -> dict[str, float | int | bool]:
        return {"images": self.images, "vote": self.vote, "means": self.means,
                "chance": self.chance, "clumped": self.clumped}


def clump_test(features: Tensor, labels: Tensor, *, k: int, targets: Tensor,
               vote_labels: Tensor | None = None, neighbours: Tensor | None = None,
               z: float = GUARD_Z) -> ClumpTest:
    """Whether the classes of ``labels`` (N,) are clumped: over every image with a label and
    a ``targets`` answer (N,; -1: none), left out one at a time (:func:`leave_one_out`), the
    vote of its ``k`` nearest neighbours' ``vote_labels`` (N,; default ``labels``) predicts
    its answer :func:`~near_core.significance.clearly_better` (by ``z`` paired standard
    errors) than the class means of ``labels``, and clearly above chance
    (:func:`~near_core.significance.above_chance` of the most common answer's share).
    ``features`` (N, D) centred, normalised; ``neighbours`` as for :func:`leave_one_out`.

    Refinement asks whether a vote of the answers beats the class means of its refined
    labels (where it turns the two looks of a class into two consistent classes, a vote of
    its own labels agrees with their means); training, whether a vote of the labels it
    would keep beats their means. A vote of raw names beats the raw names' means where Latin
    and common names split one class (fragmented flower names), not the refined names'."""
    hits = leave_one_out(features, labels, k=k, targets=targets, vote_labels=vote_labels,
                         neighbours=neighbours)
    n = len(hits["vote"])
    rates = {s: float(h.float().mean()) if n else 0.0 for s, h in hits.items()}
    chance = majority_rate(targets[(labels >= 0) & (targets >= 0)])
    clumped = bool(n) and above_chance(rates["vote"], chance, n) and clearly_better(
        hits["vote"], hits["means"], z=z)
    return ClumpTest(n, rates["vote"], rates["means"], chance, clumped)
