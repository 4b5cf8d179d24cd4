"""Baselines NeaR is compared with: raw MLLM top label, kNN majority vote, the prototype
classifier of a label assignment, plain CE on raw labels.

Each takes the same inputs as :func:`near_core.near.refine_labels` (``answers[i]`` = parsed
names of image i, ``(N, D)`` embeddings) and returns N canonical names (None: no label).
Ties are broken towards the label with more answers overall (lower label id).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from scipy import sparse

from near_core.knn import knn, normalize
from near_core.near import TextEncoder, class_means
from near_core.objective import CosineHead, candidate_ce
from near_core.vocabulary import Vocabulary, build_vocabulary, label_distribution
from near_core.vote import answer_vote


def _names(vocab: Vocabulary, scores: sparse.csr_matrix | np.ndarray) -> list[str | None]:
    dense = np.asarray(sparse.csr_matrix(scores).todense())
    has = dense.sum(axis=1) > 0
    return [vocab.names[int(j)] if h else None for j, h in zip(dense.argmax(axis=1), has, strict=True)]


def raw_top_label(
    answers: Sequence[Sequence[str | None]], *, strip_words: Sequence[str] = ()
) -> list[str | None]:
    """The most frequent canonical name among each image's own answers."""
    vocab = build_vocabulary(answers, strip_words=strip_words)
    return _names(vocab, label_distribution(answers, vocab))


def majority_vote(
    answers: Sequence[Sequence[str | None]],
    embeddings: np.ndarray,
    *,
    k: int = 3,
    strip_words: Sequence[str] = (),
) -> list[str | None]:
    """Majority of the image's own label distribution and its k nearest neighbours' (equal
    votes; ties go to the image's own top label, then to the more frequent label):
    :func:`~near_core.vote.answer_vote`."""
    vocab = build_vocabulary(answers, strip_words=strip_words)
    q = label_distribution(answers, vocab)
    won, _ = answer_vote(q, knn(np.asarray(embeddings), min(k, len(answers) - 1)).indices)
    return [vocab.names[int(j)] if j >= 0 else None for j in won]


def prototype_labels(
    labels: Sequence[str | None], embeddings: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """The cosine prototype classifier of a label assignment: ``(names, (P, D) prototypes)``,
    one normalised class mean of ``embeddings`` per distinct non-None label (sorted names).
    Classify a new embedding by its most similar prototype."""
    names = sorted({lab for lab in labels if lab is not None})
    index = {n: j for j, n in enumerate(names)}
    rows = [i for i, lab in enumerate(labels) if lab is not None]
    assign = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, [index[labels[i]] for i in rows])),
        shape=(len(labels), len(names)),
    )
    return names, class_means(normalize(np.asarray(embeddings, dtype=np.float32)), assign)


def ce_on_raw(
    answers: Sequence[Sequence[str | None]],
    embeddings: np.ndarray,
    *,
    text_encoder: TextEncoder | None = None,
    strip_words: Sequence[str] = (),
    scale: float = 20.0,
    epochs: int = 30,
    lr: float = 0.01,
    batch_size: int = 256,
    seed: int = 0,
) -> list[str | None]:
    """A cosine head (class vectors from ``text_encoder`` or class means) trained with plain
    cross-entropy on each image's own labels q_i (no candidate sets, no refinement, Adam,
    seeded); labels are its argmax predictions."""
    vocab = build_vocabulary(answers, strip_words=strip_words)
    x = torch.from_numpy(normalize(np.asarray(embeddings)))
    q = label_distribution(answers, vocab)
    if text_encoder is not None:
        init = normalize(np.asarray(text_encoder(list(vocab.names)), dtype=np.float32))
    else:
        init = class_means(x.numpy(), q)
    targets = torch.from_numpy(np.asarray(q.todense(), dtype=np.float32))
    has = np.diff(q.indptr) > 0
    active = torch.from_numpy(np.flatnonzero(has))
    head = CosineHead(torch.from_numpy(init), scale=scale)
    optimiser = torch.optim.Adam(head.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = active[torch.randperm(len(active), generator=gen)]
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            loss = candidate_ce(head(x[idx]), targets[idx]).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    with torch.no_grad():
        pred = head(x).argmax(dim=1).numpy()
    return [vocab.names[int(j)] if h else None for j, h in zip(pred, has, strict=True)]
