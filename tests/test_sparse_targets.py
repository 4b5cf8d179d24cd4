"""The sparse / top-k NeaR refinement against dense references.

With ``top_k >= C`` the sparse step, the chunked logits and head-mode refinement must be the
dense method (up to float rounding); below, only the noisy targets are truncated.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from near_core.knn import normalize
from near_core.near import RefineOptions, refine_head, support_prior
from near_core.objective import NearObjective
from near_core.sparse_targets import (
    RowLogits,
    Shortlist,
    cosine_row_logits,
    own_share_left_out,
    refine_sparse,
    row_argmax,
    shortlist_row_logits,
    weighted_sums,
)


def _candidates(rng: np.random.Generator, m: int, c: int, *, max_size: int = 3
                ) -> sparse.csr_matrix:
    """``(m, c)`` CSR of random candidate weights, 1..max_size names per row, rows sum to 1."""
    rows, cols, vals = [], [], []
    for i in range(m):
        names = rng.choice(c, rng.integers(1, max_size + 1), replace=False)
        w = rng.random(len(names)) + 0.1
        rows += [i] * len(names)
        cols += names.tolist()
        vals += (w / w.sum()).tolist()
    out = sparse.csr_matrix((np.float32(vals), (rows, cols)), shape=(m, c))
    out.sort_indices()
    return out


def _bimodal_logits(rng: np.random.Generator, cand: sparse.csr_matrix) -> torch.Tensor:
    """Logits whose candidate-set losses split clearly: rows of even index favour a
    candidate, odd rows a name outside S_i (so the GMM split is well conditioned)."""
    m, c = cand.shape
    logits = rng.normal(0.0, 1.0, (m, c)).astype(np.float32)
    dense = cand.toarray() > 0
    for i in range(m):
        pick = np.flatnonzero(dense[i] if i % 2 == 0 else ~dense[i])
        logits[i, rng.choice(pick)] += 6.0
    return torch.from_numpy(logits)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("momentum", [0.0, 0.5])
def test_sparse_step_with_full_top_k_is_the_dense_step(seed, momentum):
    rng = np.random.default_rng(seed)
    m, c = 40, 9
    cand = _candidates(rng, m, c)
    logits = _bimodal_logits(rng, cand)
    objective = NearObjective(momentum=momentum)
    mask = torch.from_numpy(cand.toarray() > 0)
    # previous targets: dense rows (a former noisy round) on half the rows
    prev = torch.from_numpy(cand.toarray())
    prev[::2] = torch.softmax(logits[::2], dim=1)
    prev_sparse = sparse.csr_matrix(prev.numpy())  # stores S_i: its weights are positive
    want_w, want_sw, want_clean = objective.refine_targets(logits, mask, prev)
    got_w, got_sw, got_clean = refine_sparse(
        objective, RowLogits.from_dense(logits, prev_sparse, top_k=c), cand, prev_sparse)
    np.testing.assert_allclose(got_clean, want_clean.numpy(), atol=1e-5)
    np.testing.assert_allclose(got_sw, want_sw.numpy())
    np.testing.assert_allclose(got_w.toarray(), want_w.numpy(), atol=1e-6)
    assert set(zip(*cand.nonzero(), strict=True)) <= set(zip(*_stored(got_w), strict=True))


def _explicit(cand: sparse.csr_matrix) -> sparse.csr_matrix:
    """The pattern of ``cand`` with zero values (adding it keeps S_i stored)."""
    out = cand.copy()
    out.data[:] = 0.0
    return out


def _stored(w: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    return np.repeat(np.arange(w.shape[0]), np.diff(w.indptr)), w.indices


def test_top_k_truncates_only_the_noisy_targets():
    rng = np.random.default_rng(3)
    m, c, k = 60, 30, 4
    cand = _candidates(rng, m, c, max_size=2)
    logits = _bimodal_logits(rng, cand)
    objective = NearObjective(momentum=0.0)
    w, sw, clean = refine_sparse(objective, RowLogits.from_dense(logits, cand, top_k=k),
                                 cand, cand)
    want_w, _, _ = objective.refine_targets(logits, torch.from_numpy(cand.toarray() > 0), None)
    noisy = clean < objective.threshold
    assert noisy.any() and (~noisy).any()
    np.testing.assert_allclose(w.toarray()[~noisy], want_w.numpy()[~noisy], atol=1e-6)
    top = torch.topk(logits, k, dim=1).indices.numpy()
    for i in np.flatnonzero(noisy):
        row = w[i].toarray().ravel()
        assert set(np.flatnonzero(row > 0)) == set(top[i].tolist())
        sharp = torch.softmax(logits[i, top[i]] / objective.temperature, dim=0).numpy()
        np.testing.assert_allclose(row[top[i]], sharp, atol=1e-6)
    np.testing.assert_allclose(np.asarray(w.sum(axis=1)).ravel(), 1.0, atol=1e-6)


@pytest.mark.parametrize("chunk_rows", [1, 7, None])
def test_chunked_logits_summarise_the_dense_logits(chunk_rows):
    rng = np.random.default_rng(4)
    m, c, d, k = 23, 11, 8, 3
    x = normalize(rng.normal(size=(m, d)))
    t = normalize(rng.normal(size=(c, d)))
    bias = rng.normal(size=c).astype(np.float32)
    evidence = _candidates(rng, m, c)
    evidence.data = np.log(evidence.data).astype(np.float32)
    support = sparse.csr_matrix(_candidates(rng, m, c) + _explicit(evidence))
    support.sort_indices()
    out = cosine_row_logits(x, t, scale=5.0, bias=bias, evidence=evidence,
                            evidence_default=-3.0, support=support, top_k=k,
                            chunk_rows=chunk_rows)
    dense = 5.0 * x @ t.T - 3.0
    at = _stored(evidence)
    dense[at] = (5.0 * x @ t.T)[at] + evidence.data
    dense += bias
    ref = RowLogits.from_dense(dense, support, top_k=k)
    np.testing.assert_allclose(out.lse, torch.logsumexp(torch.from_numpy(dense), 1), atol=1e-5)
    np.testing.assert_allclose(out.at.data, ref.at.data, atol=1e-5)
    np.testing.assert_array_equal(out.top_ids, ref.top_ids)
    np.testing.assert_allclose(out.top_logits, ref.top_logits, atol=1e-5)
    pick = row_argmax(support)
    np.testing.assert_allclose(out.probs_at(pick), torch.softmax(
        torch.from_numpy(dense), 1).numpy()[np.arange(m), pick], atol=1e-6)
    np.testing.assert_allclose(weighted_sums(support, x, chunk_rows=5), support.T @ x,
                               atol=1e-5)


def _dense_cosines(x, share, leave_own_out):
    """``(N, C)`` ``cos(x_i, S_c - a_ic x_i)`` (``S_c`` alone when not ``leave_own_out``)
    for ``share`` = the ``(N, C)`` weights ``a``; where the image is all of its class, the
    ``a``-weighted mean of the others."""
    x, share = x.double(), share.double()
    sums = share.T @ x
    dot = x @ sums.T
    if not leave_own_out:
        return (dot / sums.norm(dim=-1)).float()
    rest = (sums * sums).sum(-1) - 2 * share * dot + share * share
    left = rest > 1e-8 * (sums * sums).sum(-1)
    cos = (dot - share) / rest.clamp(min=1e-12).sqrt()
    typical = (cos * share)[left].sum() / share[left].sum()
    return torch.where(left, cos, typical).float()


def _dense_refine_head(features, weights, options, *, leave_own_out=True):
    """The dense head-mode refinement (the method before sparse targets): reference only."""
    opt = options
    x = torch.from_numpy(normalize(features))
    w0 = torch.from_numpy(weights.toarray().astype(np.float32))
    cand = w0 > 0
    names = int((w0.sum(0) >= 0.5).sum())
    cap = float(opt.support_cap or max(opt.support_cap_min, 0.75 * len(x) / max(names, 1)))
    w, sample_weight = w0.clone(), torch.ones(len(x))
    objective = opt.objective()
    unanimous = cand.sum(dim=1) == 1
    evidence = opt.evidence_power * torch.log(w + opt.evidence_floor)
    for _ in range(opt.iterations):
        cos = _dense_cosines(x, w * sample_weight[:, None], leave_own_out)
        logits = opt.scale * cos + evidence + support_prior(
            w.sum(0), power=opt.support_power, cap=cap)
        w, sample_weight, clean_prob = objective.refine_targets(logits, cand, w)
        w[unanimous] = cand[unanimous].float()
        sample_weight[unanimous], clean_prob[unanimous] = 1.0, 1.0
    probs = torch.softmax(logits, dim=-1)
    return w.numpy(), probs.numpy(), clean_prob.numpy()


def _clustered_problem(seed: int, *, m: int = 90, c: int = 6, d: int = 12):
    """Features of ``c`` well separated clusters; candidates: the own cluster's name with
    weight, plus 0-2 random names (one in five rows led by a wrong name)."""
    rng = np.random.default_rng(seed)
    centres = normalize(rng.normal(size=(c, d)))
    y = np.arange(m) % c
    x = normalize(centres[y] + 0.3 * rng.normal(size=(m, d)) / np.sqrt(d))
    extra = _candidates(rng, m, c, max_size=2)
    own = sparse.csr_matrix((np.where(rng.random(m) < 0.8, 1.0, 0.2).astype(np.float32),
                             (np.arange(m), y)), shape=(m, c))
    w = sparse.csr_matrix(own + extra)
    w = sparse.diags(1.0 / np.asarray(w.sum(axis=1)).ravel()) @ w
    return x, sparse.csr_matrix(w, dtype=np.float32)


@pytest.mark.parametrize("leave_own_out", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_refine_head_with_full_top_k_matches_the_dense_reference(seed, leave_own_out):
    x, w0 = _clustered_problem(seed)
    opt = RefineOptions(noisy_topk=None, iterations=8)
    want_w, want_probs, want_clean = _dense_refine_head(x, w0, opt, leave_own_out=leave_own_out)
    head = refine_head(x, w0, options=opt, leave_own_out=leave_own_out)
    np.testing.assert_array_equal(head.label_ids, want_w.argmax(axis=1))
    np.testing.assert_allclose(head.weights.toarray(), want_w, atol=1e-4)
    # P(clean) itself is not compared: the GMM's EM stops at a log-likelihood tolerance, so
    # float rounding of the losses (1e-6) can move posteriors by 0.1-0.15 (0.46 -> 0.60 for
    # a row whose targets are the same either way); the split is the same where decided
    decided = np.abs(want_clean - 0.5) > 0.2
    np.testing.assert_array_equal(head.clean_prob[decided] >= 0.5, want_clean[decided] >= 0.5)
    np.testing.assert_allclose(head.confidence, want_probs[np.arange(len(x)), head.label_ids],
                               atol=1e-5)
    order = np.argsort(-want_probs, axis=1, kind="stable")
    np.testing.assert_allclose(head.top_probs, np.take_along_axis(want_probs, order, 1),
                               atol=1e-5)
    # the default top-k (smaller than C here) keeps every label
    truncated = refine_head(x, w0, options=RefineOptions(noisy_topk=2, iterations=8),
                            leave_own_out=leave_own_out)
    np.testing.assert_array_equal(truncated.label_ids, head.label_ids)
    assert truncated.top_ids.shape == (len(x), 2)


def _scoring_problem(seed: int, *, m: int = 50, c: int = 30, d: int = 8):
    """Normalised features, class vectors, a bias, evidence and support for the logits."""
    rng = np.random.default_rng(seed)
    x = normalize(rng.normal(size=(m, d))).astype(np.float32)
    t = normalize(rng.normal(size=(c, d))).astype(np.float32)
    cand = _candidates(rng, m, c)
    evidence = cand.copy()
    evidence.data = 0.5 * np.log(cand.data + 0.01)
    terms = dict(scale=8.0, bias=rng.normal(size=c).astype(np.float32), evidence=evidence,
                 evidence_default=float(0.5 * np.log(0.01)))
    return x, t, cand, terms


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("width", [30, 6])
def test_shortlist_with_the_full_pass_vectors_gives_the_full_summary(seed, width):
    """Scored with the class vectors of its full pass, a shortlist (all names or a few plus
    the tail) gives the full pass's normaliser, support logits and top k."""
    x, t, cand, terms = _scoring_problem(seed)
    full = cosine_row_logits(x, t, **terms, support=cand, top_k=width)
    short = Shortlist.from_full(full)
    assert (np.diff(short.names.indptr) >= width).all()
    assert np.isneginf(short.log_tail).all() == (width == t.shape[0])
    got = shortlist_row_logits(x, t, **terms, shortlist=short, support=cand, top_k=4)
    np.testing.assert_allclose(got.lse, full.lse, rtol=1e-6)
    np.testing.assert_allclose(got.at.toarray(), full.at.toarray(), atol=1e-5)
    np.testing.assert_array_equal(got.top_ids, full.top_ids[:, :4])
    np.testing.assert_allclose(got.top_logits, full.top_logits[:, :4], atol=1e-5)


def test_shortlist_holds_the_tail_of_its_full_pass():
    """With moved class vectors the names outside L_i keep their last full-pass mass: the
    normaliser is exact on L_i and off by the tail's change only."""
    x, t, cand, terms = _scoring_problem(2)
    short = Shortlist.from_full(cosine_row_logits(x, t, **terms, support=cand, top_k=6))
    moved = normalize(t + 0.05 * np.random.default_rng(3).normal(size=t.shape)).astype(np.float32)
    exact = cosine_row_logits(x, moved, **terms, support=cand, top_k=6)
    got = shortlist_row_logits(x, moved, **terms, shortlist=short, support=cand, top_k=6)
    np.testing.assert_allclose(got.at.toarray(), exact.at.toarray(), atol=1e-5)
    assert np.abs(got.lse - exact.lse).max() < 0.05
    best = exact.top_ids[:, 0]
    assert all(best[i] in short.names[i].indices for i in range(len(best)))  # on the shortlist
    np.testing.assert_array_equal(got.top_ids[:, 0], best)


def test_shortlist_rejects_a_support_outside_it():
    x, t, cand, terms = _scoring_problem(0)
    short = Shortlist.from_full(cosine_row_logits(x, t, **terms, support=cand, top_k=2))
    wider = sparse.csr_matrix(np.ones(cand.shape, dtype=np.float32))
    with pytest.raises(ValueError, match="support has entries outside the shortlist"):
        shortlist_row_logits(x, t, **terms, shortlist=short, support=wider, top_k=2)


@pytest.mark.parametrize("seed", [0, 1])
def test_refine_head_on_shortlists_keeps_the_labels_of_full_passes(seed):
    """Many names, shortlists of 8 with a full pass every 5 rounds: the same labels as a
    full pass every round."""
    x, w0 = _clustered_problem(seed, m=400, c=40, d=24)
    every = refine_head(x, w0, options=RefineOptions(shortlist=None))
    short = refine_head(x, w0, options=RefineOptions(shortlist=8, full_pass_every=5))
    np.testing.assert_array_equal(short.label_ids, every.label_ids)
    np.testing.assert_allclose(short.confidence, every.confidence, atol=1e-3)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_own_share_left_out_is_the_class_vector_without_the_image(seed):
    rng = np.random.default_rng(seed)
    m, c, d = 12, 5, 6
    x = normalize(rng.normal(size=(m, d))).astype(np.float32)
    share = _candidates(rng, m, c, max_size=3)
    share.data = rng.uniform(0.1, 1.0, share.nnz).astype(np.float32)
    sums = weighted_sums(share, x)
    with_own, without = own_share_left_out(x, sums, share, chunk=7)
    rows = np.repeat(np.arange(m), np.diff(share.indptr))
    for e, (i, col) in enumerate(zip(rows, share.indices, strict=True)):
        others = sums[col] - share.data[e] * x[i]
        assert with_own[e] == pytest.approx(x[i] @ sums[col] / np.linalg.norm(sums[col]),
                                            abs=1e-5)
        if share[:, col].getnnz() == 1:  # the image is all of its class
            assert np.isnan(without[e])
        else:
            assert without[e] == pytest.approx(x[i] @ others / np.linalg.norm(others), abs=1e-4)
