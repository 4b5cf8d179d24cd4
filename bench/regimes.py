"""Regime table: teacher, baselines, NeaR refined and the trained classifier on UNSEEN images.

Two worlds, both through the real stages (``refine_run``, ``train``, the kept bundle):

* ``clusters`` (default): near_core.testing.worlds -- 8 classes in 4 sibling pairs as
  Gaussian clusters written as the embeddings of near-tiny (known geometry; head mode; the
  test images are 200 more points of the same world, never in the run);
* ``birds``: synthetic bird images (near_core.testing.synthetic) ingested and embedded with
  near-tiny (``--clip-pretrained`` '' = random tower, or ``synthetic``), head and, with
  ``--finetune``, fine-tuning; the test set is a disjoint image set.

The simulated MLLM is right with ``p_correct`` and otherwise names a sibling. Columns, cACC
(Hungarian) on the unseen test images unless marked:

* ``teacher (named)``: the MLLM's answers on the images it named;
* ``raw-label prototypes``: class means of the raw answers (centred embeddings);
* ``kNN vote``: majority of the raw answers of the 5 nearest named images;
* ``NeaR refined``: class means of refine's labels on the named images;
* ``refined kNN vote``: the kNN vote of refine's labels (the student of ``kNN vote``, so that
  each student is compared raw against refined);
* ``true-label prototypes``: class means of the true classes of the named images, the ceiling
  of the prototype student (below 1 where a class is not one cluster);
* ``trained head`` / ``fine-tuned``: the bundle ``train`` keeps (``[p]``: the validation
  guard kept a prototype classifier; ``[k]``: the kNN vote classifier);
* ``refined (named)``: refine's labels on the named images themselves;
* ``chance``: the cACC that labels independent of the image reach on the test set
  (refine's prototype predictions shuffled across the test images, mean of 20 shuffles):
  Hungarian matching lifts it above ``1 / classes``;
* ``warned``: what the product's validation flag said (``chance``: no classifier clearly above
  always naming the most common label; ``head<raw``: the head lost to the raw prototypes);
* with ``--finetune``: ``head s`` / ``finetune s``, seconds of each ``train`` call.

``--seeds K`` repeats each regime for K seeds and prints mean +- standard deviation.

    OMP_NUM_THREADS=2 python bench/regimes.py [--world clusters|birds] [--finetune]
        [--finetune-set train.KEY=VALUE ...] [--seeds K]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import logging
import platform
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from near_core.bundle import load_bundle
from near_core.clip import TINY, load_clip
from near_core.config import NearConfig, load_config, parse_assignments
from near_core.embed import embed_images, embed_run, load_embeddings
from near_core.ingest import current_images, ingest
from near_core.metrics import cacc
from near_core.refine import refine_run
from near_core.relabel import predict_files
from near_core.store import RunStore
from near_core.testing import worlds
from near_core.testing.synthetic import class_names, make_dataset, siblings, species
from near_core.train import train
from near_core.vocabulary import Vocabulary


@dataclass(frozen=True)
class Regime:
    name: str
    pool: int  #: images in the run (birds: per class)
    named: float  #: share of the pool sent to the MLLM
    p_correct: float = 0.8
    informative: bool = True  #: False: the class is drawn independently of the pixels
    fragmented: bool = False  #: answers in several spellings per class
    two_looks: bool = False  #: clusters world only: each class two clusters (worlds.cluster_world)
    classes: int = 8  #: birds world only


REGIMES = [
    Regime("every image named", 320, 1.0),
    Regime("2.5% of a large pool named", 4000, 0.025),
    Regime("sibling classes adjacent, 60% right", 400, 0.5, p_correct=0.6),
    Regime("uninformative geometry", 400, 0.5, informative=False),
    Regime("fragmented compound names", 400, 0.5, fragmented=True),
    Regime("each class in two looks", 400, 0.5, two_looks=True),
]
TEST_IMAGES = 200


@dataclass
class World:
    """What a regime measures on: the run, every pool image's features (N, D), the named
    indices and answers, truths, and the unseen test set (features (T, D), truth, and how
    the kept bundle predicts it)."""

    store: RunStore
    cfg: NearConfig
    features: np.ndarray
    named: list[int]
    answers: dict[int, str]
    truth: list[str]
    test_features: np.ndarray
    test_truth: list[str]
    predict: Callable[[Path], list[str | None]]


def cluster_world(regime: Regime, root: Path, clip, cfg: NearConfig, seed: int) -> World:
    w = worlds.build_run(root / "run", clip, cfg, n=regime.pool, named=regime.named, seed=seed,
                         informative=regime.informative, fragmented=regime.fragmented,
                         two_looks=regime.two_looks, p_correct=regime.p_correct, test=TEST_IMAGES)

    def predict(bundle_dir: Path) -> list[str | None]:
        bundle = load_bundle(bundle_dir, device="cpu")
        with torch.no_grad():
            logits = bundle.classifier.head(torch.from_numpy(w.test_features))
        return [bundle.names[c] for c in logits.argmax(1).tolist()]

    return World(w.store, cfg, w.features, w.named, w.answers, w.truth, w.test_features,
                 w.test_truth, predict)


def bird_answer(true: str, rng: np.random.Generator, regime: Regime) -> str:
    name = true if rng.random() < regime.p_correct else str(rng.choice(siblings(true)))
    if not regime.fragmented:
        return name
    first, *rest = name.split(" ")
    forms = [name, name.lower(), f"{' '.join(rest)}, {first}" if rest else name,
             f"{name} ({species(name).latin})", f"a {name.lower()} bird"]
    return str(rng.choice(forms))


def bird_world(regime: Regime, root: Path, clip, cfg: NearConfig, seed: int) -> World:
    rng = np.random.default_rng(seed)
    per_class = max(1, regime.pool // regime.classes)
    pool = make_dataset(root / "pool", n_classes=regime.classes, per_class=per_class, seed=seed,
                        size=32)
    test = make_dataset(root / "test", n_classes=regime.classes,
                        per_class=max(1, TEST_IMAGES // regime.classes), seed=seed + 1000, size=32)
    names = class_names(regime.classes)
    if not regime.informative:
        pool = [(p, str(rng.choice(names))) for p, _ in pool]
        test = [(p, str(rng.choice(names))) for p, _ in test]
    class_of = {str(p): c for p, c in pool}
    store = RunStore(root / "run")
    ingest(root / "pool", store)
    embed_run(store, clip, config=cfg.clip)
    images = current_images(store)
    ids, paths = images["image_id"].to_pylist(), images["path"].to_pylist()
    truth = [class_of[p] for p in paths]
    named = sorted(rng.choice(len(ids), size=max(2, round(regime.named * len(ids))),
                              replace=False).tolist())
    answers = {i: bird_answer(truth[i], rng, regime) for i in named}
    store.append("answers", [
        {"image_id": ids[i], "model": "sim", "prompt_version": "v", "params_hash": "h",
         "sample_idx": 0, "status": "ok", "label": a, "candidates": [a]}
        for i, a in answers.items()])
    refine_run(store, config=cfg)
    _, features = load_embeddings(store, clip.model_id, ids)
    test_paths = [str(p) for p, _ in test]
    test_x = np.concatenate([b.vectors for b in embed_images(clip, [(p, p) for p in test_paths])])

    def predict(bundle_dir: Path) -> list[str | None]:
        preds = predict_files(load_bundle(bundle_dir, device="cpu"), test_paths, batch_size=128)
        return [labels[0] if labels else None for _, labels, _, _ in preds]

    return World(store, cfg, features, named, answers, truth, test_x, [c for _, c in test],
                 predict)


def prototype_predict(train_x: torch.Tensor, labels: list[int | None], test_x: torch.Tensor,
                      n: int) -> list[int | None]:
    w = torch.zeros(len(labels), n)
    for i, lab in enumerate(labels):
        if lab is not None:
            w[i, lab] = 1.0
    present = w.sum(0) > 0
    protos = F.normalize(w.T @ train_x, dim=-1)
    return (test_x @ protos.T).masked_fill(~present, -torch.inf).argmax(1).tolist()


def knn_predict(train_x: torch.Tensor, labels: list[int], test_x: torch.Tensor,
                k: int = 5) -> list[int]:
    idx = (test_x @ train_x.T).topk(min(k, len(labels)), dim=1).indices
    return [Counter(labels[j] for j in row).most_common(1)[0][0] for row in idx.tolist()]


#: train settings per mode unless given by ``--set`` / ``--finetune-set``: near-tiny is a
#: 2-block tower, which needs a larger encoder LR than the 1e-5 default meant for ViT-B
#: (random tower, every image named: 1e-4 -> 0.450, 1e-3 -> 0.705 fine-tuned cACC)
MODE_SETTINGS = {"head": {"epochs": 10}, "finetune": {"epochs": 10, "encoder_lr": 1e-3}}


def measure(world: World, root: Path, modes: dict[str, dict]) -> dict:
    """The row of one regime; ``modes``: train mode -> its extra train.* overrides."""
    store = world.store
    vocab = Vocabulary.from_table(store.read("vocabulary"))
    ids = current_images(store)["image_id"].to_pylist()
    raw = [vocab.id_of(world.answers[i]) for i in world.named]
    refined_of = {r["image_id"]: r["label_id"] for r in store.read("labels").to_pylist()}
    refined = [refined_of.get(ids[i]) for i in world.named]
    named_truth = [world.truth[i] for i in world.named]
    classes = sorted(set(named_truth))
    center = world.features.mean(0)
    nx = F.normalize(torch.from_numpy(world.features[world.named] - center), dim=-1)
    tx = F.normalize(torch.from_numpy(world.test_features - center), dim=-1)

    def score(pred: list) -> float:
        return cacc(pred, world.test_truth)

    refined_pred = prototype_predict(nx, refined, tx, len(vocab))
    shuffles = np.random.default_rng(0)

    row = {
        "pool": len(ids), "named": len(world.named),
        "teacher (named)": cacc(raw, named_truth),
        "raw-label prototypes": score(prototype_predict(nx, raw, tx, len(vocab))),
        "kNN vote": score(knn_predict(nx, [r if r is not None else -1 for r in raw], tx)),
        "NeaR refined": score(refined_pred),
        "refined kNN vote": score(knn_predict(nx, [r if r is not None else -1 for r in refined],
                                              tx)),
        "true-label prototypes": score(prototype_predict(
            nx, [classes.index(t) for t in named_truth], tx, len(classes))),
        "refined (named)": cacc(refined, named_truth),
        "chance": float(np.mean([score(shuffles.permutation(np.array(refined_pred, dtype=object))
                                       .tolist()) for _ in range(20)])),
    }
    for mode, extra in modes.items():
        given = world.cfg.train.model_fields_set
        settings = {k: v for k, v in MODE_SETTINGS[mode].items() if k not in given}
        tcfg = world.cfg.model_copy(update={"train": world.cfg.train.model_copy(update={
            "mode": mode, "out": str(root / f"train-{mode}")} | settings | extra)})
        t0 = time.perf_counter()
        result = train(store, tcfg)
        row[f"{mode} s"] = round(time.perf_counter() - t0, 1)
        mark = {"trained": "", "knn": " [k]"}.get(result.validation.chosen, " [p]")
        column = "trained head" if mode == "head" else "fine-tuned"
        row[column] = f"{score(world.predict(result.bundle_dir)):.3f}{mark}"
        row[f"validation ({mode})"] = result.validation.to_json()
        flag = result.validation.flag or ""
        row.setdefault("warned", " + ".join(
            w for w, text in (("chance", "no classifier agrees"),
                              ("head<raw", "the trained classifier agrees")) if text in flag) or "-")
    return row


COLUMNS = ["teacher (named)", "raw-label prototypes", "kNN vote", "NeaR refined",
           "refined kNN vote", "true-label prototypes", "trained head", "fine-tuned", "refined (named)", "chance", "warned"]


def cell(values: list) -> str:
    """One table cell of a column over seeds: a score (``[p]`` marks kept), its mean and
    standard deviation over several seeds, or the distinct texts."""
    scores = [float(str(v).split()[0]) for v in values
              if isinstance(v, float) or str(v)[:1].isdigit()]
    if len(scores) != len(values):
        return " / ".join(dict.fromkeys(str(v) for v in values))
    marks = "".join(sorted({m for v in values for m in [" [p]", " [k]"] if m in str(v)}))
    if len(scores) == 1:
        return f"{scores[0]:.3f}{marks}"
    return f"{np.mean(scores):.3f} +- {np.std(scores, ddof=1):.3f}{marks}"


def markdown(rows: list[dict], columns: list[str] = COLUMNS) -> str:
    head = "| regime | pool / named | " + " | ".join(columns) + " |"
    lines = [head, "| --- " * (len(columns) + 2) + "|"]
    for name in dict.fromkeys(r["regime"] for r in rows):
        runs = [r for r in rows if r["regime"] == name]
        cells = [cell([r.get(c, "n/a") for r in runs]) if not c.endswith(" s")
                 else f"{np.mean([r[c] for r in runs]):.1f}" for c in columns]
        lines.append(f"| {name} | {runs[0]['pool']} / {runs[0]['named']} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--world", choices=["clusters", "birds"], default="clusters")
    ap.add_argument("--clip-pretrained", default="", help="birds: '' (random) or 'synthetic'")
    ap.add_argument("--finetune", action="store_true", help="birds: also fine-tune (CPU: slow)")
    ap.add_argument("--only", type=int, action="append", help="regime index (repeatable)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", type=int, default=1, help="seeds seed .. seed+K-1 per regime")
    ap.add_argument("--set", dest="overrides", action="append", default=[],
                    help="config override section.key=value (repeatable)")
    ap.add_argument("--finetune-set", dest="ft_overrides", action="append", default=[],
                    help="birds: train.key=value for the fine-tune run only (repeatable)")
    ap.add_argument("--out", type=Path, help="keep the runs here (default: a temp dir)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    cfg = load_config(None, {"clip.model": TINY, "clip.pretrained": args.clip_pretrained,
                             "clip.device": "cpu", "clip.workers": 0, "train.workers": 0,
                             "train.mode": "head", "train.batch_size": 32}
                      | parse_assignments(args.overrides))
    clip = load_clip(TINY, args.clip_pretrained, device="cpu", seed=cfg.seed)
    build = bird_world if args.world == "birds" else cluster_world
    modes: dict[str, dict] = {"head": {}}
    if args.finetune and args.world == "birds":
        modes["finetune"] = {k.removeprefix("train."): v
                             for k, v in parse_assignments(args.ft_overrides).items()}
    rows = []
    with contextlib.ExitStack() as stack:
        base = args.out or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        for (i, regime), seed in itertools.product(enumerate(REGIMES),
                                                   range(args.seed, args.seed + args.seeds)):
            if (args.only and i not in args.only) or (build is bird_world and regime.two_looks):
                continue
            t0 = time.perf_counter()
            root = base / f"{args.world}-{i}-{seed}"
            row = {"regime": regime.name, "seed": seed} | measure(
                build(regime, root, clip, cfg, seed), root, modes)
            row["seconds"] = round(time.perf_counter() - t0, 1)
            rows.append(row)
            print(row, flush=True)
    print(f"\nworld {args.world}, near-tiny pretrained={args.clip_pretrained!r}; machine "
          f"{platform.node()} ({platform.machine()}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads)\n")
    # with fine-tuning, the seconds of each train run (head vs fine-tune) as extra columns
    print(markdown(rows, COLUMNS + ([f"{m} s" for m in modes] if len(modes) > 1 else [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
