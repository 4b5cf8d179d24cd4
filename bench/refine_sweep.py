"""Leave-one-dataset-out choice of refine defaults.

Runs :func:`refine_quality.run` for every candidate option set on every dataset at sigma
0.08 and 0.10 (plus the pool and random-geometry regimes), scores each row by its done-when
margins (sigma 0.08: NeaR - raw - 0.10, NeaR - kNN-3 - 0.03, prototype gap closed - 0.5;
sigma 0.10: NeaR - kNN-3; regimes: NeaR - raw), and for each held-out dataset X picks the
option set with the most passed checks (ties: the larger summed margin) on the *other*
datasets, then reports whether that choice passes on X. Usage::

    python bench/refine_sweep.py --json /tmp/sweep.json
    python bench/refine_sweep.py --configs "" "k=3" "agreement_full=0.15"
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from refine_quality import ALL, parse_options, run  # noqa: E402

DEFAULT_CONFIGS = ["", "agreement_full=0.15", "k=3", "evidence_power=1.0", "own_weight=0.4",
                   "smooth_k=3"]


def checks(row: dict) -> list[float]:
    """Margins of the done-when checks that apply to a row (>= 0: passed)."""
    if row["sigma"] is None or row["dataset"] == "pool":
        return [row["near"] - row["raw"]]
    if row["sigma"] >= 0.10:
        return [row["near"] - row["knn3"]]
    out = [row["near"] - row["raw"] - 0.10, row["near"] - row["knn3"] - 0.03]
    if row["closed"] == row["closed"]:
        out.append(row["closed"] - 0.5)
    return out


def score(rows: list[dict]) -> tuple[int, float]:
    margins = [m for r in rows for m in checks(r)]
    return sum(m >= -1e-9 for m in margins), sum(min(m, 0.0) for m in margins)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configs", nargs="+", default=DEFAULT_CONFIGS,
                    help="option sets, each 'a=1,b=2' ('' = the defaults)")
    ap.add_argument("--datasets", nargs="+", default=list(ALL))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    table: dict[str, dict[str, list[dict]]] = {}
    for cfg in args.configs:
        opts = parse_options([c for c in cfg.split(",") if c])
        table[cfg] = {}
        for d in args.datasets:
            table[cfg][d] = [run(d, s, 0, opts) for s in (0.08, 0.10)]
        table[cfg]["regimes"] = [run("pool", 0.03, 0, opts), run("random", None, 0, opts)]
        print(cfg or "(defaults)", {d: [f"{r['near']:.3f}/{r['knn3']:.3f}/{r['closed']:.2f}"
                                        for r in rs] for d, rs in table[cfg].items()},
              score([r for rs in table[cfg].values() for r in rs]), flush=True)
    print("\n| held out | defaults chosen on the others | checks passed on the held-out set |")
    print("| --- | --- | --- |")
    for held in [*args.datasets, "regimes"]:
        best = max(table, key=lambda c: score([r for d, rs in table[c].items() if d != held
                                               for r in rs]))
        passed, _ = score(table[best][held])
        total = sum(len(checks(r)) for r in table[best][held])
        print(f"| {held} | {best or '(defaults)'} | {passed} / {total} |")
    if args.json:
        args.json.write_text(json.dumps(table, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
