"""`near refine --run RUN_DIR`: build the vocabulary, candidate sets and refined labels (NeaR)."""

from __future__ import annotations

import argparse

from near_cli.common import EXIT_OK, add_config_args, add_run_arg, resolve_config
from near_core.refine import refine_run
from near_core.store import RunStore


def register(sub) -> None:
    p = sub.add_parser(
        "refine",
        help="build the vocabulary and refine labels (NeaR)",
        description="Canonicalise the run's MLLM answers into a vocabulary, build kNN candidate "
        "sets from the image embeddings and refine every image's label with NeaR (head mode). "
        "Writes the vocabulary, candidates and labels tables.",
    )
    add_run_arg(p)
    p.add_argument("-k", "--k", type=int, help="neighbours per image (refine.k)")
    p.add_argument("--encoder", help="embeddings encoder to use (refine.encoder)")
    add_config_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = resolve_config(args, {"refine.k": args.k, "refine.encoder": args.encoder})
    store = RunStore(args.run_dir, create=False)
    summary, _ = refine_run(store, config=cfg)
    print(f"refine: {summary.line()} -> {store.path('labels')}")
    return EXIT_OK
