"""Regime table: teacher, baselines, NeaR refined and the trained classifier on UNSEEN images.

Each regime builds a run on a pool of synthetic bird images (near_core.testing.synthetic,
sibling groups of four), names a seeded share of the pool with a simulated MLLM (right with
``p_correct``, otherwise a sibling), and runs the real stages on it: ingest, embed (near-tiny),
``refine_run``, ``train`` (head; fine-tune where ``--finetune``), the bundle's predictions on a
disjoint test set. Columns, all cACC (Hungarian) on the unseen test images unless marked:

* ``teacher (named)``: the MLLM's answers on the images it named;
* ``raw-label prototypes``: class means of the raw answers (centred embeddings);
* ``kNN vote``: majority of the raw answers of the 5 nearest named images;
* ``NeaR refined``: class means of refine's labels on the named images;
* ``trained head`` / ``fine-tuned``: the bundle that ``train`` keeps (``[p]``: the guard kept
  a prototype classifier);
* ``refined (named)``: refine's labels on the named images themselves.

Regimes: every image named; 2.5% of a large pool named; sibling classes adjacent (16 classes,
60% right); uninformative geometry (the class of an image is drawn independently of its
pixels, so the embeddings carry no class information); fragmented compound names (each class
answered in six spellings: case, word order, a Latin name, "bird" suffix).

    OMP_NUM_THREADS=2 python bench/regimes.py [--finetune] [--quick] [--out DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import platform
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from near_core.bundle import load_bundle
from near_core.clip import TINY, load_clip
from near_core.config import load_config
from near_core.embed import embed_images, embed_run, load_embeddings
from near_core.ingest import current_images, ingest
from near_core.metrics import cacc
from near_core.refine import refine_run
from near_core.relabel import predict_files
from near_core.store import RunStore
from near_core.testing.synthetic import class_names, make_dataset, siblings, species
from near_core.train import train
from near_core.vocabulary import Vocabulary


@dataclass(frozen=True)
class Regime:
    name: str
    classes: int
    pool_per_class: int
    named: float  #: share of the pool sent to the MLLM
    p_correct: float = 0.8
    geometry: str = "tower"  #: "tower" or "none" (class drawn independently of pixels)
    names: str = "clean"  #: "clean" or "fragmented"


REGIMES = [
    Regime("every image named", 8, 40, 1.0),
    Regime("2.5% of a large pool named", 8, 400, 0.025),
    Regime("sibling classes adjacent (16 classes, 60% right)", 16, 30, 0.5, p_correct=0.6),
    Regime("uninformative geometry", 8, 40, 0.5, geometry="none"),
    Regime("fragmented compound names", 8, 40, 0.5, names="fragmented"),
]
TEST_PER_CLASS = 20


def spellings(name: str) -> list[str]:
    """Six ways an MLLM writes one class (the fragmented-names regime)."""
    first, *rest = name.split(" ")
    sp = species(name)
    return [name, name.lower(), f"{' '.join(rest)}, {first}" if rest else name,
            f"{name} ({sp.latin})", sp.latin, f"a {name.lower()} bird"]


def mllm_answer(true: str, rng: np.random.Generator, regime: Regime) -> str:
    name = true if rng.random() < regime.p_correct else str(rng.choice(siblings(true)))
    return str(rng.choice(spellings(name))) if regime.names == "fragmented" else name


def centred_features(x: np.ndarray, center: np.ndarray) -> torch.Tensor:
    return F.normalize(torch.from_numpy(x - center), dim=-1)


def prototype_predict(train_x: torch.Tensor, labels: list[int | None], test_x: torch.Tensor,
                      n: int) -> list[int | None]:
    keep = [i for i, lab in enumerate(labels) if lab is not None]
    w = torch.zeros(len(labels), n)
    for i in keep:
        w[i, labels[i]] = 1.0
    present = w.sum(0) > 0
    protos = F.normalize(w.T @ train_x, dim=-1)
    logits = (test_x @ protos.T).masked_fill(~present, -torch.inf)
    return logits.argmax(1).tolist()


def knn_predict(train_x: torch.Tensor, labels: list[int], test_x: torch.Tensor,
                k: int = 5) -> list[int]:
    sims = test_x @ train_x.T
    idx = sims.topk(min(k, len(labels)), dim=1).indices
    return [Counter(labels[j] for j in row).most_common(1)[0][0] for row in idx.tolist()]


def run_regime(regime: Regime, root: Path, *, finetune: bool, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    pool_dir, test_dir = root / "pool", root / "test"
    pool = make_dataset(pool_dir, n_classes=regime.classes, per_class=regime.pool_per_class,
                        seed=seed, size=32)
    test = make_dataset(test_dir, n_classes=regime.classes, per_class=TEST_PER_CLASS,
                        seed=seed + 1000, size=32)
    names = class_names(regime.classes)
    if regime.geometry == "none":  # a class unrelated to the pixels
        pool = [(p, str(rng.choice(names))) for p, _ in pool]
        test = [(p, str(rng.choice(names))) for p, _ in test]
    truth = {str(p): c for p, c in pool}
    store = RunStore(root / "run")
    ingest(pool_dir, store)
    cfg = load_config(None, {"clip.model": TINY, "clip.pretrained": "", "clip.device": "cpu",
                             "clip.workers": 0, "train.workers": 0, "train.out": "",
                             "train.mode": "head"})
    clip = load_clip(TINY, "", device="cpu", seed=cfg.seed)
    embed_run(store, clip, config=cfg.clip)
    images = current_images(store)
    ids, paths = images["image_id"].to_pylist(), images["path"].to_pylist()
    n_named = max(2, round(regime.named * len(ids)))
    named = sorted(rng.choice(len(ids), size=n_named, replace=False).tolist())
    answers = {ids[i]: mllm_answer(truth[paths[i]], rng, regime) for i in named}
    store.append("answers", [
        {"image_id": iid, "model": "sim", "prompt_version": "v", "params_hash": "h",
         "sample_idx": 0, "status": "ok", "label": a, "candidates": [a]}
        for iid, a in answers.items()])
    refine_run(store, config=cfg)

    vocab = Vocabulary.from_table(store.read("vocabulary"))
    n_vocab = len(vocab)
    named_ids = [ids[i] for i in named]
    named_truth = [truth[paths[i]] for i in named]
    raw = [vocab.id_of(answers[i]) for i in named_ids]
    refined_of = {r["image_id"]: r["label_id"] for r in store.read("labels").to_pylist()}
    refined = [refined_of.get(i) for i in named_ids]
    _, pool_x = load_embeddings(store, clip.model_id)
    center = pool_x.mean(0)
    _, named_x = load_embeddings(store, clip.model_id, named_ids)
    test_items = [(str(p), str(p)) for p, _ in test]
    test_x = np.concatenate([b.vectors for b in embed_images(clip, test_items)])
    tx, nx = centred_features(test_x, center), centred_features(named_x, center)
    test_truth = [c for _, c in test]

    def score(pred_ids: list[int | None]) -> float:
        return cacc(pred_ids, test_truth)

    row = {
        "regime": regime.name, "pool": len(ids), "named": n_named,
        "teacher (named)": cacc(raw, named_truth),
        "raw-label prototypes": score(prototype_predict(nx, raw, tx, n_vocab)),
        "kNN vote": score(knn_predict(nx, [r if r is not None else -1 for r in raw], tx)),
        "NeaR refined": score(prototype_predict(nx, refined, tx, n_vocab)),
        "refined (named)": cacc(refined, named_truth),
    }
    modes = ["head", "finetune"] if finetune else ["head"]
    for mode in modes:
        out = root / f"train-{mode}"
        tcfg = cfg.model_copy(update={"train": cfg.train.model_copy(update={
            "mode": mode, "out": str(out), "epochs": 10 if mode == "head" else 5,
            "batch_size": 32, "encoder_lr": 1e-4})})
        result = train(store, tcfg)
        bundle = load_bundle(result.bundle_dir, device="cpu")
        preds = predict_files(bundle, [p for p, _ in test_items], batch_size=128)
        score_ = score([labels[0] if labels else None for _, labels, _, _ in preds])
        mark = "" if result.validation.chosen == "trained" else " [p]"
        row["trained head" if mode == "head" else "fine-tuned"] = f"{score_:.3f}{mark}"
        row[f"validation ({mode})"] = result.validation.to_json()
    return row


COLUMNS = ["teacher (named)", "raw-label prototypes", "kNN vote", "NeaR refined",
           "trained head", "fine-tuned", "refined (named)"]


def markdown(rows: list[dict]) -> str:
    head = "| regime | pool / named | " + " | ".join(COLUMNS) + " |"
    sep = "| --- " * (len(COLUMNS) + 2) + "|"
    lines = [head, sep]
    for r in rows:
        cells = [r.get(c, "n/a") for c in COLUMNS]
        cells = [f"{c:.3f}" if isinstance(c, float) else str(c) for c in cells]
        lines.append(f"| {r['regime']} | {r['pool']} / {r['named']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--finetune", action="store_true", help="also fine-tune (slower on CPU)")
    ap.add_argument("--only", type=int, action="append", help="regime index (repeatable)")
    ap.add_argument("--out", type=Path, help="keep the runs here (default: a temp dir)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    rows = []
    with contextlib.ExitStack() as stack:
        base = args.out or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        for i, regime in enumerate(REGIMES):
            if args.only and i not in args.only:
                continue
            t0 = time.perf_counter()
            row = run_regime(regime, base / f"regime{i}", finetune=args.finetune)
            row["seconds"] = round(time.perf_counter() - t0, 1)
            rows.append(row)
            print(row, flush=True)
    print(f"\nmachine: {platform.node()} ({platform.machine()}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads)\n")
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
