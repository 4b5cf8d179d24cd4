"""Exact cosine kNN: our wrapper (near_core.knn) vs raw faiss IndexFlatIP vs numpy brute force.

All N vectors are queries (self excluded), float32, L2-normalised random data. Results of the
three are checked to agree (similarities within 1e-4). Usage::

    python bench/knn.py                 # N = 100000, D = 512, k = 10 (minutes on 2 cores)
    python bench/knn.py --n 20000       # smaller: cost grows with N^2
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
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--skip-numpy", action="store_true")
    args = ap.parse_args(argv)
    x = normalize(np.random.default_rng(0).standard_normal((args.n, args.d)).astype(np.float32))
    print(f"N={args.n} D={args.d} k={args.k} faiss {faiss.__version__} "
          f"gpu={gpu_available()} threads={faiss.omp_get_max_threads()}")
    timings = {}
    t = time.perf_counter()
    ours = knn(x, args.k)
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
