"""Refined labels vs raw answers vs the kNN-3 vote on ``tests/refine_data.py::many_siblings``.

Sibling groups of 4 classes (400 classes x 5 images by default, every image answered: right
with 0.8, else a sibling's name); the class offset at 0.1 x signal (siblings nearly the same
point: geometry cannot separate them) or 1.0 x signal (siblings as far apart as groups).
Prints cACC of the raw answers, the kNN-3 vote and NeaR per (seed, signal, offset), with
NeaR's trust statistics. Usage::

    OMP_NUM_THREADS=1 python bench/siblings_sweep.py [--seeds 0 1] [--signals 0.5 0.7 1.0 2.0]
        [--offsets 0.1 1.0] [--set name=value ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from refine_data import many_siblings  # noqa: E402

from near_core.baselines import majority_vote, raw_top_label  # noqa: E402
from near_core.metrics import cacc  # noqa: E402
from near_core.near import refine_labels  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--signals", type=float, nargs="+", default=[0.5, 0.7, 1.0, 2.0])
    ap.add_argument("--offsets", type=float, nargs="+", default=[0.1, 1.0])
    ap.add_argument("--groups", type=int, default=100)
    ap.add_argument("--per-class", type=int, default=5)
    ap.add_argument("--right", type=float, default=0.8)
    ap.add_argument("--set", nargs="*", default=[], help="refine options name=json_value")
    args = ap.parse_args()
    options = {k: json.loads(v) for k, v in (s.split("=", 1) for s in args.set)}
    print("| seed | signal | offset | raw | kNN-3 | NeaR | trust | separation | s | seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for offset in args.offsets:
        for signal in args.signals:
            for seed in args.seeds:
                answers, x, truth = many_siblings(
                    groups=args.groups,
                    per_class=args.per_class,
                    right=args.right,
                    signal=signal,
                    seed=seed,
                    offset=offset,
                )
                t0 = time.perf_counter()
                r = refine_labels(answers, x, **options)
                secs = time.perf_counter() - t0
                raw = cacc(raw_top_label(answers), truth)
                vote = cacc(majority_vote(answers, x, k=3), truth)
                near = cacc(r.labels, truth)
                scale = getattr(r, "strength", None)
                held = " ".join(f"{k}: {v:.3f}" for k, v in getattr(r, "held_out", {}).items())
                print(
                    f"| {seed} | {signal} | {offset} | {raw:.3f} | {vote:.3f} | {near:.3f} "
                    f"| {r.trust:.2f} | {r.separation:.2f} | "
                    f"{'' if scale is None else f'{scale:.2f}'} | {secs:.1f} | {held} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
