"""refine_labels at scale: time, peak RSS and cACC from 5,000 to 1,000,000 images.

Simulated set (issue 11): ``C`` classes with unit Gaussian centres in D = 128, in sibling
pairs (centre cosine ``--sibling-cos``); image = normalize(centre + sigma * N(0, I) / sqrt(D))
(``--sigma`` keeps 1-NN purity realistic, printed per size); every image answered (refine
only runs on answered images: the worst case): its class's name with probability 0.8 (the
canonical spelling, or one of two spelling variants, "<name> 2019" / "common <name>", each
with probability 0.15), else a wrong name (half the sibling class's, half a random class's).
Names ~ 3 x classes, so a size is given as images x names. cACC (Hungarian,
``near_core.metrics.cacc``) of the refined labels against the classes.

Each size runs in a fresh subprocess (peak RSS = its ``ru_maxrss``, data generation
included; ``rss_before`` is the RSS before ``refine_labels``). Time is reported as wall and as
the process's CPU time (user + system): on a machine shared with other jobs the CPU time is
the steadier figure for a ratio between sizes. ``--code DIR`` imports
``near_core`` from another checkout (e.g. the previous commit) for a before/after table in
one session. Usage::

    OMP_NUM_THREADS=1 python bench/refine_scale.py                     # default sizes
    OMP_NUM_THREADS=1 python bench/refine_scale.py --sizes 20000x500 200000x5000
    OMP_NUM_THREADS=1 python bench/refine_scale.py --code /tmp/old --sizes 20000x500
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SIZES = ("5000x500", "20000x500", "20000x1000", "50000x2000", "200000x5000")
DIM = 128


def simulate(n: int, names: int, *, sigma: float, sibling_cos: float, seed: int = 0
             ) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """``(answers, embeddings (n, DIM) float32, true class (n,))`` of about ``names`` names."""
    rng = np.random.default_rng(seed)
    classes = max(2, int(round(names / 3))) // 2 * 2
    a = rng.standard_normal((classes // 2, DIM)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b = rng.standard_normal((classes // 2, DIM)).astype(np.float32)
    b -= (a * b).sum(1, keepdims=True) * a
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    centres = np.empty((classes, DIM), dtype=np.float32)
    centres[0::2], centres[1::2] = a, sibling_cos * a + np.sqrt(1 - sibling_cos**2) * b
    y = rng.integers(0, classes, n)
    x = np.empty((n, DIM), dtype=np.float32)
    for s in range(0, n, 65536):
        e = min(n, s + 65536)
        block = centres[y[s:e]] + sigma / np.sqrt(DIM) * rng.standard_normal(
            (e - s, DIM)).astype(np.float32)
        x[s:e] = block / np.linalg.norm(block, axis=1, keepdims=True)
    spellings = [(f"Species {c} Warbler", f"Species {c} Warbler 2019",
                  f"Common Species {c} Warbler") for c in range(classes)]
    right = rng.random(n) < 0.8
    sibling = rng.random(n) < 0.5
    named = np.where(right, y, np.where(sibling, y ^ 1, rng.integers(0, classes, n)))
    form = rng.choice(3, n, p=[0.7, 0.15, 0.15])
    answers = [[spellings[c][f]] for c, f in zip(named.tolist(), form.tolist(), strict=True)]
    return answers, x, y


def one_nn_purity(x: np.ndarray, y: np.ndarray, *, sample: int = 2000) -> float:
    """Share of ``sample`` images whose nearest other image has the same class."""
    rng = np.random.default_rng(1)
    q = rng.choice(len(x), min(sample, len(x)), replace=False)
    sims = x[q] @ x.T
    sims[np.arange(len(q)), q] = -np.inf
    return float((y[sims.argmax(axis=1)] == y[q]).mean())


def _rss_gb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e9


def run_one(n: int, names: int, args: argparse.Namespace) -> dict:
    """One size in this process (the child of :func:`main`)."""
    from near_core.metrics import cacc
    from near_core.near import refine_labels

    answers, x, y = simulate(n, names, sigma=args.sigma, sibling_cos=args.sibling_cos,
                             seed=args.seed)
    purity = one_nn_purity(x, y)
    rss_before = _rss_gb()
    start, cpu_start = time.perf_counter(), time.process_time()
    result = refine_labels(answers, x, **dict(args.options))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    raw = [a[0] for a in answers]
    return {
        "images": n, "names": len(result.vocabulary), "classes": int(y.max()) + 1,
        "seconds": round(seconds, 2), "ms_per_image": round(1000 * seconds / n, 4),
        "cpu_seconds": round(cpu, 2), "cpu_ms_per_image": round(1000 * cpu / n, 4),
        "peak_rss_gb": round(peak, 2), "rss_before_gb": round(rss_before, 2),
        "purity_1nn": round(purity, 3), "cacc_raw": round(cacc(raw, y.tolist()), 4),
        "cacc": round(cacc(result.labels, y.tolist()), 4),
        "final_names": len(result.final_label_ids),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=list(SIZES), metavar="IMAGESxNAMES")
    ap.add_argument("--sigma", type=float, default=1.6)
    ap.add_argument("--sibling-cos", type=float, default=0.75)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--code", type=Path, default=REPO, help="checkout to import near_core from")
    ap.add_argument("--set", nargs="*", default=[], metavar="OPTION=VALUE",
                    help="refine options (JSON values, e.g. noisy_topk=null)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per size")
    ap.add_argument("--json", type=Path, help="append the rows (JSON lines) here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.options = [(k, json.loads(v)) for k, v in (s.split("=", 1) for s in args.set)]
    if args.child:
        sys.path.insert(0, str(args.code.resolve()))
        n, names = map(int, args.child.split("x"))
        print(json.dumps(run_one(n, names, args)))
        return 0
    print("| images x names | names (classes) | 1-NN purity | time | ms / image | CPU ms / image "
          "| peak RSS | RSS before refine | raw cACC | NeaR cACC |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--child", size, "--code", str(args.code),
               "--sigma", str(args.sigma), "--sibling-cos", str(args.sibling_cos),
               "--seed", str(args.seed), "--set", *args.set]
        env = {**os.environ, "PYTHONPATH": str(args.code.resolve())}
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout,
                                  env=env)
        except subprocess.TimeoutExpired:
            print(f"| {size} | timed out after {args.timeout:.0f} s |")
            continue
        if proc.returncode != 0:
            print(f"| {size} | failed (exit {proc.returncode}): "
                  f"{proc.stderr.strip().splitlines()[-1:] } |")
            continue
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        row.update(size=size, code=str(args.code), options=dict(args.options))
        print(f"| {row['images']:,} x {row['names']:,} | {row['names']:,} ({row['classes']:,}) "
              f"| {row['purity_1nn']:.3f} | {row['seconds']:.1f} s | {row['ms_per_image']:.3f} "
              f"| {row['cpu_ms_per_image']:.3f} | {row['peak_rss_gb']:.2f} GB | {row['rss_before_gb']:.2f} GB "
              f"| {row['cacc_raw']:.3f} | {row['cacc']:.3f} |", flush=True)
        if args.json:
            with args.json.open("a") as f:
                f.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
