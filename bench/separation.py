"""Named images' refined labels where the names' separation decides the trust.

Three worlds, each over ``--seeds`` seeds, cACC (Hungarian) of the named images' labels
against the truth, beside the MLLM's answers (the teacher):

* ``siblings``: ``near_core.testing.worlds.cluster_world(400)``, 4 sibling pairs the geometry
  separates, 200 images answered 60% right (else the sibling), :func:`refine_labels` called
  directly (the regimes table's sibling row without the pipeline);
* ``birds``, ``birds-siblings``: ``bench/regimes.py``'s bird world under the random-weight
  near-tiny (every image named, 80% right; 40% named, 60% right), through the refine stage.

Per world: the teacher's and the refined labels' mean, how many seeds fall below the teacher
(birds) or below 0.7 (siblings), and per seed the separation, trust and held-out factor.
Before / after a change: run it with ``PYTHONPATH`` at the other checkout.

    OMP_NUM_THREADS=1 python bench/separation.py [--seeds 20] [--world siblings ...]
"""

from __future__ import annotations

import argparse
import logging
import platform
import sys
import tempfile
from pathlib import Path

import numpy as np
import regimes

from near_core.clip import TINY, load_clip
from near_core.config import load_config
from near_core.ingest import current_images
from near_core.metrics import cacc
from near_core.near import refine_labels
from near_core.testing import worlds

WORLDS = ("siblings", "birds", "birds-siblings")


def siblings(seed: int) -> tuple[list[str], list[str], list[str | None], object]:
    """(answers, truth, refined labels, refine result) of one sibling world's named images."""
    truth, x = worlds.cluster_world(400, seed=seed)
    answers = worlds.sample_answers(truth, named=0.5, seed=seed, p_correct=0.6)
    result = refine_labels([[answers[i]] if i in answers else [] for i in range(400)], x)
    return (list(answers.values()), [truth[i] for i in answers],
            [result.labels[i] for i in answers], result)


def birds(regime: regimes.Regime, seed: int, clip,
          cfg) -> tuple[list[str], list[str], list[str | None], None]:
    """The same for a bird world run through the refine stage (its result is not kept)."""
    with tempfile.TemporaryDirectory() as tmp:
        world = regimes.bird_world(regime, Path(tmp), clip, cfg, seed)
        ids = current_images(world.store)["image_id"].to_pylist()
        labels = {r["image_id"]: r["label"] for r in world.store.read("labels").to_pylist()}
        return ([world.answers[i] for i in world.named], [world.truth[i] for i in world.named],
                [labels.get(ids[i]) for i in world.named], None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--world", choices=WORLDS, action="append")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    cfg = load_config(None, {"clip.model": TINY, "clip.pretrained": "", "clip.device": "cpu",
                             "clip.workers": 0, "train.workers": 0})
    clip = load_clip(TINY, "", device="cpu", seed=cfg.seed)
    print(f"machine {platform.node()}\n")
    print("| world | seeds | teacher | refined (named) | seeds below |")
    print("| --- | --- | --- | --- | --- |")
    for name in args.world or WORLDS:
        teacher, refined = [], []
        for seed in range(args.seeds):
            if name == "siblings":
                answers, truth, labels, result = siblings(seed)
            else:
                regime = regimes.REGIMES[0 if name == "birds" else 2]
                answers, truth, labels, result = birds(regime, seed, clip, cfg)
            teacher.append(cacc(answers, truth))
            refined.append(cacc(labels, truth))
            stats = "" if result is None else (
                f" separation {result.separation:.3f} trust {result.trust:.2f} "
                f"factor {result.factor}")
            print(f"{name} seed {seed}: teacher {teacher[-1]:.3f} refined {refined[-1]:.3f}{stats}",
                  file=sys.stderr, flush=True)
        floor = [0.7] * len(teacher) if name == "siblings" else teacher
        below = sum(r < f - 1e-9 for r, f in zip(refined, floor, strict=True))
        print(f"| {name} | {args.seeds} | {np.mean(teacher):.3f} | {np.mean(refined):.3f} | "
              f"{below} (< {'0.7' if name == 'siblings' else 'teacher'}) |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
