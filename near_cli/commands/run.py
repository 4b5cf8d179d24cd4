"""`near run SOURCE --run RUN_DIR ...`: the whole pipeline.

Until the label/refine/train/relabel stages land (issues #3-#6) this runs ingest only and
says so.
"""

from __future__ import annotations

import argparse
import sys

from near_cli.commands.ingest import run as run_ingest
from near_cli.common import add_config_args, add_run_arg


def register(sub) -> None:
    p = sub.add_parser("run", help="run the whole pipeline on a folder of images")
    p.add_argument("source", help="folder or text file of image paths")
    add_run_arg(p)
    p.add_argument("--mllm-url", help="OpenAI-compatible MLLM server URL")
    p.add_argument("--model", help="MLLM model name")
    p.add_argument("--clip-model", help="open_clip model name")
    p.add_argument("--clip-pretrained", help="open_clip pretrained tag or local checkpoint")
    p.add_argument("--label-budget", type=int, help="at most N images sent to the MLLM")
    add_config_args(p)
    p.set_defaults(func=run, max_pixels=None, workers=None)


def run(args: argparse.Namespace) -> int:
    print(
        "near run: only the ingest stage is implemented so far; label/refine/train/relabel "
        "land with issues #3-#6.",
        file=sys.stderr,
    )
    return run_ingest(args)
