"""`near report --run RUN_DIR`: write the run's self-contained HTML report."""

from __future__ import annotations

import argparse

from near_cli.common import EXIT_OK, add_config_args, add_run_arg
from near_core.config import CONFIG_FILENAME, resolve
from near_core.report import write_report
from near_core.store import RunStore


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help="write the HTML report of a run",
        description="Write RUN_DIR/report.html: charts (vocabulary through the stages, cost per "
        "image, confidence by label source, training curves; with ground truth the most "
        "confused classes and per-class precision/recall), per-class galleries, vocabulary, "
        "label quality and metrics. One self-contained page: it works offline.",
    )
    add_run_arg(p)
    p.add_argument(
        "--truth",
        metavar="folder|CSV",
        help="ground truth: 'folder' (class = parent folder name) or a CSV with path,label",
    )
    add_config_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = RunStore(args.run_dir, create=False)
    saved = args.run_dir / CONFIG_FILENAME
    cfg = resolve(args.config or (saved if saved.is_file() else None), args.overrides)
    path, report = write_report(store, config=cfg.report, truth=args.truth)
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    print(f"report: {counts}")
    if report.metrics is not None:
        m = report.metrics
        print(f"report: cACC {m['cacc']:.3f}  sACC {m['sacc']:.3f} ({m['sacc_encoder']})  "
              f"NMI {m['nmi']:.3f}  vocabulary {m['vocab_size']} for {m['true_classes']} classes")
    print(f"report: {path}")
    return EXIT_OK
