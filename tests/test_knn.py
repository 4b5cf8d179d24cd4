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


def test_queries_that_are_database_rows_never_find_themselves():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 8)).astype(np.float32)
    rows = np.array([3, 17, 25])
    found = knn(x, 4, queries=x[rows], query_ids=rows).indices
    assert not (found == rows[:, None]).any()
    # the same as querying the database itself, row by row
    np.testing.assert_array_equal(found, knn(x, 4).indices[rows])
    # a query that is no row loses the farthest of k + 1, not a neighbour
    outside = knn(x, 4, queries=x[:1] + 5.0, query_ids=np.array([-1])).indices
    np.testing.assert_array_equal(outside, knn(x, 4, queries=x[:1] + 5.0).indices)
    with pytest.raises(KnnError, match="query_ids has 2 rows"):
        knn(x, 4, queries=x[rows], query_ids=rows[:2])


def test_bad_input_is_named():
    with pytest.raises(KnnError, match="k=5"):
        knn(np.ones((5, 3), np.float32), 5)
    with pytest.raises(KnnError, match="NaN"):
        knn(np.full((4, 3), np.nan, np.float32), 1)
    with pytest.raises(KnnError, match="dimension"):
        knn(np.ones((4, 3), np.float32), 1, queries=np.ones((2, 5), np.float32))


def _clustered(n: int, d: int, classes: int, sigma: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = normalize(rng.standard_normal((classes, d)).astype(np.float32))
    x = centres[rng.integers(0, classes, n)] + sigma * rng.standard_normal((n, d))
    return normalize(x.astype(np.float32))


@pytest.mark.parametrize("method", ["hnsw", "ivf"])
def test_approximate_recall_against_exact(method):
    x = _clustered(3000, 32, 60, 0.1, seed=1)
    exact = knn(x, 10, method="exact", device="cpu")
    approx = knn(x, 10, method=method, device="cpu")
    assert not (approx.indices == np.arange(len(x))[:, None]).any()
    assert (approx.indices >= 0).all()
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(approx.indices, exact.indices,
                                                                 strict=True)])
    assert recall >= 0.95
    assert (np.diff(approx.similarities, axis=1) <= 1e-6).all()


@pytest.mark.parametrize("method", ["hnsw", "ivf"])
def test_approximate_queries_and_tiny_index(method):
    x = _clustered(40, 8, 4, 0.2, seed=2)
    q = _clustered(7, 8, 4, 0.2, seed=3)
    exact = knn(x, 39, queries=q, method="exact", device="cpu")
    approx = knn(x, 39, queries=q, method=method, device="cpu")
    # every row is complete (missing graph results are searched exactly)
    assert (approx.indices >= 0).all()
    np.testing.assert_allclose(np.sort(approx.similarities, axis=1),
                               np.sort(exact.similarities, axis=1), atol=1e-5)


def test_method_resolution(monkeypatch):
    from near_core import knn as knn_mod

    monkeypatch.setattr(knn_mod, "gpu_available", lambda: False)
    assert knn_mod.resolve_method(knn_mod.EXACT_MAX_CPU, "auto", "auto") == "exact"
    assert knn_mod.resolve_method(knn_mod.EXACT_MAX_CPU + 1, "auto", "auto") == "ivf"
    assert knn_mod.resolve_method(10, "hnsw", "auto") == "hnsw"
    monkeypatch.setattr(knn_mod, "gpu_available", lambda: True)
    assert knn_mod.resolve_method(10**7, "auto", "auto") == "exact"
    with pytest.raises(KnnError, match="method"):
        knn_mod.resolve_method(10, "annoy", "auto")


def test_ivf_is_deterministic():
    x = _clustered(2000, 16, 30, 0.2, seed=4)
    a, b = knn(x, 5, method="ivf", device="cpu"), knn(x, 5, method="ivf", device="cpu")
    np.testing.assert_array_equal(a.indices, b.indices)
