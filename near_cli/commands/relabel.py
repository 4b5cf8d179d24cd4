"""`near relabel SOURCE --run RUN_DIR [--discover ...]` and `near predict IMAGE... --bundle DIR`."""

from __future__ import annotations

import argparse
import sys

from near_cli.common import EXIT_USAGE, add_config_args, add_run_arg, exit_status, resolve_config
from near_core.bundle import load_bundle, read_bundle_info
from near_core.discover import DiscoverOptions, batch_ids, run_discovery
from near_core.ingest import ingest
from near_core.relabel import bundle_path, predict_files, relabel_run
from near_core.store import RunStore


def register(sub) -> None:
    p = sub.add_parser(
        "relabel",
        help="label new images with the trained CLIP classifier",
        description="Ingest SOURCE's images into the run, then predict every ok image not yet "
        "predicted by this classifier version (predictions table: label, score, top-k, "
        "low_confidence).",
    )
    p.add_argument("source", nargs="?", help="folder or text file of image paths (optional: "
                   "without it, the run's images not yet predicted)")
    add_run_arg(p)
    p.add_argument("--bundle", help="classifier bundle (default: the run's last trained one)")
    p.add_argument("--top-k", type=int, help="labels kept per image (relabel.top_k)")
    p.add_argument("--low-confidence", type=float,
                   help="flag predictions scoring below (relabel.low_confidence)")
    p.add_argument("--device", help="auto, cpu, cuda, cuda:N")
    p.add_argument("--discover", action="store_true",
                   help="find SOURCE's images the classifier does not cover, name them with the "
                   "MLLM (open prompt) and add the new classes to a new bundle version first")
    p.add_argument("--mllm-url", help="with --discover: OpenAI-compatible MLLM server URL")
    p.add_argument("--model", help="with --discover: MLLM model name served there")
    p.add_argument("--label-budget", type=int, default=DiscoverOptions.budget,
                   help="with --discover: at most N MLLM requests (default %(default)s)")
    add_config_args(p)
    p.set_defaults(func=run_relabel)

    p = sub.add_parser(
        "predict",
        help="print the label and score of each image with a classifier bundle",
        description="Label image files with a classifier bundle; no run directory needed.",
    )
    p.add_argument("images", nargs="+", help="image files")
    p.add_argument("--bundle", required=True, help="classifier bundle directory")
    p.add_argument("--top-k", type=int, default=1, help="labels printed per image")
    p.add_argument("--device", help="auto, cpu, cuda, cuda:N")
    add_config_args(p)
    p.set_defaults(func=run_predict)


def run_relabel(args: argparse.Namespace) -> int:
    cfg = resolve_config(args, {
        "relabel.bundle": args.bundle, "relabel.top_k": args.top_k,
        "relabel.low_confidence": args.low_confidence, "clip.device": args.device,
        "mllm.url": args.mllm_url, "mllm.model": args.model})
    store = RunStore(args.run_dir)
    if args.discover and not args.source:
        print("near relabel: error: --discover needs SOURCE (the new batch)", file=sys.stderr)
        return EXIT_USAGE
    read_bundle_info(bundle_path(store, cfg.relabel))  # fail before ingesting
    if args.source:
        print(f"ingest: {ingest(args.source, store, config=cfg.ingest, progress=True).line()}")
    if args.discover:
        found = run_discovery(store, batch_ids(store, args.source), config=cfg,
                              options=DiscoverOptions(budget=args.label_budget, seed=cfg.seed),
                              progress=True)
        print(f"discover: {found.line()}")
        if found.record_path:
            print(f"discover: new bundle {found.bundle}; record {found.record_path}")
    bundle = load_bundle(bundle_path(store, cfg.relabel), device=cfg.clip.device,
                         precision=cfg.clip.precision)
    summary = relabel_run(store, bundle, config=cfg.relabel, workers=cfg.clip.workers)
    print(f"relabel: {summary.line()} -> {store.path('predictions')}")
    for image_id, reason in summary.failed[:20]:
        print(f"  unreadable {image_id}: {reason}", file=sys.stderr)
    return exit_status(partial=bool(summary.failed))


def run_predict(args: argparse.Namespace) -> int:
    cfg = resolve_config(args, {"clip.device": args.device})
    bundle = load_bundle(args.bundle, device=cfg.clip.device, precision=cfg.clip.precision)
    failed = 0
    for path, labels, scores, error in predict_files(bundle, args.images, top_k=args.top_k):
        if error:
            failed += 1
            print(f"{path}\terror: {error}", file=sys.stderr)
            continue
        print("\t".join([path, *(f"{lab}\t{s:.4f}" for lab, s in zip(labels, scores, strict=True))]))
    return exit_status(partial=bool(failed))
