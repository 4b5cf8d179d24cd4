"""Discovery in the relabel flow, the done-when scenario of issue 13, offline.

A run is trained on 6 synthetic classes (the first 6 of near_core.testing.synthetic: the four
puffins and two albatrosses; 16 images each, MLLM budget 48, head mode) with the shipped
``synthetic`` near-tiny CLIP (pretrained on a generated bird world that holds none of these
classes: random near-tiny has no class information, a real CLIP does; ``--clip-pretrained``
takes another weights file). Then a new batch of 80 images, 10 of each of the 6
classes plus 2 never seen (Sooty and Wandering Albatross, siblings of the known albatrosses),
goes through::

    near relabel NEW --run RUN --discover --mllm-url URL --model M --label-budget 30

Printed: MLLM requests (counted at the simulated server), classes added, cACC of the batch
under the parent bundle (which cannot name the new classes) and the grown one, known-class
accuracy before/after from the discovery record; then a rerun (0 requests, no new bundle), a
batch of the 6 known classes only and a later batch of fresh images of all 8 classes (0
requests, no new bundle: the images discovery named calibrate coverage). ``--per-class 8``:
the first run of the discovery tests (8 images per class, 24 named). Usage::

    OMP_NUM_THREADS=1 python bench/discover.py [--out DIR] [--budget 30] [--clip-pretrained W] [--per-class 16]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from near_cli.main import main as near
from near_core.metrics import cacc
from near_core.store import RunStore
from near_core.testing.mllm_server import MLLMServer
from near_core.testing.synthetic import make_dataset

SETS = ["--set", "clip.workers=0", "--set", "train.workers=0", "--set",
        "mllm.category=bird species"]


def first_run(base: Path, url: str, model: str, weights: str, per_class: int) -> Path:
    """Ingest, label (budget 3 per class), embed (near-tiny, ``weights``), refine, train
    (head) 6 classes x ``per_class`` images."""
    make_dataset(base / "src", n_classes=6, per_class=per_class, seed=0)
    run = base / "run"
    for argv in (["ingest", str(base / "src")],
                 ["label", "--mllm-url", url, "--model", model, "--label-budget",
                  str(3 * per_class)],
                 ["embed", "--clip-model", "near-tiny", "--clip-pretrained", weights],
                 ["refine"], ["train", "--mode", "head"]):
        code = near([*argv, "--run", str(run), *SETS])
        if code:
            raise SystemExit(f"near {argv[0]} failed ({code})")
    return run


def batch_cacc(run: Path, folder: Path, version: str) -> float:
    """cACC of ``version``'s predictions on the images under ``folder`` (truth: subfolder)."""
    store = RunStore(run)
    images = store.read("images").to_pylist()
    truth = {}
    for row in images:
        for p in row["paths"] or [row["path"]]:
            if Path(p).is_relative_to(folder):
                truth[row["image_id"]] = Path(p).parent.name
    pred = {r["image_id"]: r["label"] for r in store.read("predictions").to_pylist()
            if r["model_version"] == version}
    ids = sorted(truth)
    return cacc([pred.get(i) for i in ids], [truth[i] for i in ids])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--budget", type=int, default=30)
    ap.add_argument("--per-class", type=int, default=16, help="first run: images per class")
    ap.add_argument("--clip-pretrained", default="synthetic", help="near-tiny weights")
    args = ap.parse_args()
    base = args.out or Path(tempfile.mkdtemp(prefix="near-discover-"))
    with MLLMServer() as server:
        t0 = time.perf_counter()
        run = first_run(base, server.url, server.model, args.clip_pretrained, args.per_class)
        parent = json.loads((run / "run.json").read_text())["train"]["model_version"]
        print(f"first run: {server.stats()['requests']} requests, bundle {parent} "
              f"({time.perf_counter() - t0:.0f} s)")
        new = base / "new"
        make_dataset(new, n_classes=8, per_class=10, seed=7)
        relabel = ["relabel", str(new), "--run", str(run), "--discover", "--mllm-url",
                   server.url, "--model", server.model, "--label-budget", str(args.budget), *SETS]
        before = server.stats()["requests"]
        assert near(relabel) == 0
        spent = server.stats()["requests"] - before
        state = json.loads((run / "run.json").read_text())
        child = state["discovered"]["model_version"]
        record = json.loads((run / "discovery" / f"{child}.json").read_text())
        assert near(["relabel", "--run", str(run), "--bundle",
                     str(Path(state["train"]["bundle"])), *SETS]) == 0
        print(f"discovery: {spent} MLLM requests (budget {args.budget}), classes added "
              f"{record['classes_added']}")
        print(f"batch of 80 cACC: parent {batch_cacc(run, new, parent):.3f} -> grown "
              f"{batch_cacc(run, new, child):.3f}")
        print(f"known-class accuracy (vs MLLM answers): {record['before']['known_accuracy']} -> "
              f"{record['after']['known_accuracy']}")
        before = server.stats()["requests"]
        assert near(relabel) == 0
        again = json.loads((run / "run.json").read_text())["discovered"]["model_version"]
        print(f"rerun: {server.stats()['requests'] - before} requests, bundle unchanged "
              f"{again == child}")
        # then a batch of known classes only, and fresh images of all 8 classes (the
        # discovered ones are known now): neither may send a request
        for name, classes, per_class, seed, what in (
                ("known", 6, 10, 9, "batch of known classes only"),
                ("later", 8, 5, 11, "later batch of all 8 classes")):
            batch = base / name
            make_dataset(batch, n_classes=classes, per_class=per_class, seed=seed)
            before = server.stats()["requests"]
            assert near(["relabel", str(batch), *relabel[2:]]) == 0
            last = json.loads((run / "run.json").read_text())["discovered"]["model_version"]
            print(f"{what}: {server.stats()['requests'] - before} requests, bundle unchanged "
                  f"{last == child}, cACC {batch_cacc(run, batch, last):.3f}")
    print(f"run directory: {run}")


if __name__ == "__main__":
    main()
