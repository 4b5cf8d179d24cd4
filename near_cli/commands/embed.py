"""`near embed --run RUN_DIR`: embed the run's images with CLIP (cached per model)."""

from __future__ import annotations

import argparse
import sys

from near_cli.common import add_config_args, add_run_arg, exit_status, resolve_config
from near_core.embed import embed_run, load_run_clip
from near_core.store import RunStore


def add_clip_args(p: argparse.ArgumentParser) -> None:
    """--clip-model / --clip-pretrained / --device (unset: the run's remembered model)."""
    p.add_argument("--clip-model", help="open_clip architecture, e.g. ViT-B-16 or near-tiny "
                   "(default: the model the run used before, else clip.model = ViT-B-16)")
    p.add_argument("--clip-pretrained", metavar="TAG_OR_PATH",
                   help="open_clip pretrained tag (default openai), a local .safetensors/.pt "
                   "checkpoint, or '' for seeded random weights")
    p.add_argument("--device", help="auto, cpu, cuda, cuda:N")


def clip_flags(args: argparse.Namespace) -> dict:
    return {"clip.model": args.clip_model, "clip.pretrained": args.clip_pretrained,
            "clip.device": args.device}


def register(sub) -> None:
    p = sub.add_parser(
        "embed",
        help="embed the run's images with CLIP",
        description="Embed every ok image of the run that has no embedding yet from this model "
        "(model name + weights hash); the model is remembered for later stages.",
    )
    add_run_arg(p)
    add_clip_args(p)
    p.add_argument("--batch-size", type=int, help="images per forward pass")
    p.add_argument("--workers", type=int, help="DataLoader worker processes")
    add_config_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = resolve_config(args, clip_flags(args) | {
        "clip.batch_size": args.batch_size, "clip.workers": args.workers})
    store = RunStore(args.run_dir)
    clip = load_run_clip(store, cfg.clip, seed=cfg.seed)
    summary = embed_run(store, clip, config=cfg.clip, progress=True)
    print(f"embed: {summary.line()} on {clip.runtime.describe()}")
    for image_id, reason in summary.failed[:20]:
        print(f"  unreadable {image_id}: {reason}", file=sys.stderr)
    return exit_status(partial=bool(summary.failed))
