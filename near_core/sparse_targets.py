"""The NeaR refinement step on sparse targets: memory and time linear in the samples.

The dense step (:meth:`near_core.objective.NearObjective.refine_targets`) holds ``(N, C)`` logits,
probabilities, masks and targets. Here the targets are a scipy CSR matrix whose stored
entries are the candidate set S_i plus the names the targets ever gave weight to, and the
``(N, C)`` logits are never held: :func:`cosine_row_logits` computes them in row chunks
(memory ``chunk x C``, :data:`CHUNK_ELEMENTS`) and keeps per row only what the step needs
(:class:`RowLogits`):

* the softmax normaliser ``lse_i = logsumexp_c l_ic`` over all C names;
* the logits at the stored entries of the current targets (which include S_i): the
  candidate-set loss ``lse_i - logsumexp_{c in S_i} l_ic`` and the clean targets
  ``p(c|x_i) 1[c in S_i]`` (renormalised) need nothing else;
* the ``top_k`` largest logits: the noisy targets, NeaR's sharpened prediction
  ``p^(1/T)`` renormalised, are restricted to the prediction's ``top_k`` names.

:func:`refine_sparse` is then the dense step's rule on these: GMM on the per-sample losses
(:func:`~near_core.objective.fit_clean_prob`, O(N)), clean rows over S_i, noisy rows over
their top-k, momentum blend with the previous targets (the union of the two supports). With
``top_k >= C`` it is the dense step exactly (up to float rounding; tested against it);
below, a noisy target loses the names outside its prediction's top k, whose sharpened mass
is negligible (BENCHMARKS.md, "Refine at scale"). Stored entries per row: ``|S_i|`` plus the
top-k names of the rounds in which the row was noisy (in practice a few more than
``|S_i| + k``).

Every round costs ``M x C x D`` that way. With many names a round between two full passes
scores each row only on its :class:`Shortlist` (S_i, the names its targets weigh and the top
names of the last full pass; a few dozen) with :func:`shortlist_row_logits`: the normaliser
adds the mass outside the shortlist as it was at the last full pass. A round then costs
``M x |L_i| x D`` whatever C is.

Shapes: ``M`` samples (rows), ``C`` names, ``D`` feature dimension, ``k`` the top-k width.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch
from scipy import sparse
from torch import Tensor

from near_core.objective import NearObjective, fit_clean_prob

_EPS = 1e-12

#: elements of the ``chunk x C`` logit block held at once by :func:`cosine_row_logits`
#: (4M float32 = 16 MiB; a few such temporaries per chunk).
CHUNK_ELEMENTS = 1 << 22


@dataclass
class RowLogits:
    """What the refinement step needs of ``(M, C)`` logits, without holding them.

    Attributes:
        lse: ``(M,)`` float64 ``logsumexp_c l_ic`` over all C names.
        at: ``(M, C)`` CSR with the pattern of the ``support`` it was computed for; its data
            are the logits at those entries (explicit zeros are logits equal to 0).
        top_ids: ``(M, k)`` int64 the k names of largest logit per row, descending.
        top_logits: ``(M, k)`` float32 their logits.
    """

    lse: np.ndarray
    at: sparse.csr_matrix
    top_ids: np.ndarray
    top_logits: np.ndarray

    @classmethod
    def from_dense(cls, logits: Tensor | np.ndarray, support: sparse.csr_matrix, *,
                   top_k: int) -> RowLogits:
        """From ``(M, C)`` dense logits (small problems, tests): the summary over the
        stored entries of ``support`` (sorted indices) and the ``top_k`` largest."""
        logits = torch.as_tensor(logits).detach().float().clone()  # add() overwrites it
        out = _Summary(support, len(logits), min(top_k, logits.shape[1]))
        out.add(logits, 0)
        return out.result()

    def top(self, k: int) -> RowLogits:
        """The same summary keeping only the ``k`` largest logits per row."""
        return replace(self, top_ids=self.top_ids[:, :k], top_logits=self.top_logits[:, :k])

    def probs_at(self, ids: np.ndarray) -> np.ndarray:
        """``(M,)`` float32 softmax probability of name ``ids[i]`` of each row (0 where
        ``ids[i] < 0``); see :meth:`logits_at`."""
        logit = np.nan_to_num(self.logits_at(ids), nan=-np.inf)
        return np.where(ids >= 0, np.exp(logit - self.lse), 0.0).astype(np.float32)

    def logits_at(self, ids: np.ndarray) -> np.ndarray:
        """``(M,)`` float32 logit of name ``ids[i]`` of each row, taken from ``at`` or the
        row's top k (NaN where it is in neither or ``ids[i] < 0``)."""
        m, c = self.at.shape
        out = np.full(m, np.nan, dtype=np.float32)
        r, j = np.nonzero(self.top_ids == ids[:, None])
        out[r] = self.top_logits[r, j]
        keys = _entry_keys(self.at)
        if len(keys):
            want = np.arange(m, dtype=np.int64) * c + ids
            pos = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
            hit = (ids >= 0) & (keys[pos] == want)
            out[hit] = self.at.data[pos[hit]]
        return out


def _entry_keys(w: sparse.csr_matrix) -> np.ndarray:
    """``row * C + col`` (int64) of the stored entries of a CSR matrix, in storage order
    (ascending when its indices are sorted)."""
    rows = np.repeat(np.arange(w.shape[0], dtype=np.int64), np.diff(w.indptr))
    return rows * w.shape[1] + w.indices.astype(np.int64)


class _Summary:
    """Accumulates the :class:`RowLogits` of ``(M, C)`` logits given block by block."""

    def __init__(self, support: sparse.csr_matrix, m: int, k: int):
        self.support, self.k = support, k
        self.lse = np.empty(m, np.float64)
        self.at = np.empty(support.nnz, np.float32)
        self.top_ids = np.empty((m, k), np.int64)
        self.top_logits = np.empty((m, k), np.float32)

    def add(self, block: Tensor, s: int) -> None:
        """Summarise the logits ``block`` of rows ``s : s + len(block)`` (overwritten)."""
        e, sup = s + len(block), self.support
        values, ids = torch.topk(block, self.k, dim=1)
        self.top_ids[s:e], self.top_logits[s:e] = ids.numpy(), values.numpy()
        local, cols = _block_entries(sup, s, e)
        self.at[sup.indptr[s] : sup.indptr[e]] = block[local, cols].numpy()
        # max + log sum exp(l - max): the offset keeps float32's relative precision, so
        # that lse_i - logsumexp_{S_i} (a loss near 0 for a confident row) is not rounding
        # noise of |l| ~ s. In place: the block is not used afterwards.
        top = values[:, :1]
        offset = torch.log(block.sub_(top).exp_().sum(dim=1))
        self.lse[s:e] = top.ravel().double().numpy() + offset.double().numpy()

    def result(self) -> RowLogits:
        sup = self.support
        return RowLogits(
            lse=self.lse, at=sparse.csr_matrix((self.at, sup.indices, sup.indptr), shape=sup.shape),
            top_ids=self.top_ids, top_logits=self.top_logits)


def _block_entries(w: sparse.csr_matrix, s: int, e: int) -> tuple[Tensor, Tensor]:
    """(row within the block, column) index tensors of the stored entries of rows ``s:e``."""
    local = np.repeat(np.arange(e - s), np.diff(w.indptr[s : e + 1]))
    cols = w.indices[w.indptr[s] : w.indptr[e]].astype(np.int64)
    return torch.from_numpy(local), torch.from_numpy(cols)


def cosine_row_logits(
    x: np.ndarray,
    class_vectors: np.ndarray,
    *,
    scale: float,
    bias: np.ndarray,
    evidence: sparse.csr_matrix,
    evidence_default: float,
    support: sparse.csr_matrix,
    top_k: int,
    chunk_rows: int | None = None,
) -> RowLogits:
    """The :class:`RowLogits` of ``l_ic = scale * <x_i, t_c> + e_i(c) + bias_c``.

    Args:
        x: ``(M, D)`` normalised features.
        class_vectors: ``(C, D)`` normalised class vectors t_c.
        scale: the cosine logit scale s.
        bias: ``(C,)`` per-name term (the support prior).
        evidence: ``(M, C)`` CSR per-sample term e_i(c) at its stored entries...
        evidence_default: ...and this value at every other entry.
        support: ``(M, C)`` CSR whose stored entries get their logits in ``RowLogits.at``.
        top_k: names kept per row, ``min(top_k, C)``.
        chunk_rows: rows per block (default: :data:`CHUNK_ELEMENTS` / C); memory
            ``chunk_rows x C`` whatever M.
    """
    m, c = len(x), len(class_vectors)
    rows = chunk_rows or max(1, CHUNK_ELEMENTS // max(c, 1))
    xt, tt = torch.from_numpy(x), scale * torch.from_numpy(class_vectors).T
    offset = torch.from_numpy(np.asarray(bias, dtype=np.float32) + np.float32(evidence_default))
    delta = torch.from_numpy(evidence.data - np.float32(evidence_default))
    out = _Summary(support, m, min(top_k, c))
    for s in range(0, m, rows):
        e = min(m, s + rows)
        block = torch.addmm(offset, xt[s:e], tt)
        block.index_put_(_block_entries(evidence, s, e),
                         delta[evidence.indptr[s] : evidence.indptr[e]], accumulate=True)
        out.add(block, s)
    return out.result()


#: rows per block of :class:`Shortlist` (rows with the same best name are put together, so
#: that a block's shortlists share most names and its logits are one small matrix product)
SHORTLIST_BLOCK_ROWS = 64


@dataclass(frozen=True)
class _Block:
    """Rows scored together: ``rows`` ``(R,)``, the union of their shortlists ``names``
    ``(U,)``, and for each of their shortlist entries (positions ``entries`` ``(E,)`` in the
    shortlist's CSR data) its row within the block and its column within ``names``."""

    rows: Tensor
    names: Tensor
    entries: np.ndarray
    local: tuple[Tensor, Tensor]


@dataclass
class Shortlist:
    """The names each row is scored on between two full passes (:func:`shortlist_row_logits`).

    Attributes:
        names: ``(M, C)`` CSR pattern L (sorted indices; data unused): per row the stored
            entries of the targets at the last full pass (S_i and the names they weigh) and
            that pass's top names.
        log_tail: ``(M,)`` float64 ``log sum_{c not in L_i} exp(l_ic)`` at the last full pass
            (-inf when L_i holds all the mass).
        blocks: the rows in blocks of :data:`SHORTLIST_BLOCK_ROWS` sharing their best name.
        keys: ``(nnz(L),)`` int64 sorted entry keys ``row * C + col`` of L.
        rows: ``(nnz(L),)`` the row of each entry of L.
        slots: ``(nnz(L),)`` each entry's position within its row (its column in the
            ``(M, max |L_i|)`` padded layout the top k are taken from).
    """

    names: sparse.csr_matrix
    log_tail: np.ndarray
    blocks: list[_Block]
    keys: np.ndarray
    rows: np.ndarray
    slots: np.ndarray

    @classmethod
    def from_full(cls, logits: RowLogits) -> Shortlist:
        """From a full pass's :class:`RowLogits`: L_i = the stored entries of ``logits.at``
        plus ``logits.top_ids``; the tail is the softmax mass of the other names."""
        m, c = logits.at.shape
        keys = np.concatenate([
            _entry_keys(logits.at),
            (np.arange(m, dtype=np.int64)[:, None] * c + logits.top_ids).ravel()])
        values = np.concatenate([logits.at.data, logits.top_logits.ravel()])
        keys, first = np.unique(keys, return_index=True)
        rows = keys // c
        mass = np.bincount(rows, weights=np.exp(values[first] - logits.lse[rows]), minlength=m)
        lengths = np.bincount(rows, minlength=m)
        with np.errstate(divide="ignore"):
            log_tail = logits.lse + np.log(np.clip(1.0 - mass, 0.0, None))
        log_tail[lengths == c] = -np.inf  # rounding of a mass that is exactly 1
        indptr = np.r_[0, np.cumsum(lengths)]
        names = sparse.csr_matrix(
            (np.ones(len(keys), np.float32), (keys % c).astype(np.int32), indptr), shape=(m, c))
        order = np.argsort(logits.top_ids[:, 0], kind="stable")
        blocks = [_block(names, order[s : s + SHORTLIST_BLOCK_ROWS])
                  for s in range(0, m, SHORTLIST_BLOCK_ROWS)]
        return cls(names, log_tail, blocks, keys=keys, rows=rows,
                   slots=np.arange(len(keys)) - indptr[rows])


def _block(names: sparse.csr_matrix, rows: np.ndarray) -> _Block:
    """The :class:`_Block` of the rows ``rows`` of the shortlist pattern ``names``."""
    lengths = names.indptr[rows + 1] - names.indptr[rows]
    local = np.repeat(np.arange(len(rows)), lengths)
    entries = names.indptr[rows][local] + np.arange(len(local)) - np.repeat(
        np.cumsum(lengths) - lengths, lengths)
    union, where = np.unique(names.indices[entries], return_inverse=True)
    return _Block(torch.from_numpy(rows), torch.from_numpy(union.astype(np.int64)), entries,
                  (torch.from_numpy(local), torch.from_numpy(where.ravel())))


def shortlist_row_logits(
    x: np.ndarray,
    class_vectors: np.ndarray,
    *,
    scale: float,
    bias: np.ndarray,
    evidence: sparse.csr_matrix,
    evidence_default: float,
    shortlist: Shortlist,
    support: sparse.csr_matrix,
    top_k: int,
) -> RowLogits:
    """The :class:`RowLogits` of :func:`cosine_row_logits`'s logits, scoring each row only on
    its shortlist L_i: ``lse_i = log(sum_{c in L_i} exp(l_ic) + tail_i)`` with the tail of
    the last full pass; the top k are taken within L_i.

    Args:
        x, class_vectors, scale, bias, evidence, evidence_default: as
            :func:`cosine_row_logits`; ``evidence``'s stored entries lie in L.
        shortlist: :class:`Shortlist` L (every row holds at least ``top_k`` names).
        support: ``(M, C)`` CSR whose stored entries (a subset of L) get their logits in
            ``RowLogits.at``.
        top_k: names kept per row.
    Raises:
        ValueError: a stored entry of ``support`` or ``evidence`` is not in L.
    """
    names, rows, keys = shortlist.names, shortlist.rows, shortlist.keys
    m = names.shape[0]
    cols = names.indices.astype(np.int64)
    values = np.empty(names.nnz, np.float32)
    xt, tt = torch.from_numpy(x), torch.from_numpy(class_vectors)
    for block in shortlist.blocks:
        products = xt[block.rows] @ tt[block.names].T
        values[block.entries] = products[block.local].numpy()
    values = scale * values + np.asarray(bias, dtype=np.float32)[cols] + evidence_default
    values[_positions(keys, evidence, "evidence")] += evidence.data - evidence_default
    lse = np.logaddexp(_segment_logsumexp(values, names.indptr[:-1], rows), shortlist.log_tail)
    at = sparse.csr_matrix((values[_positions(keys, support, "support")], support.indices,
                            support.indptr), shape=support.shape)
    padded = np.full((m, int(shortlist.slots.max(initial=-1)) + 1), -np.inf, np.float32)
    padded[rows, shortlist.slots] = values
    top_logits, where = torch.topk(torch.from_numpy(padded), top_k, dim=1)
    top_ids = cols[names.indptr[:-1, None] + where.numpy()]
    return RowLogits(lse=lse, at=at, top_ids=top_ids, top_logits=top_logits.numpy())


def _segment_logsumexp(values: np.ndarray, starts: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """``(S,)`` float64 log-sum-exp of each of S contiguous non-empty segments of ``values``
    ``(n,)``: segment j begins at ``starts[j]``; ``segment`` ``(n,)`` is each value's j.
    The segment max is taken out first, so that a sum near one keeps its precision."""
    top = np.maximum.reduceat(values, starts)
    return top + np.log(np.add.reduceat(np.exp(values - top[segment], dtype=np.float64), starts))


def _positions(keys: np.ndarray, sub: sparse.csr_matrix, what: str) -> np.ndarray:
    """Indices into ``keys`` (sorted entry keys of L) of the stored entries of ``sub``."""
    want = _entry_keys(sub)
    pos = np.minimum(np.searchsorted(keys, want), max(len(keys) - 1, 0))
    if len(want) and not np.array_equal(keys[pos], want):
        raise ValueError(f"shortlist_row_logits: {what} has entries outside the shortlist")
    return pos


def refine_sparse(
    objective: NearObjective,
    logits: RowLogits,
    cand: sparse.csr_matrix,
    weights: sparse.csr_matrix,
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """The NeaR refinement step (:meth:`NearObjective.refine_targets`'s rule) on sparse targets.

    Args:
        objective: the hyperparameters (threshold, temperature, noisy_weight, momentum).
        logits: :class:`RowLogits` computed for ``support = weights``'s pattern.
        cand: ``(M, C)`` CSR whose stored entries are the candidate sets S_i (every row
            non-empty), a subset of ``weights``'s stored entries.
        weights: ``(M, C)`` CSR current targets.
    Returns:
        ``(new weights (M, C) CSR float32, sample_weight (M,), clean_prob (M,))``: rows sum
        to 1; clean rows weigh S_i by the prediction (blended with the previous targets by
        ``momentum``), noisy rows the sharpened prediction over its top-k names. The new
        targets store S_i (zeros where they give it no weight) and every name with weight.
    """
    m, c = weights.shape
    in_s = stored_in(weights, cand)
    rows = np.repeat(np.arange(m), np.diff(weights.indptr))
    ls, rs = logits.at.data[in_s], rows[in_s]
    if np.any(np.diff(cand.indptr) == 0):
        raise ValueError("refine_sparse: every row needs a non-empty candidate set")
    # candidate-set loss -log sum_{S_i} p = lse_i - logsumexp_{S_i} l  (one segment per row)
    starts = np.flatnonzero(np.r_[True, rs[1:] != rs[:-1]])
    loss = torch.from_numpy(logits.lse - _segment_logsumexp(ls, starts, rs))
    clean_prob = fit_clean_prob(loss).numpy()
    clean = clean_prob >= objective.threshold
    # clean rows: p(c|x) over S_i, renormalised (as the dense p * mask / sum)
    p_s = np.exp(ls - logits.lse[rs]).astype(np.float32)
    mass = np.add.reduceat(p_s, starts)
    keep = clean[rs]
    clean_part = (rs[keep], weights.indices[in_s][keep],
                  p_s[keep] / np.maximum(mass[rs[keep]], _EPS))
    # noisy rows: softmax(log max(p, eps) / T) over the top-k names
    noisy = np.flatnonzero(~clean)
    p_top = np.exp(logits.top_logits[noisy] - logits.lse[noisy, None])
    sharp = torch.softmax(torch.from_numpy(
        np.log(np.maximum(p_top, _EPS)) / objective.temperature), dim=1).numpy()
    k = logits.top_ids.shape[1]
    noisy_part = (np.repeat(noisy, k), logits.top_ids[noisy].ravel(), sharp.ravel())
    mom = objective.momentum
    new_scale = 1.0 - mom if mom > 0 else 1.0
    parts = [(rs, weights.indices[in_s], np.zeros(len(rs), np.float32))]  # keep S_i stored
    if mom > 0:
        held = weights.data != 0  # names the targets no longer weigh leave the support
        parts.append((rows[held], weights.indices[held], mom * weights.data[held]))
    parts += [(r, col, new_scale * v) for r, col, v in (clean_part, noisy_part)]
    new = _assemble(parts, (m, c))
    if mom > 0:
        new = _normalise_rows(new)
    sample_weight = np.where(clean, 1.0, objective.noisy_weight).astype(np.float32)
    return new, sample_weight, clean_prob.astype(np.float32)


def stored_in(w: sparse.csr_matrix, sub: sparse.csr_matrix) -> np.ndarray:
    """``(nnz(w),)`` bool: which stored entries of ``w`` are stored in ``sub``."""
    keys, want = _entry_keys(w), np.sort(_entry_keys(sub))
    if len(want) == 0:
        return np.zeros(len(keys), dtype=bool)
    pos = np.minimum(np.searchsorted(want, keys), len(want) - 1)
    return want[pos] == keys


def _assemble(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], shape: tuple[int, int]
              ) -> sparse.csr_matrix:
    """CSR float32 of the summed ``(rows, cols, values)`` triplets (explicit zeros kept)."""
    rows = np.concatenate([p[0] for p in parts])
    cols = np.concatenate([p[1] for p in parts])
    vals = np.concatenate([np.asarray(p[2], dtype=np.float32) for p in parts])
    out = sparse.coo_matrix((vals, (rows, cols)), shape=shape).tocsr()
    out.sum_duplicates()
    out.sort_indices()
    return out


def _normalise_rows(w: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows divided by their sum (at least 1e-12)."""
    sums = np.bincount(np.repeat(np.arange(w.shape[0]), np.diff(w.indptr)), weights=w.data,
                       minlength=w.shape[0])
    w.data = (w.data / np.repeat(np.maximum(sums, _EPS), np.diff(w.indptr))).astype(np.float32)
    return w


def row_argmax(w: sparse.csr_matrix) -> np.ndarray:
    """``(M,)`` int64 column of the largest stored value per row (the first on ties, -1 for
    an empty row)."""
    out = np.full(w.shape[0], -1, dtype=np.int64)
    filled = np.flatnonzero(np.diff(w.indptr) > 0)
    if len(filled):
        out[filled] = np.asarray(w[filled].argmax(axis=1)).ravel()
    return out


def own_share_left_out(x: np.ndarray, sums: np.ndarray, share: sparse.csr_matrix, *,
                       chunk: int = 1 << 14) -> tuple[np.ndarray, np.ndarray]:
    """Each image against its names' class vectors with and without its own share in them.

    Args:
        x: ``(M, D)`` normalised features.
        sums: ``(C, D)`` class sums ``S_c = sum_i a_ic x_i`` (``share.T @ x``).
        share: ``(M, C)`` CSR, ``a_ic`` at its stored entries (sorted indices).
        chunk: entries per block (memory ``chunk x D``).
    Returns:
        ``(with, without)``, each ``(nnz(share),)`` float32 at the stored entries (i, c) in
        storage order: ``cos(x_i, S_c)`` and ``cos(x_i, S_c - a_ic x_i)``, the latter NaN
        where nothing is left of the class but the image's own share.
    """
    rows = np.repeat(np.arange(share.shape[0]), np.diff(share.indptr))
    cols = share.indices
    a = share.data.astype(np.float64)
    dot = np.empty(share.nnz, np.float64)
    for s in range(0, share.nnz, chunk):
        e = min(share.nnz, s + chunk)
        dot[s:e] = np.einsum("ed,ed->e", x[rows[s:e]], sums[cols[s:e]], dtype=np.float64)
    xx = np.einsum("md,md->m", x, x, dtype=np.float64)[rows]  # 1 up to float32 rounding
    sq = np.einsum("cd,cd->c", sums, sums, dtype=np.float64)[cols]
    rest = np.maximum(sq - 2.0 * a * dot + a * a * xx, 0.0)  # |S_c - a_ic x_i|^2
    left = rest > 1e-8 * np.maximum(sq, _EPS)
    norm = np.sqrt(xx)
    without = np.where(left, (dot - a * xx) / (norm * np.sqrt(np.where(left, rest, 1.0))),
                       np.nan)
    with_own = dot / (norm * np.sqrt(np.maximum(sq, _EPS)))
    return with_own.astype(np.float32), without.astype(np.float32)


def weighted_sums(w: sparse.csr_matrix, x: np.ndarray, *, chunk_rows: int = 65536) -> np.ndarray:
    """``(C, D)`` float32 ``w.T @ x`` for ``(M, C)`` CSR weights and ``(M, D)`` features,
    accumulated in float64 over row chunks (memory ``chunk_rows x D``): the class vectors
    then do not depend on the order of the samples beyond float32 rounding."""
    out = np.zeros((w.shape[1], x.shape[1]), dtype=np.float64)
    for s in range(0, w.shape[0], chunk_rows):
        out += w[s : s + chunk_rows].T @ x[s : s + chunk_rows].astype(np.float64)
    return out.astype(np.float32)
