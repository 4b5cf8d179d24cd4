"""`near ingest SOURCE --run RUN_DIR`: scan images into the run's images table."""

from __future__ import annotations

import argparse

from near_cli.common import EXIT_OK, add_config_args, add_run_arg, resolve_config
from near_core.ingest import ingest
from near_core.store import RunStore


def register(sub) -> None:
    p = sub.add_parser(
        "ingest",
        help="scan a folder (or a text file of paths) into the run's images table",
        description="Key every file by the sha256 of its bytes, verify it decodes, and record "
        "it as ok or rejected (with a reason). Re-ingesting adds only new files.",
    )
    p.add_argument("source", help="folder (scanned recursively) or text file of image paths")
    add_run_arg(p)
    p.add_argument("--max-pixels", type=int, help="reject images with more pixels")
    p.add_argument("--workers", type=int, help="decode threads")
    add_config_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = resolve_config(args, {"ingest.max_pixels": args.max_pixels, "ingest.workers": args.workers})
    store = RunStore(args.run_dir)
    summary = ingest(args.source, store, config=cfg.ingest, progress=True)
    print(f"ingest: {summary.line()} -> {store.path('images')}")
    return EXIT_OK
