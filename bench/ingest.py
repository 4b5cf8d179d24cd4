"""Ingest throughput: images/s for scanning N generated images into a fresh run.

    python bench/ingest.py [--n 5000] [--size 256] [--workers 0]

Baseline in the same process: a bare loop that reads, hashes and fully decodes the same files
sequentially with PIL (what ingest must do at minimum). The ratio shows the cost or gain of
ingest's bookkeeping, thread pool and Parquet writes. A second ingest of the same folder
(everything known) is timed too.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from near_core.config import IngestConfig
from near_core.ingest import discover, ingest
from near_core.store import RunStore


def make_images(root: Path, n: int, size: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    for i in range(n):
        base = rng.integers(0, 255, size=(8, 8, 3), dtype=np.uint8)
        img = Image.fromarray(base).resize((size, size), Image.BILINEAR)
        sub = root / f"d{i % 50:02d}"
        sub.mkdir(exist_ok=True)
        img.save(sub / f"img{i:06d}.jpg", "JPEG", quality=90)


def baseline(paths: list[Path]) -> float:
    t = time.perf_counter()
    for p in paths:
        data = p.read_bytes()
        hashlib.sha256(data).hexdigest()
        with Image.open(p) as img:
            img.load()
            img.convert("RGB")
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--workers", type=int, default=0)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "images"
        src.mkdir()
        make_images(src, args.n, args.size)
        paths = discover(src)
        base_s = baseline(paths)
        store = RunStore(Path(tmp) / "run")
        cfg = IngestConfig(workers=args.workers)
        t = time.perf_counter()
        summary = ingest(src, store, config=cfg)
        first_s = time.perf_counter() - t
        t = time.perf_counter()
        again = ingest(src, store, config=cfg)
        second_s = time.perf_counter() - t
    assert summary.ok == args.n and again.new == 0
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"images: {args.n} JPEG {args.size}x{args.size}")
    print("| run | seconds | images/s | ratio vs baseline |")
    print("|---|---|---|---|")
    print(f"| baseline: sequential read+sha256+decode | {base_s:.2f} | {args.n / base_s:.0f} | 1.00 |")
    print(f"| near ingest (first scan) | {first_s:.2f} | {args.n / first_s:.0f} | {base_s / first_s:.2f} |")
    print(f"| near ingest (rescan, all known) | {second_s:.2f} | {args.n / second_s:.0f} | {base_s / second_s:.2f} |")


if __name__ == "__main__":
    main()
