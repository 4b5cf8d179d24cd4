"""Cosine kNN: our wrapper (near_core.knn) vs raw faiss IndexFlatIP vs numpy brute force, and
the approximate indexes (HNSW, IVF) against exact search.

Exact mode: all N vectors are queries (self excluded), float32, L2-normalised random data;
results of the three are checked to agree (similarities within 1e-4). Recall mode: clustered
data (``--classes`` centres + ``--sigma`` Gaussian noise, like CLIP embeddings of a
fine-grained set), exact vs HNSW vs IVF time and recall@k for each N. Usage::

    python bench/knn.py                 # N = 100000, D = 512, k = 10 (minutes on 2 cores)
    python bench/knn.py --n 20000       # smaller: cost grows with N^2
    python bench/knn.py --recall --n 20000,50000,100000 --d 128
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

import faiss  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from near_core.knn import gpu_available, knn, normalize  # noqa: E402


def clustered(n: int, d: int, classes: int, sigma: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = normalize(rng.standard_normal((classes, d)).astype(np.float32))
    x = centres[rng.integers(0, classes, n)] + sigma * rng.standard_normal((n, d))
    return normalize(x.astype(np.float32))


def recall_table(sizes: list[int], d: int, k: int, classes: int, sigma: float) -> None:
    print(f"clustered: D={d} k={k} classes={classes} sigma={sigma} faiss {faiss.__version__} "
          f"threads={faiss.omp_get_max_threads()}")
    print("| N | exact s | HNSW s | HNSW vs exact | HNSW recall@k | IVF s | IVF vs exact "
          "| IVF recall@k |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for n in sizes:
        x = clustered(n, d, classes, sigma)
        t = time.perf_counter()
        exact = knn(x, k, method="exact", device="cpu")
        te = time.perf_counter() - t
        row = f"| {n} | {te:.1f} "
        for method in ("hnsw", "ivf"):
            t = time.perf_counter()
            approx = knn(x, k, method=method, device="cpu")
            ta = time.perf_counter() - t
            hits = (approx.indices[:, :, None] == exact.indices[:, None, :]).any(axis=2)
            row += f"| {ta:.1f} | {ta / te:.2f}x | {hits.mean():.4f} "
        print(row + "|", flush=True)


def raw_faiss(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    index = faiss.IndexFlatIP(x.shape[1])
    index.add(x)
    d, i = index.search(x, k + 1)
    return d[:, 1:], i[:, 1:]  # self is first for distinct random vectors


def numpy_brute(x: np.ndarray, k: int, chunk: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    sims = np.empty((len(x), k), np.float32)
    idx = np.empty((len(x), k), np.int64)
    for s in range(0, len(x), chunk):
        block = x[s : s + chunk] @ x.T
        block[np.arange(len(block)), np.arange(s, s + len(block))] = -np.inf
        part = np.argpartition(-block, k, axis=1)[:, :k]
        vals = np.take_along_axis(block, part, axis=1)
        order = np.argsort(-vals, axis=1)
        idx[s : s + chunk] = np.take_along_axis(part, order, axis=1)
        sims[s : s + chunk] = np.take_along_axis(vals, order, axis=1)
    return sims, idx


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", default="100000", help="N (recall mode: comma-separated list)")
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--skip-numpy", action="store_true")
    ap.add_argument("--recall", action="store_true", help="exact vs HNSW on clustered data")
    ap.add_argument("--classes", type=int, default=1000)
    ap.add_argument("--sigma", type=float, default=0.08)
    args = ap.parse_args(argv)
    if args.recall:
        recall_table([int(v) for v in args.n.split(",")], args.d, args.k, args.classes,
                     args.sigma)
        return 0
    args.n = int(args.n)
    x = normalize(np.random.default_rng(0).standard_normal((args.n, args.d)).astype(np.float32))
    print(f"N={args.n} D={args.d} k={args.k} faiss {faiss.__version__} "
          f"gpu={gpu_available()} threads={faiss.omp_get_max_threads()}")
    timings = {}
    t = time.perf_counter()
    ours = knn(x, args.k, method="exact")
    timings["near_core.knn (faiss, chunked)"] = time.perf_counter() - t
    t = time.perf_counter()
    fs, _ = raw_faiss(x, args.k)
    timings["raw faiss IndexFlatIP"] = time.perf_counter() - t
    assert np.allclose(ours.similarities, fs, atol=1e-4)
    if not args.skip_numpy:
        t = time.perf_counter()
        ns, _ = numpy_brute(x, args.k)
        timings["numpy brute force (chunked matmul)"] = time.perf_counter() - t
        assert np.allclose(ours.similarities, ns, atol=1e-4)
    base = timings["raw faiss IndexFlatIP"]
    print("| method | seconds | vs raw faiss |")
    print("| --- | --- | --- |")
    for name, sec in timings.items():
        print(f"| {name} | {sec:.1f} | {sec / base:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
