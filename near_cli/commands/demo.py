"""`near demo [--out DIR]`: the whole pipeline offline, on generated images, in a few minutes.

Generates a small fine-grained-looking bird set (sibling species that differ in one detail),
starts the shipped loopback MLLM server (a simulation that answers from the pixels with
realistic noise), saves random ``near-tiny`` CLIP weights to a local file, and runs
``near run`` on it. The MLLM is simulated; point ``near run --mllm-url`` at a real vLLM server
for real work.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from near_cli.commands.run import print_summary, run_pipeline
from near_cli.common import EXIT_OK, add_config_args
from near_core.config import resolve

DEMO_CLASSES = 8
DEMO_PER_CLASS = 16
DEMO_BUDGET = 64

NOTICE = (
    "near demo: the MLLM here is SIMULATED (a loopback server shipped for tests that names "
    "the generated birds with noise) and CLIP is the tiny random-weight `near-tiny`.\n"
    "near demo: the real thing: near run SOURCE --run RUN_DIR --mllm-url http://HOST:8000/v1 "
    "--model Qwen/Qwen2.5-VL-7B-Instruct --clip-model ViT-B-16 --clip-pretrained openai"
)


def register(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="offline end-to-end demo on generated images (simulated MLLM)",
        description=__doc__.split("\n\n")[1],
    )
    p.add_argument("--out", type=Path, default=Path("near-demo"),
                   help="folder for the images, weights and run (default ./near-demo)")
    add_config_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from near_core.clip import TINY, load_clip, save_weights
    from near_core.testing.mllm_server import MLLMServer
    from near_core.testing.synthetic import make_dataset

    out: Path = args.out.resolve()
    images = out / "images"
    print(NOTICE)
    if not images.is_dir():
        make_dataset(images, n_classes=DEMO_CLASSES, per_class=DEMO_PER_CLASS, seed=0)
    print(f"near demo: {DEMO_CLASSES * DEMO_PER_CLASS} images of {DEMO_CLASSES} species "
          f"in {images}")
    weights = out / "near-tiny.safetensors"
    if not weights.is_file():
        save_weights(load_clip(TINY, "", device="cpu", seed=0).model, weights)
    overrides = ["mllm.category=bird species", "clip.workers=0", "train.workers=0",
                 *args.overrides]
    with MLLMServer() as server:
        print(f"near demo: simulated MLLM server at {server.url}")
        cfg = resolve(args.config, overrides, flags={
            "mllm.url": server.url, "mllm.model": server.model, "clip.model": TINY,
            "clip.pretrained": str(weights), "mllm.label_budget": DEMO_BUDGET})
        result = run_pipeline(source=str(images), run_dir=out / "run", cfg=cfg, truth="folder")
    print_summary(result)
    print(f"near demo: open {result['report']['path']} in a browser; rerun `near demo` to see "
          "every step served from the cache")
    return EXIT_OK
