"""Candidate label sets S_i and their initial weights (NeaR's partial-label targets).

``S_i`` = image i's own labels ∪ the labels of its K nearest neighbours (∪ optionally the
``text_k`` vocabulary names whose text embedding is closest to the image, ∪ the
near-identical variants of its own names). Initial weights::

    w_i = own_weight * q_i + (1 - own_weight) * sum_j a_ij q_j      (a_ij ∝ max(sim_ij, 0))
          + text_weight * (uniform over the text-matched names)
          + variant_weight * (the own names' variants, by answer mass)

renormalised to sum to 1 over S_i. Candidate sets are a scipy CSR matrix ``(N, C)`` whose
stored entries are exactly S_i (all weights > 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
from scipy import sparse

from near_core.knn import KnnResult, knn

_MIN_WEIGHT = 1e-6


def build_candidates(
    q: sparse.csr_matrix,
    neighbours: KnnResult,
    *,
    own_weight: float = 0.5,
    text_matches: KnnResult | None = None,
    text_weight: float = 0.1,
    variants: sparse.csr_matrix | None = None,
    variant_weight: float = 0.0,
) -> sparse.csr_matrix:
    """Candidate sets with initial weights.

    Args:
        q: ``(N, C)`` per-image label distributions (rows may be zero: no answer).
        neighbours: kNN of the N images among themselves (self excluded), ``(N, K)``.
        own_weight: share of the image's own answers in its weights (0..1).
        text_matches: optional kNN of each image among the C class text embeddings
            (indices are label ids), ``(N, T)``.
        text_weight: total weight of the text-matched names before renormalisation.
        variants: optional ``(C, C)`` 0/1 relation of near-identical names
            (:func:`~near_core.vocabulary.name_variants`); each image's own names' variants
            join S_i with ``variant_weight`` in total (spread by its answers' mass).
        variant_weight: total weight of the variants before renormalisation.
    Returns:
        ``(N, C)`` CSR, rows summing to 1 over S_i; an image with no answer, no labelled
        neighbour and no text match has an empty row.
    """
    n, c = q.shape
    q = sparse.csr_matrix(q, dtype=np.float64)
    sims = np.maximum(neighbours.similarities.astype(np.float64), 0.0) + _MIN_WEIGHT
    adj = sparse.csr_matrix(
        (sims.ravel(), neighbours.indices.ravel(), np.arange(0, sims.size + 1, sims.shape[1])),
        shape=(n, n),
    )
    # neighbour votes, normalised over the neighbours that answered
    answered = (np.asarray(q.sum(axis=1)).ravel() > 0).astype(np.float64)
    neigh = adj @ q
    neigh_mass = adj @ answered
    neigh = sparse.diags(1.0 / np.maximum(neigh_mass, 1e-12)) @ neigh
    own_rows = answered > 0
    has_neigh = neigh_mass > 0
    a = np.where(own_rows & has_neigh, own_weight, np.where(own_rows, 1.0, 0.0))
    w = sparse.diags(a) @ q + sparse.diags(np.where(has_neigh, 1.0 - a, 0.0)) @ neigh
    # S_i is own ∪ neighbours' labels whatever own_weight is (0 or 1 must not drop either)
    w = w + _MIN_WEIGHT * (q.sign() + sparse.csr_matrix(neigh).sign())
    if variants is not None and variant_weight > 0:
        own_variants = sparse.csr_matrix(q @ variants)
        own_variants = own_variants - own_variants.multiply(q.sign())
        own_variants.eliminate_zeros()
        mass = np.asarray(own_variants.sum(axis=1)).ravel()
        w = w + sparse.diags(variant_weight / np.maximum(mass, 1e-12)) @ own_variants
    if text_matches is not None:
        t = text_matches.indices.shape[1]
        text = sparse.csr_matrix(
            (
                np.full(text_matches.indices.size, text_weight / t),
                text_matches.indices.ravel(),
                np.arange(0, text_matches.indices.size + 1, t),
            ),
            shape=(n, c),
        )
        w = w + text
    w = sparse.csr_matrix(w)
    w.sum_duplicates()
    w.data = np.maximum(w.data, _MIN_WEIGHT)
    w = sparse.diags(1.0 / np.maximum(np.asarray(w.sum(axis=1)).ravel(), 1e-12)) @ w
    w = sparse.csr_matrix(w, dtype=np.float32)
    w.sort_indices()
    return w


def _answered_edges(
    q: sparse.csr_matrix, indices: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The kNN edges between answered images: ``(answered (N,) bool, rows (E,), cols (E,))``
    from ``q`` ``(N, C)`` (zero rows: no answer) and ``indices`` ``(N, K)``."""
    n, k = indices.shape
    answered = np.asarray(q.sum(axis=1)).ravel() > 0
    rows, cols = np.repeat(np.arange(n), k), indices.ravel()
    keep = answered[rows] & answered[cols]
    return answered, rows[keep], cols[keep]


def _chance(p: np.ndarray, related: sparse.csr_matrix | None) -> float:
    """``p R p``: the chance that two answers drawn from the label distribution ``p`` agree."""
    return float(p @ (p if related is None else related @ p))


def neighbour_agreement(
    q: sparse.csr_matrix, indices: np.ndarray, *, related: sparse.csr_matrix | None = None
) -> tuple[float, float]:
    """Chance-corrected agreement of the images' labels with their neighbours' labels.

    A kappa statistic over the kNN graph: ``(O - E) / (1 - E)`` with ``O`` the mean of
    ``q_i . q_j`` over the edges ``(i, j)`` (j among i's K neighbours, both answered: the
    probability that an answer of i and one of j name the same label) and ``E = sum_c p_c^2``
    (the same probability for two images drawn at random, ``p`` the mean label distribution of
    the answered images). About 0 when the neighbourhoods carry no information about the labels
    (random embeddings), higher the more an image's neighbours share its labels; it needs
    neither the class count nor any ground truth. Its standard error under independence,
    ``sqrt(E (1 - E) / edges) / (1 - E)``, tells how far from 0 chance alone takes it (large
    with few answered images or few, frequent names).

    With ``related`` (a ``(C, C)`` 0/1 relation with unit diagonal, e.g.
    :func:`~near_core.vocabulary.name_variants`) two answers agree when their names are
    related: ``O`` averages ``q_i R q_j`` and ``E = p R p``. Fragments of one drifting name
    ("... Sedan 2010" / "... Sedan 2012") then count as agreeing, while chance agreement
    rises by the same relation, so random neighbourhoods still give about 0.

    Args:
        q: ``(N, C)`` label distributions (zero rows: no answer).
        indices: ``(N, K)`` kNN indices (self excluded).
        related: optional ``(C, C)`` relation of names that count as the same answer.
    Returns:
        ``(kappa in [-1, 1], standard error)``; ``(0.0, 1.0)`` when no edge joins two answered
        images or ``E = 1``.
    """
    q = sparse.csr_matrix(q, dtype=np.float64)
    if indices.size == 0:
        return 0.0, 1.0
    answered, rows, cols = _answered_edges(q, indices)
    if not answered.any():
        return 0.0, 1.0
    p = np.asarray(q[answered].mean(axis=0)).ravel()
    qr = q if related is None else sparse.csr_matrix(q @ related)
    chance = _chance(p, related)
    if not len(rows) or chance >= 1.0 - 1e-12:
        return 0.0, 1.0
    observed = float(np.asarray(qr[rows].multiply(q[cols]).sum(axis=1)).mean())
    error = float(np.sqrt(chance * (1.0 - chance) / len(rows)) / (1.0 - chance))
    return (observed - chance) / (1.0 - chance), error


def attained_agreement(
    q: sparse.csr_matrix, indices: np.ndarray, *, related: sparse.csr_matrix | None = None
) -> tuple[float, float]:
    """The agreement of :func:`neighbour_agreement` as a share of the largest agreement the
    names allow (Cohen's kappa / kappa_max), and its standard error counted over names.

    With a name given to n images, at most ``min(k_i, n - 1)`` of image i's ``k_i`` answered
    neighbours can share it, so per name ``c`` the agreeing edge mass ``o_c = sum_(i, j) q_ic
    (R q_j)_c`` is at most ``b_c = sum_i q_ic min(k_i, n_c - q_ic)`` (``n_c`` the answer mass
    of the names related to c). With ``e_c = sum_i q_ic k_i`` the edges leaving c's images
    and ``E`` the chance rate of :func:`neighbour_agreement`::

        share = sum_c (o_c - E e_c) / sum_c (b_c - E e_c)

    which is kappa / kappa_max: 1 where every name's images fill each other's neighbourhoods,
    also for names of two or three images each, where even a perfect geometry scores a low
    kappa; about 0 for neighbourhoods that ignore the labels. Only names of two or more
    images can show agreement, and the edges of one name are not independent (two images
    that are each other's neighbour make two edges), so the error treats the names as the
    units: the ratio estimator's ``sqrt(sum_c (o_c - E e_c - share (b_c - E e_c)) ** 2) /
    sum_c (b_c - E e_c)``. A share resting on a few names (hundreds of names of one image,
    a few dozen pairs, a handful of which are neighbours) is thus uncertain however many
    edges the graph has.

    Args:
        q: ``(N, C)`` label distributions (zero rows: no answer).
        indices: ``(N, K)`` kNN indices (self excluded).
        related: optional ``(C, C)`` relation of names that count as the same answer.
    Returns:
        ``(share, standard error)``; ``(0.0, 1.0)`` when no edge joins two answered images,
        ``E = 1`` or no name can agree beyond chance.
    """
    q = sparse.csr_matrix(q, dtype=np.float64)
    n = q.shape[0]
    if indices.size == 0:
        return 0.0, 1.0
    answered, rows, cols = _answered_edges(q, indices)
    if not answered.any():
        return 0.0, 1.0
    mass = np.asarray(q.sum(axis=0)).ravel()
    chance = _chance(mass / answered.sum(), related)
    if related is not None:
        mass = related @ mass
    edges = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    votes = sparse.csr_matrix(edges @ q if related is None else edges @ q @ related)
    observed = np.asarray(q.multiply(votes).sum(axis=0)).ravel()
    degree = np.asarray(edges.sum(axis=1)).ravel()
    spread = np.asarray(q.T @ degree).ravel()
    coo = q.tocoo()
    slots = np.minimum(degree[coo.row], np.maximum(mass[coo.col] - coo.data, 0.0))
    best = np.bincount(coo.col, weights=coo.data * slots, minlength=q.shape[1])
    num, den = observed - chance * spread, best - chance * spread
    total = float(den.sum())
    if not len(rows) or chance >= 1.0 - 1e-12 or total <= 1e-12:
        return 0.0, 1.0
    share = float(num.sum()) / total
    return share, float(np.sqrt(((num - share * den) ** 2).sum())) / total


def name_separation(
    q: sparse.csr_matrix, x: np.ndarray, *, min_support: float
) -> tuple[float, float]:
    """How far the embeddings separate each name from the name that looks most like it: a
    kappa of the images' own names against a cross-fitted prototype vote between the two.

    :func:`neighbour_agreement` compares neighbours' names with the whole vocabulary's chance
    rate, so sibling names that the geometry cannot tell apart score high wherever it finds
    their *group*. Here each name ``c`` held by at least ``min_support`` images (names of a
    class's size; smaller ones are wordings or errors expected to yield) is tested against
    ``d``, the tested name whose prototype (normalised mean of its images' ``x``) is nearest
    to c's: the name the geometry is least likely to separate from c (answers swapped between
    siblings pull their prototypes together, so d is the sibling c is confused with). Each
    image i holding c or d is assigned to the nearer of the two prototypes built without it
    (``x_i . (mu_c^-i - mu_d^-i) > 0``); of the answer mass ``L`` on c and d, ``O`` agrees with
    the assignment, against ``E = L (p_a p_l + (1 - p_a)(1 - p_l))`` for assignments
    independent of the names (``p_a``, ``p_l`` the shares assigned to and named c). Pooled
    over the names::

        kappa = sum (O - E) / sum (L - E)

    About 0 when the embeddings do not separate the names, whatever the label noise (below 0
    where c has many names to choose d from: the nearest of many prototypes is near c's by
    chance, its images' votes lean to d; -0.6 for 1,000 names of 5 images on random
    embeddings, -0.1 to -0.2 for siblings the geometry cannot tell apart); 1 where
    they do and the answers are right; a share eps of the answers swapped between two
    separated siblings of equal size gives about ``1 - 2 eps``: each image's own name is
    compared with a vote of all its class's images, not with one neighbour's name as noisy as
    its own (which gives ``(1 - 2 eps) ** 2``, 0.04 at eps 0.4: within its error of siblings
    the geometry cannot tell apart, and refine kept 60%-right answers). Standard error under
    independence: ``sqrt(sum E (1 - E / L)) / sum (L - E)``.

    Args:
        q: ``(N, C)`` label distributions (zero rows: no answer).
        x: ``(N, D)`` embeddings (the refinement space).
        min_support: answer mass from which a name is tested (the support cap).
    Returns:
        ``(kappa, standard error)``; ``(1.0, 0.0)`` when fewer than two names have that
        support (nothing contradicts the geometry).
    """
    q = sparse.csc_matrix(q, dtype=np.float64)
    x = np.asarray(x)
    mass = np.asarray(q.sum(axis=0)).ravel()
    tested = np.flatnonzero(mass >= min_support - 1e-9)
    if len(tested) < 2:
        return 1.0, 0.0
    sums = np.asarray(q[:, tested].T @ x)
    nearest = tested[knn(sums.astype(np.float32), 1).indices[:, 0]]
    norms = np.einsum("ij,ij->i", x, x)
    gain = spread = variance = 0.0
    for s_c, c, d in zip(sums, tested, nearest, strict=True):
        (rows_c, w_c), (rows_d, w_d) = _column(q, c), _column(q, d)
        rows = np.union1d(rows_c, rows_d)  # the images holding c or d
        w = np.zeros((len(rows), 2))
        w[np.searchsorted(rows, rows_c), 0], w[np.searchsorted(rows, rows_d), 1] = w_c, w_d
        m = mass[[c, d]]
        own = x[rows] @ np.stack([s_c, sums[np.searchsorted(tested, d)]]).T - w * norms[rows, None]
        left = m - w  # each prototype's mass without the image
        ok = (left > 1e-9).all(axis=1)
        if not ok.any():
            continue
        w, own, left = w[ok], own[ok], left[ok]
        to_c = own[:, 0] / left[:, 0] > own[:, 1] / left[:, 1]
        total = w.sum()
        agree = w[to_c, 0].sum() + w[~to_c, 1].sum()
        p_a, p_l = w[to_c].sum() / total, w[:, 0].sum() / total
        chance = total * (p_a * p_l + (1 - p_a) * (1 - p_l))
        gain += agree - chance
        spread += total - chance
        variance += chance * (1 - chance / total)
    if spread <= 1e-12:
        return 1.0, 0.0
    return gain / spread, float(np.sqrt(variance)) / spread


def _column(q: sparse.csc_matrix, c: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows holding name ``c`` in ``q`` and their weights."""
    start, end = q.indptr[c], q.indptr[c + 1]
    return q.indices[start:end], q.data[start:end]


def candidates_rows(image_ids: Sequence[str], weights: sparse.csr_matrix) -> pa.Table:
    """The ``candidates`` run-store table: image_id, label_ids (int32), weights (float32)."""
    weights = sparse.csr_matrix(weights)
    label_ids, ws = [], []
    for i in range(weights.shape[0]):
        s, e = weights.indptr[i], weights.indptr[i + 1]
        label_ids.append(weights.indices[s:e].astype(np.int32).tolist())
        ws.append(weights.data[s:e].astype(np.float32).tolist())
    return pa.table(
        {
            "image_id": pa.array(list(image_ids), pa.string()),
            "label_ids": pa.array(label_ids, pa.list_(pa.int32())),
            "weights": pa.array(ws, pa.list_(pa.float32())),
        }
    )


def text_agreement(
    q: sparse.csr_matrix, nearest: np.ndarray, *, related: sparse.csr_matrix | None = None,
    draws: int = 20, seed: int = 0,
) -> tuple[float, float]:
    """Chance-corrected agreement of the images' labels with the name whose text embedding is
    closest to each image (zero-shot naming by the text tower).

    The same kappa as :func:`neighbour_agreement`, with the nearest name in place of the
    neighbours' answers: ``O`` the mean of ``q_i[nearest_i]`` (with ``related``: of
    ``(q_i R)[nearest_i]``) over the answered images, ``E = sum_c p_c (R r)_c`` with ``p`` the
    mean label distribution and ``r`` the share of images whose nearest name is c. About 0 for a
    text tower that does not know the names (random or untrained weights), near 1 where it
    names the images as the MLLM does. Its error is the standard deviation of the kappa when the
    names are randomly permuted (``draws`` permutations): images of one cluster share their
    nearest name, so a random tower can hit a few clusters' names by luck, far more often than
    independent images would.

    Args:
        q: ``(N, C)`` label distributions (zero rows: no answer).
        nearest: ``(N,)`` index of each image's closest name text embedding.
        related: optional ``(C, C)`` relation of names that count as the same answer.
        draws: permutations of the names for the error.
    Returns:
        ``(kappa, error)``; ``(0.0, 1.0)`` without answered images or when ``E = 1``.
    """
    q = sparse.csr_matrix(q, dtype=np.float64)
    answered = np.asarray(q.sum(axis=1)).ravel() > 0
    if not answered.any():
        return 0.0, 1.0
    qa, hit = q[answered], np.asarray(nearest)[answered]
    qr = qa if related is None else sparse.csr_matrix(qa @ related)
    p = np.asarray(qa.mean(axis=0)).ravel()
    rows = np.arange(len(hit))

    def kappa(named: np.ndarray) -> float | None:
        r = np.bincount(named, minlength=q.shape[1]).astype(np.float64) / len(named)
        chance = float(p @ (r if related is None else related @ r))
        if chance >= 1.0 - 1e-12:
            return None
        return (float(np.asarray(qr[rows, named]).mean()) - chance) / (1.0 - chance)

    observed = kappa(hit)
    if observed is None:
        return 0.0, 1.0
    rng = np.random.default_rng(seed)
    null = [kappa(rng.permutation(q.shape[1])[hit]) for _ in range(draws)]
    return observed, float(np.std([k for k in null if k is not None] or [1.0]))
