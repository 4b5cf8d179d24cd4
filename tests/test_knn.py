"""Exact cosine kNN: faiss equals brute force, self excluded, chunking invariant, CSR graph."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from near_core.knn import KnnError, knn, normalize


def brute(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    xn = normalize(x).astype(np.float64)
    sims = xn @ xn.T
    np.fill_diagonal(sims, -np.inf)
    idx = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(sims, idx, axis=1), idx


@pytest.mark.parametrize(("n", "d", "k"), [(50, 8, 1), (300, 32, 10), (257, 5, 7)])
def test_faiss_equals_brute_force(n, d, k):
    x = np.random.default_rng(n).standard_normal((n, d)).astype(np.float32)
    res = knn(x, k, device="cpu")
    sims, idx = brute(x, k)
    np.testing.assert_allclose(res.similarities, sims, atol=1e-5)
    # indices agree except where similarities tie
    agree = (res.indices == idx) | np.isclose(res.similarities, sims, atol=1e-6)
    assert agree.all()
    assert res.indices.dtype == np.int64 and res.similarities.dtype == np.float32


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 60), k_frac=st.floats(0, 1), chunk=st.integers(1, 70),
       seed=st.integers(0, 10_000), dup=st.booleans())
def test_self_never_returned_and_chunking_invariant(n, k_frac, chunk, seed, dup):
    x = np.random.default_rng(seed).standard_normal((n, 4)).astype(np.float32)
    if dup:
        x[n // 2] = x[0]  # an exact duplicate must not confuse self-exclusion
    k = 1 + int(k_frac * (n - 2))
    full = knn(x, k, device="cpu")
    chunked = knn(x, k, chunk_size=chunk, device="cpu")
    assert not (full.indices == np.arange(n)[:, None]).any()
    np.testing.assert_array_equal(full.indices, chunked.indices)
    np.testing.assert_array_equal(full.similarities, chunked.similarities)
    assert (np.diff(full.similarities, axis=1) <= 1e-6).all()


def test_queries_and_graph():
    rng = np.random.default_rng(0)
    base = rng.standard_normal((40, 6)).astype(np.float32)
    res = knn(base, 3, queries=base[:5], device="cpu")
    assert (res.indices[:, 0] == np.arange(5)).all()  # not self-excluded: own queries
    g = knn(base, 4, device="cpu").graph(40)
    assert g.shape == (40, 40) and g.nnz == 160
    assert (g.diagonal() == 0).all()


def test_bad_input_is_named():
    with pytest.raises(KnnError, match="k=5"):
        knn(np.ones((5, 3), np.float32), 5)
    with pytest.raises(KnnError, match="NaN"):
        knn(np.full((4, 3), np.nan, np.float32), 1)
    with pytest.raises(KnnError, match="dimension"):
        knn(np.ones((4, 3), np.float32), 1, queries=np.ones((2, 5), np.float32))
