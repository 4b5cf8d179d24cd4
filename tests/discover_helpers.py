"""Test helpers for discovery (near_core.discover): a run trained on 6 synthetic classes and
batches that hold those and 2 classes never seen, shared by the CLI/flow tests and the
scheduled-deployment test (the ``discovery_run`` fixture in conftest builds it once)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from near_core.testing.mllm_server import MLLMServer
from near_core.testing.synthetic import class_names, make_dataset

SETS = ["--set", "clip.workers=0", "--set", "train.workers=0", "--set",
        "mllm.category=bird species", "--set", "mllm.max_retries=1", "--set",
        "mllm.backoff_base_s=0"]
BUDGET = 20
NEW = set(class_names(8)[6:])


def train_run(base: Path) -> Path:
    """``base/run``: trained (head mode, shipped ``synthetic`` near-tiny) on ``base/src``, 6
    classes x 8 images, 24 of them named by the loopback MLLM. Batches next to it:
    ``batch`` (8 classes x 8: + 2 unseen), ``known`` (6 x 4), ``later`` (8 x 3: the unseen
    classes again, other images)."""
    from near_cli.main import main as near

    make_dataset(base / "src", n_classes=6, per_class=8, seed=0)
    make_dataset(base / "batch", n_classes=8, per_class=8, seed=7)
    make_dataset(base / "known", n_classes=6, per_class=4, seed=9)
    make_dataset(base / "later", n_classes=8, per_class=3, seed=11)
    run = base / "run"
    with MLLMServer() as mllm:
        for argv in (["ingest", str(base / "src")],
                     ["label", "--mllm-url", mllm.url, "--model", mllm.model,
                      "--label-budget", "24"],
                     ["embed", "--clip-model", "near-tiny", "--clip-pretrained", "synthetic"],
                     ["refine"], ["train", "--mode", "head"]):
            assert near([*argv, "--run", str(run), *SETS]) == 0, argv
    return run


def copy_run(trained: Path, dest: Path) -> Path:
    shutil.copytree(trained, dest)
    return dest


def state(run: Path) -> dict:
    return json.loads((run / "run.json").read_text())


def bundles(run: Path) -> list[str]:
    """Bundles discovery wrote into the run."""
    folder = run / "discovery" / "bundles"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
