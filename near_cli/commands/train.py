"""`near train --run RUN_DIR`: NeaR training on CLIP (head or finetune; torchrun with --nproc)."""

from __future__ import annotations

import argparse

from near_cli.commands.embed import add_clip_args, clip_flags
from near_cli.common import EXIT_OK, add_config_args, add_run_arg, resolve_config
from near_core.store import RunStore
from near_core.train import launch, out_dir_of, train_argv, write_launch_config
from near_core.train import main as train_main


def register(sub) -> None:
    p = sub.add_parser(
        "train",
        help="train the CLIP classifier with the NeaR objective",
        description="Train on the run's MLLM-named images (targets from `near refine`): head "
        "mode on cached embeddings or fine-tuning of the image tower (auto: fine-tune on a "
        "GPU, head on CPU); a seeded slice of the named images is held out and scores the "
        "stages (RUN_DIR/validation.json). Checkpoints, metrics.csv and the classifier bundle "
        "go to RUN_DIR/train (train.out).",
    )
    add_run_arg(p)
    add_clip_args(p)
    p.add_argument("--mode", choices=["auto", "head", "finetune"], help="training mode (train.mode)")
    p.add_argument("--epochs", type=int, help="epochs (train.epochs)")
    p.add_argument("--batch-size", type=int, help="global batch size (train.batch_size)")
    p.add_argument("--out", help="checkpoint directory (train.out; default RUN_DIR/train)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/latest.pt")
    p.add_argument("--nproc", type=int, default=1,
                   help="processes on this node; > 1 runs torchrun DDP (one per GPU)")
    add_config_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = resolve_config(args, clip_flags(args) | {
        "train.mode": args.mode, "train.epochs": args.epochs,
        "train.batch_size": args.batch_size, "train.out": args.out})
    cfg_file = write_launch_config(cfg, out_dir_of(RunStore(args.run_dir), cfg))
    argv = train_argv(args.run_dir, cfg_file, resume=args.resume)
    if args.nproc > 1:
        rc = launch(argv, nproc=args.nproc)
        return rc if rc else EXIT_OK
    return train_main(argv)
