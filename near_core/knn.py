"""Cosine k-nearest neighbours with faiss (GPU when present, CPU otherwise).

Embeddings are L2-normalised, so inner product = cosine similarity. Queries run in chunks so
the distance block held at once is ``chunk_size x N`` (bounded memory at 1M vectors). One
``StandardGpuResources`` per GPU is created on first use and reused for the process.

Exact search costs ``N^2 D``: fine on a GPU at millions of vectors, but on CPU cores it is
the quadratic term of a large run. ``method='auto'`` therefore searches exactly on a GPU and
up to :data:`EXACT_MAX_CPU` vectors on the CPU, and with an inverted-file index
(``faiss.IndexIVFFlat``, inner product, k-means cells) above it; an HNSW graph
(``faiss.IndexHNSWFlat``) is the other approximate method. Recall@K of both against exact
search is measured by ``bench/knn.py`` (BENCHMARKS.md, "kNN"): on noisy clustered embeddings
(a fine-grained set's) IVF finds more of the true neighbours than the graph in a third of
its time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import sparse

from near_core.errors import NearError

_GPU_RESOURCES: dict[int, object] = {}

#: largest N searched exactly on the CPU by ``method='auto'`` (above it: IVF). Measured on
#: 2 cores (BENCHMARKS.md, "kNN"): exact search grows with N^2, IVF with about N^1.5.
EXACT_MAX_CPU = 50_000

Method = Literal["auto", "exact", "hnsw", "ivf"]


@dataclass(frozen=True)
class HnswParams:
    """HNSW settings of the approximate index (faiss ``IndexHNSWFlat``).

    ``m`` links per node, ``ef_construction`` the candidate list while building,
    ``ef_search`` the candidate list while searching (raised to ``2 k`` when smaller).
    """

    m: int = 16
    ef_construction: int = 40
    ef_search: int = 32


@dataclass(frozen=True)
class IvfParams:
    """IVF settings of the approximate index (faiss ``IndexIVFFlat``).

    ``lists_per_sqrt_n * sqrt(N)`` cells (k-means centroids, trained on ``train_per_list``
    points per cell drawn with a fixed seed), ``nprobe`` nearest cells searched per query.
    """

    lists_per_sqrt_n: float = 4.0
    nprobe: int = 16
    train_per_list: int = 40


class KnnError(NearError, ValueError):
    """Invalid kNN input (shape, k larger than the data, non-finite values)."""


@dataclass(frozen=True)
class KnnResult:
    """``similarities`` ``(Q, k)`` float32 (descending per row), ``indices`` ``(Q, k)`` int64."""

    similarities: np.ndarray
    indices: np.ndarray

    def graph(self, n: int | None = None) -> sparse.csr_matrix:
        """The kNN graph as a ``(Q, n)`` scipy CSR matrix of similarities."""
        q, k = self.indices.shape
        n = int(self.indices.max()) + 1 if n is None else n
        return sparse.csr_matrix(
            (self.similarities.ravel(), self.indices.ravel(), np.arange(0, q * k + 1, k)),
            shape=(q, n),
        )


def faiss_module() -> Any:
    """The faiss module (an optional dependency: the ``cpu`` or ``gpu`` extra)."""
    try:
        import faiss
    except ImportError as exc:
        raise KnnError(
            f"faiss is not installed ({exc}): pip install 'near-pipeline[cpu]' (faiss-cpu) or "
            "'near-pipeline[gpu]' (faiss-gpu)"
        ) from exc
    return faiss


def gpu_available() -> bool:
    """True when this faiss build has GPU support and sees at least one GPU."""
    faiss = faiss_module()
    return hasattr(faiss, "StandardGpuResources") and faiss.get_num_gpus() > 0


def _gpu_resources(device: int) -> Any:
    res = _GPU_RESOURCES.get(device)
    if res is None:
        res = _GPU_RESOURCES[device] = faiss_module().StandardGpuResources()
    return res


def normalize(x: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation as contiguous float32 (zero rows stay zero)."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


def build_index(
    embeddings: np.ndarray, *, device: Literal["auto", "cpu", "gpu"] | int = "auto"
) -> Any:
    """An exact inner-product faiss index over (already normalised) ``(N, D)`` float32
    vectors: on a GPU when ``device`` allows and one is present, else on the CPU."""
    faiss = faiss_module()
    index = faiss.IndexFlatIP(embeddings.shape[1])
    use_gpu = device != "cpu" and gpu_available()
    if device == "gpu" and not use_gpu:
        raise KnnError("device='gpu' asked but faiss sees no GPU")
    if use_gpu:
        dev = device if isinstance(device, int) else 0
        index = faiss.index_cpu_to_gpu(_gpu_resources(dev), dev, index)
    index.add(embeddings)
    return index


def build_hnsw(embeddings: np.ndarray, *, params: HnswParams, k: int) -> Any:
    """An HNSW inner-product index (CPU) over normalised ``(N, D)`` float32 vectors."""
    faiss = faiss_module()
    index = faiss.IndexHNSWFlat(embeddings.shape[1], params.m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = params.ef_construction
    index.add(embeddings)
    index.hnsw.efSearch = max(params.ef_search, 2 * k)
    return index


def build_ivf(embeddings: np.ndarray, *, params: IvfParams) -> Any:
    """An IVF inner-product index (CPU) over normalised ``(N, D)`` float32 vectors; its
    cells are trained on a seeded sample, so the index is the same on every call."""
    faiss = faiss_module()
    n, d = embeddings.shape
    lists = max(1, min(n, int(params.lists_per_sqrt_n * np.sqrt(n))))
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(d), d, lists, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(0).choice(n, min(n, params.train_per_list * lists),
                                             replace=False)
    index.train(embeddings[np.sort(sample)])
    index.add(embeddings)
    index.nprobe = min(params.nprobe, lists)
    return index


def resolve_method(
    n: int, method: Method, device: Literal["auto", "cpu", "gpu"] | int
) -> Literal["exact", "hnsw", "ivf"]:
    """The search a call uses: ``method`` itself, or for 'auto' exact on a GPU and for up to
    :data:`EXACT_MAX_CPU` vectors, IVF otherwise."""
    if method not in ("auto", "exact", "hnsw", "ivf"):
        raise KnnError(f"method must be 'auto', 'exact', 'hnsw' or 'ivf', got {method!r}")
    if method != "auto":
        return method
    on_gpu = device != "cpu" and gpu_available()
    return "exact" if on_gpu or n <= EXACT_MAX_CPU else "ivf"


def knn(
    embeddings: np.ndarray,
    k: int,
    *,
    queries: np.ndarray | None = None,
    exclude_self: bool = True,
    query_ids: np.ndarray | None = None,
    chunk_size: int = 16384,
    device: Literal["auto", "cpu", "gpu"] | int = "auto",
    method: Method = "auto",
    hnsw: HnswParams = HnswParams(),
    ivf: IvfParams = IvfParams(),
) -> KnnResult:
    """Cosine kNN, exact or (large N on CPU) approximate.

    Args:
        embeddings: ``(N, D)`` database vectors (normalised here).
        k: neighbours per query.
        queries: ``(Q, D)`` query vectors; default the database itself.
        exclude_self: when querying the database itself, never return a point as its own
            neighbour (exact duplicates of it may still be returned).
        query_ids: ``(Q,)`` the database row each of ``queries`` is (-1: none), never
            returned as its own neighbour (a query that is none loses its farthest of k + 1).
        chunk_size: queries per faiss call.
        device: 'auto' (GPU when present), 'cpu', 'gpu', or a GPU ordinal.
        method: 'exact', 'ivf' (CPU inverted file), 'hnsw' (CPU graph index), or 'auto'
            (:func:`resolve_method`).
        hnsw: settings of the HNSW index.
        ivf: settings of the IVF index.
    Returns:
        :class:`KnnResult` with ``(Q, k)`` similarities and indices. Rows for which the
        approximate index finds fewer than ``k`` neighbours are searched exactly.
    """
    if embeddings.ndim != 2 or embeddings.shape[0] == 0:
        raise KnnError(f"embeddings must be a non-empty (N, D) array, got shape {embeddings.shape}")
    base = normalize(embeddings)
    if not np.isfinite(base).all():
        raise KnnError("embeddings contain NaN or infinite values")
    self_query = queries is None
    q = base if self_query else normalize(queries)
    if q.shape[1] != base.shape[1]:
        raise KnnError(f"queries have dimension {q.shape[1]}, embeddings {base.shape[1]}")
    if query_ids is not None and len(query_ids) != q.shape[0]:
        raise KnnError(f"query_ids has {len(query_ids)} rows, queries {q.shape[0]}")
    drop = (self_query and exclude_self) or query_ids is not None
    n = base.shape[0]
    if k < 1 or k > n - int(drop):
        raise KnnError(f"k={k} must be in 1..{n - int(drop)} for {n} vectors")
    if chunk_size < 1:
        raise KnnError("chunk_size must be >= 1")
    kk = k + int(drop)
    chosen = resolve_method(n, method, device)
    approximate = chosen != "exact"
    if chosen == "hnsw":
        index = build_hnsw(base, params=hnsw, k=kk)
    elif chosen == "ivf":
        index = build_ivf(base, params=ivf)
    else:
        index = build_index(base, device=device)
    sims = np.empty((q.shape[0], k), dtype=np.float32)
    idx = np.empty((q.shape[0], k), dtype=np.int64)
    for start in range(0, q.shape[0], chunk_size):
        stop = min(start + chunk_size, q.shape[0])
        d, i = index.search(q[start:stop], kk)
        if approximate:
            d, i = _fill_missing(d, i, q[start:stop], base, kk)
        if drop:
            own = np.arange(start, stop) if query_ids is None else query_ids[start:stop]
            d, i = _drop_self(d, i, own)
        sims[start:stop] = d
        idx[start:stop] = i
    return KnnResult(similarities=sims, indices=idx)


def _fill_missing(
    d: np.ndarray, i: np.ndarray, q: np.ndarray, base: np.ndarray, kk: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows where the approximate search returned fewer than ``kk`` results (index -1),
    searched exactly instead (rare: tiny or disconnected graphs, nearly empty cells)."""
    short = (i < 0).any(axis=1)
    if short.any():
        exact = faiss_module().IndexFlatIP(base.shape[1])
        exact.add(base)
        d[short], i[short] = exact.search(np.ascontiguousarray(q[short]), kk)
    return d, i


def _drop_self(d: np.ndarray, i: np.ndarray, own: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Remove each row's own index (or, when absent, its last column): k+1 -> k columns."""
    is_self = i == own[:, None]
    missing = ~is_self.any(axis=1)
    is_self[missing, -1] = True
    keep = ~is_self
    rows = d.shape[0]
    return d[keep].reshape(rows, -1), i[keep].reshape(rows, -1)
