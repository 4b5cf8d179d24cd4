"""NeaR label refinement, head mode: a cosine classifier trained on cached embeddings.

:func:`refine_labels` is the Python API: parsed MLLM answers + image embeddings in, refined
labels out. Steps: vocabulary and label distributions q_i (:mod:`near_core.vocabulary`), kNN
(:mod:`near_core.knn`), candidate sets (:mod:`near_core.candidates`), then :func:`train_head`
with the NeaR objective (:mod:`near_core.objective`): warm-up on the candidate weights, then
per epoch a GMM on the candidate-set loss splits clean from noisy samples and the targets are
refined. The final vocabulary is the set of labels predicted for at least one image.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np
import torch
from scipy import sparse

from near_core.candidates import build_candidates
from near_core.errors import NearError
from near_core.knn import knn, normalize
from near_core.objective import CosineHead, NearObjective
from near_core.vocabulary import Vocabulary, build_vocabulary, label_distribution

TextEncoder = Callable[[list[str]], Any]


class RefineError(NearError, ValueError):
    """Invalid input to label refinement (shapes, empty data, unknown option)."""


@dataclass(frozen=True)
class RefineOptions:
    """Every knob of head-mode NeaR, with the defaults the quality benchmark recommends
    (BENCHMARKS.md, "Refine")."""

    k: int = 10  #: neighbours per image in the candidate sets
    own_weight: float = 0.5  #: share of an image's own answers in its initial weights
    text_k: int = 3  #: text-matched names added to S_i (needs a text encoder; 0 = off)
    text_weight: float = 0.1  #: initial weight of the text-matched names (total)
    scale: float = 30.0  #: cosine classifier logit scale s
    epochs: int = 30
    warmup_epochs: int = 5
    lr: float = 0.01
    batch_size: int = 256
    threshold: float = 0.5  #: P(clean) above which a sample is clean
    temperature: float = 0.5  #: sharpening of noisy samples' pseudo-labels
    noisy_weight: float = 0.5  #: loss weight of noisy samples
    momentum: float = 0.0  #: blend of old targets into refined ones
    seed: int = 0
    strip_words: tuple[str, ...] = ()  #: generic words stripped around names

    @classmethod
    def from_kwargs(cls, **options: Any) -> RefineOptions:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise RefineError(f"unknown refine option(s) {unknown}; known: {sorted(known)}")
        if "strip_words" in options:
            options["strip_words"] = tuple(options["strip_words"])
        return replace(cls(), **options)

    def objective(self) -> NearObjective:
        return NearObjective(
            threshold=self.threshold,
            temperature=self.temperature,
            noisy_weight=self.noisy_weight,
            momentum=self.momentum,
        )


@dataclass
class HeadResult:
    """Output of :func:`train_head`.

    probs ``(N, C)``, clean_prob ``(N,)``, class_vectors ``(C, D)``, weights ``(N, C)`` (the
    final refined targets), all numpy float32.
    """

    probs: np.ndarray
    clean_prob: np.ndarray
    class_vectors: np.ndarray
    weights: np.ndarray


@dataclass
class RefineResult:
    """Refined labels of N images.

    Attributes:
        labels: ``N`` refined canonical names (None when nothing can be said).
        label_ids: ``(N,)`` int64 ids into ``vocabulary`` (-1 for None).
        confidence: ``(N,)`` float32 model probability of the refined label (0 for None).
        clean_prob: ``(N,)`` float32 P(clean) of each image's candidate set at the end.
        vocabulary: the full canonical vocabulary of the answers.
        final_label_ids: ids predicted for at least one image (the final vocabulary).
        candidates: ``(N, C)`` CSR initial candidate weights (stored entries = S_i).
        class_vectors: ``(C, D)`` trained classifier weights (rows of ``vocabulary``).
        options: the options used.
    """

    labels: list[str | None]
    label_ids: np.ndarray
    confidence: np.ndarray
    clean_prob: np.ndarray
    vocabulary: Vocabulary
    final_label_ids: np.ndarray
    candidates: sparse.csr_matrix
    class_vectors: np.ndarray
    options: RefineOptions

    @property
    def final_vocabulary(self) -> list[str]:
        return [self.vocabulary.names[i] for i in self.final_label_ids]


def class_means(features: np.ndarray, weights: sparse.csr_matrix | np.ndarray) -> np.ndarray:
    """``(C, D)`` weighted means ``sum_i w_ic x_i`` (normalised) of ``(N, D)`` features."""
    means = np.asarray(sparse.csr_matrix(weights).T @ features, dtype=np.float32)
    return normalize(means)


def _logits(head: CosineHead, x: torch.Tensor, chunk: int = 8192) -> torch.Tensor:
    with torch.no_grad():
        return torch.cat([head(x[s : s + chunk]) for s in range(0, len(x), chunk)])


def train_head(
    features: np.ndarray,
    weights: sparse.csr_matrix | np.ndarray,
    class_init: np.ndarray,
    *,
    options: RefineOptions | None = None,
    refine: bool = True,
) -> HeadResult:
    """Train a cosine head on fixed features with the NeaR objective.

    Args:
        features: ``(N, D)`` image embeddings.
        weights: ``(N, C)`` initial candidate weights; stored/non-zero entries are S_i.
        class_init: ``(C, D)`` initial class vectors.
        options: hyperparameters (defaults: :class:`RefineOptions`).
        refine: False trains with fixed targets (plain (candidate) cross-entropy, the
            baseline); True refines targets after warm-up each epoch.
    Returns:
        :class:`HeadResult`. Rows of ``weights`` that are empty do not contribute to the loss.
    """
    opt = options or RefineOptions()
    gen = torch.Generator().manual_seed(opt.seed)
    x = torch.from_numpy(normalize(features))
    w = torch.from_numpy(np.asarray(sparse.csr_matrix(weights).todense(), dtype=np.float32))
    cand = w > 0
    active = torch.nonzero(cand.any(dim=1)).ravel()
    sample_weight = torch.ones(len(x))
    clean_prob = torch.ones(len(x))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(opt.seed)
        head = CosineHead(torch.from_numpy(np.asarray(class_init, dtype=np.float32)),
                          scale=opt.scale)
    objective = opt.objective()
    optimiser = torch.optim.Adam(head.parameters(), lr=opt.lr)
    for epoch in range(opt.epochs):
        if refine and epoch >= opt.warmup_epochs and len(active):
            logits = _logits(head, x[active])
            new_w, new_sw, new_clean = objective.refine(logits, cand[active], w[active])
            w[active], sample_weight[active], clean_prob[active] = new_w, new_sw, new_clean
        order = active[torch.randperm(len(active), generator=gen)]
        for s in range(0, len(order), opt.batch_size):
            idx = order[s : s + opt.batch_size]
            loss = objective.loss(head(x[idx]), w[idx], sample_weight[idx]).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    probs = torch.softmax(_logits(head, x), dim=-1)
    return HeadResult(
        probs=probs.numpy(),
        clean_prob=clean_prob.numpy(),
        class_vectors=torch.nn.functional.normalize(head.weight.detach(), dim=-1).numpy(),
        weights=w.numpy(),
    )


def refine_labels(
    answers: Sequence[Sequence[str | None]],
    embeddings: np.ndarray,
    *,
    text_encoder: TextEncoder | None = None,
    **options: Any,
) -> RefineResult:
    """Refine open-ended MLLM labels with NeaR (head mode).

    Args:
        answers: ``answers[i]`` = the parsed label strings of image i (its n samples; may be
            empty).
        embeddings: ``(N, D)`` image embeddings (CLIP image tower in real runs).
        text_encoder: optional callable: list of M names -> ``(M, D)`` array in the same space
            as ``embeddings`` (CLIP's text tower); initialises class vectors and adds the
            ``text_k`` closest names to each candidate set. Without it class vectors start at
            the q-weighted class means.
        **options: fields of :class:`RefineOptions`.
    Returns:
        :class:`RefineResult`.
    """
    opt = RefineOptions.from_kwargs(**options)
    embeddings = np.asarray(embeddings)
    if embeddings.ndim != 2 or embeddings.shape[0] != len(answers):
        raise RefineError(
            f"embeddings must be (N, D) with N = len(answers) = {len(answers)}, "
            f"got shape {embeddings.shape}"
        )
    vocab = build_vocabulary(answers, strip_words=opt.strip_words)
    n = len(answers)
    if n == 0 or len(vocab) == 0:
        return _empty_result(n, vocab, embeddings.shape[1] if embeddings.ndim == 2 else 0, opt)
    x = normalize(embeddings)
    q = label_distribution(answers, vocab)
    k = min(opt.k, n - 1)
    neighbours = knn(x, k) if k >= 1 else None
    text_vecs = None
    if text_encoder is not None:
        text_vecs = normalize(np.asarray(text_encoder(list(vocab.names)), dtype=np.float32))
        if text_vecs.shape != (len(vocab), x.shape[1]):
            raise RefineError(
                f"text_encoder returned shape {text_vecs.shape}, expected "
                f"{(len(vocab), x.shape[1])} (one row per name, embedding dimension)"
            )
    text_matches = None
    if text_vecs is not None and opt.text_k > 0:
        text_matches = knn(text_vecs, min(opt.text_k, len(vocab)), queries=x)
    if neighbours is None:
        weights = sparse.csr_matrix(q)
    else:
        weights = build_candidates(
            q, neighbours, own_weight=opt.own_weight, text_matches=text_matches,
            text_weight=opt.text_weight,
        )
    class_init = text_vecs if text_vecs is not None else class_means(x, weights)
    head = train_head(x, weights, class_init, options=opt)
    has_cand = np.diff(weights.indptr) > 0
    label_ids = np.where(has_cand, head.probs.argmax(axis=1), -1).astype(np.int64)
    confidence = np.where(has_cand, head.probs.max(axis=1), 0.0).astype(np.float32)
    return RefineResult(
        labels=[vocab.names[i] if i >= 0 else None for i in label_ids],
        label_ids=label_ids,
        confidence=confidence,
        clean_prob=head.clean_prob,
        vocabulary=vocab,
        final_label_ids=np.unique(label_ids[label_ids >= 0]),
        candidates=weights,
        class_vectors=head.class_vectors,
        options=opt,
    )


def _empty_result(n: int, vocab: Vocabulary, dim: int, opt: RefineOptions) -> RefineResult:
    return RefineResult(
        labels=[None] * n,
        label_ids=np.full(n, -1, dtype=np.int64),
        confidence=np.zeros(n, dtype=np.float32),
        clean_prob=np.zeros(n, dtype=np.float32),
        vocabulary=vocab,
        final_label_ids=np.zeros(0, dtype=np.int64),
        candidates=sparse.csr_matrix((n, len(vocab)), dtype=np.float32),
        class_vectors=np.zeros((len(vocab), dim), dtype=np.float32),
        options=opt,
    )


def options_dict(options: RefineOptions) -> dict[str, Any]:
    """The options as a plain dict (for logs and run state)."""
    return asdict(options)
