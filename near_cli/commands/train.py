"""`near train --run RUN_DIR`: NeaR training on CLIP (head or finetune; torchrun with --nproc)."""

from __future__ import annotations

import argparse

from near_cli.commands.embed import add_clip_args
from near_cli.common import EXIT_OK, add_config_args, add_run_arg
from near_core.train import launch
from near_core.train import main as train_main


def register(sub) -> None:
    p = sub.add_parser(
        "train",
        help="train the CLIP classifier with the NeaR objective",
        description="Train on the run's candidate sets (from `near refine`): head mode on cached "
        "embeddings or fine-tuning of the image tower; checkpoints, metrics.csv and the "
        "classifier bundle go to RUN_DIR/train (train.out).",
    )
    add_run_arg(p)
    add_clip_args(p)
    p.add_argument("--mode", choices=["head", "finetune"], help="training mode (train.mode)")
    p.add_argument("--epochs", type=int, help="epochs (train.epochs)")
    p.add_argument("--batch-size", type=int, help="global batch size (train.batch_size)")
    p.add_argument("--out", help="checkpoint directory (train.out; default RUN_DIR/train)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/latest.pt")
    p.add_argument("--nproc", type=int, default=1,
                   help="processes on this node; > 1 runs torchrun DDP (one per GPU)")
    add_config_args(p)
    p.set_defaults(func=run)


def train_argv(args: argparse.Namespace) -> list[str]:
    """The arguments of ``python -m near_core.train`` equivalent to this command."""
    argv = ["--run-dir", str(args.run_dir)]
    if args.config:
        argv += ["--config", str(args.config)]
    for item in args.overrides:
        argv += ["--set", item]
    if args.device:
        argv += ["--set", f"clip.device={args.device}"]
    for flag, value in [("--mode", args.mode), ("--epochs", args.epochs),
                        ("--batch-size", args.batch_size), ("--clip-model", args.clip_model),
                        ("--clip-pretrained", args.clip_pretrained), ("--out", args.out)]:
        if value is not None:
            argv += [flag, str(value)]
    return [*argv, "--resume"] if args.resume else argv


def run(args: argparse.Namespace) -> int:
    argv = train_argv(args)
    if args.nproc > 1:
        rc = launch(argv, nproc=args.nproc)
        return rc if rc else EXIT_OK
    return train_main(argv)
