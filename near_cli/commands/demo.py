"""`near demo [--out DIR]`: the whole pipeline offline, on generated images, in about a minute.

Generates a small fine-grained-looking bird set (sibling species that differ in one detail),
starts the shipped loopback MLLM server (a simulation that answers from the pixels with
realistic noise), and runs ``near run`` with the shipped ``near-tiny`` CLIP weights
(``--clip-pretrained synthetic``: pretrained on a generated bird world that holds none of the
demo's species). It then prints, side by side, the MLLM teacher on the images it named, the
NeaR refined labels, a prototype classifier of the raw MLLM labels and the trained CLIP
classifier on the images the MLLM never saw.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np

from near_cli.commands.run import print_summary, run_pipeline
from near_cli.common import EXIT_OK, add_config_args
from near_core.config import resolve

DEMO_CLASSES = 8
DEMO_PER_CLASS = 16
DEMO_BUDGET = 64

NOTICE = (
    "near demo: SIMULATED parts: the MLLM is a loopback server shipped for tests (it names the "
    "generated birds from their pixels, with realistic noise), and CLIP is the tiny `near-tiny` "
    "with weights pretrained by near_core/pretrain_synthetic.py on a generated bird world "
    "(none of the demo's species in it). Everything else is the real pipeline.\n"
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
                   help="folder for the images and the run (default ./near-demo)")
    add_config_args(p)
    p.set_defaults(func=run)


def raw_label_prototypes(run_dir: Path, encoder: str) -> dict[str, str]:
    """image_id -> label of a nearest-class-mean classifier of the raw MLLM labels (top vote
    of each named image; class means of their ``encoder`` embeddings), for the images the
    MLLM never named: the simplest use of the teacher's answers, for comparison."""
    import pyarrow.compute as pc

    from near_core.embed import load_embeddings
    from near_core.knn import normalize
    from near_core.store import RunStore

    store = RunStore(run_dir)
    answers = store.read("answers", ["image_id", "label", "status"])
    answers = answers.filter(pc.equal(answers["status"], "ok"))
    votes: dict[str, Counter] = {}
    for iid, label in zip(answers["image_id"].to_pylist(), answers["label"].to_pylist(),
                          strict=True):
        if label:
            votes.setdefault(iid, Counter())[label] += 1
    top = {i: c.most_common(1)[0][0] for i, c in votes.items()}
    ids, x = load_embeddings(store, encoder)
    if not top or not ids:
        return {}
    x = normalize(x)
    names = sorted(set(top.values()))
    named = [k for k, i in enumerate(ids) if i in top]
    means = normalize(np.stack([
        x[[k for k in named if top[ids[k]] == name]].mean(axis=0) for name in names]))
    unseen = [k for k, i in enumerate(ids) if i not in top]
    best = (x[unseen] @ means.T).argmax(axis=1)
    return {ids[k]: names[int(j)] for k, j in zip(unseen, best, strict=True)}


def comparison(result: dict, run_dir: Path) -> list[tuple[str, int, float]]:
    """``(what, images, cACC)`` rows: teacher, refined, prototypes, trained classifier."""
    from near_core.ingest import current_images
    from near_core.metrics import cacc
    from near_core.report import load_truth
    from near_core.report.summary import MLLM_VIEW, REFINED_VIEW, UNSEEN_VIEW
    from near_core.store import RunStore

    by_source = {r["labels"]: r for r in result["report"].get("by_source", [])}
    rows: list[tuple[str, int, float]] = []

    def add(what: str, key: str) -> None:
        r = by_source.get(key)
        if r:
            rows.append((what, int(r["images"]), float(r["cACC"])))

    add("MLLM teacher (named images, validation slice aside)", MLLM_VIEW)
    add("NeaR refined labels (same images)", REFINED_VIEW)
    truth = load_truth(current_images(RunStore(run_dir)), "folder")
    proto = raw_label_prototypes(run_dir, result["embed"]["encoder"])
    ids = [i for i in proto if i in truth]
    if ids:
        rows.append(("raw-label prototypes (images the MLLM never saw)", len(ids),
                     cacc([proto[i] for i in ids], [truth[i] for i in ids])))
    add("trained CLIP classifier (images the MLLM never saw)", UNSEEN_VIEW)
    return rows


def print_comparison(rows: list[tuple[str, int, float]]) -> None:
    width = max(len(w) for w, _, _ in rows)
    print(f"near demo: {'labels':<{width}}  images  cACC")
    for what, n, value in rows:
        print(f"near demo: {what:<{width}}  {n:>6}  {value:.3f}")
    scores = {w.split(" (")[0]: v for w, _, v in rows}
    teacher, student = scores.get("MLLM teacher"), scores.get("trained CLIP classifier")
    if teacher is not None and student is not None:
        verdict = "matches or beats" if student >= teacher else "is BELOW"
        print(f"near demo: the trained classifier, on images the MLLM never saw, {verdict} its "
              f"teacher ({student:.3f} vs {teacher:.3f})")


def run(args: argparse.Namespace) -> int:
    import os

    from near_core.clip import SYNTHETIC, TINY
    from near_core.testing.mllm_server import MLLMServer
    from near_core.testing.synthetic import make_dataset

    out: Path = args.out.resolve()
    images = out / "images"
    print(NOTICE)
    if not images.is_dir():
        make_dataset(images, n_classes=DEMO_CLASSES, per_class=DEMO_PER_CLASS, seed=0)
    print(f"near demo: {DEMO_CLASSES * DEMO_PER_CLASS} images of {DEMO_CLASSES} species "
          f"in {images}; the MLLM names {DEMO_BUDGET} of them")
    # Prefect's local API starts in a subprocess; its 20 s default is short on a busy 2-core box
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    overrides = ["mllm.category=bird species", "clip.workers=0", "train.workers=0",
                 *args.overrides]
    with MLLMServer() as server:
        print(f"near demo: simulated MLLM server at {server.url}")
        cfg = resolve(args.config, overrides, flags={
            "mllm.url": server.url, "mllm.model": server.model, "clip.model": TINY,
            "clip.pretrained": SYNTHETIC, "mllm.label_budget": DEMO_BUDGET})
        result = run_pipeline(source=str(images), run_dir=out / "run", cfg=cfg, truth="folder")
    print_summary(result)
    print_comparison(comparison(result, out / "run"))
    print(f"near demo: open {result['report']['path']} in a browser; rerun `near demo` to see "
          "every step served from the cache")
    return EXIT_OK
