"""A fabricated run directory with every table and optional file the report reads.

Noisy on purpose (wrong MLLM names, CLIP mistakes between sibling classes) so the charts have
something to show, and hostile: one class name the "MLLM" gave is markup, and it reaches the
vocabulary, the refined labels, the CLIP predictions, the validation flag and discovery.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

from near_core.ingest import current_images, ingest
from near_core.store import RunStore
from near_core.testing.synthetic import make_dataset

#: a hostile MLLM answer: markup that must never become an element of the page
EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
EVIL_ESCAPED_TEXT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _truth(path: str) -> str:
    return path.split("/")[-2].split(".", 1)[1].replace("_", " ")


def fabricate_run(
    tmp_path: Path, *, n_classes: int = 8, per_class: int = 10, seed: int = 0,
    optional_files: bool = True,
) -> tuple[RunStore, list[str], list[str]]:
    """Ingest ``n_classes * per_class`` synthetic images into ``tmp_path/run`` and write
    answers (2 samples for 60% of the images), vocabulary, refined labels, CLIP predictions,
    the relabel cost and, with ``optional_files``, a training folder (metrics.csv and a bundle
    vocabulary), ``validation.json`` and two ``discovery/*.json``. Returns (store, image ids
    sorted by path, their true class names)."""
    rng = random.Random(seed)
    make_dataset(tmp_path / "imgs", n_classes=n_classes, per_class=per_class, seed=seed, size=32)
    store = RunStore(tmp_path / "run")
    ingest(tmp_path / "imgs", store)
    images = current_images(store).sort_by("path")
    ids = images["image_id"].to_pylist()
    truth = [_truth(p) for p in images["path"].to_pylist()]
    names = sorted(set(truth))
    now = datetime.now(UTC)

    def sibling(name: str) -> str:
        k = names.index(name)
        return names[k ^ 1] if (k ^ 1) < len(names) else names[0]

    named = [i for k, i in enumerate(ids) if k % 5 < 3]
    answers, refined = [], {}
    for k, (iid, t) in enumerate(zip(ids, truth, strict=True)):
        if iid not in named:
            continue
        said = []
        for s in range(2):
            r = rng.random()
            label = t if r < 0.75 else sibling(t) if r < 0.9 else t.lower()
            if k == 0:
                label = EVIL
            said.append(label)
            answers.append({"image_id": iid, "model": "m", "prompt_version": "v1",
                            "params_hash": "h", "sample_idx": s, "status": "ok",
                            "raw_text": label, "label": label, "latency_s": 1.5 + rng.random(),
                            "prompt_tokens": 900, "completion_tokens": 12, "created_at": now})
        refined[iid] = EVIL if k == 0 else (t if rng.random() < 0.9 else sibling(t))
    store.append("answers", answers)
    vocab = [*names, EVIL]
    store.write("vocabulary", store.conform("vocabulary", [
        {"label_id": k, "name": n, "aliases": [n.lower()], "count": 3} for k, n in enumerate(vocab)
    ]))
    store.write("labels", store.conform("labels", [
        {"image_id": iid, "label_id": vocab.index(lab), "label": lab,
         "confidence": min(1.0, 0.55 + 0.45 * rng.random()), "clean_prob": rng.random()}
        for iid, lab in refined.items()
    ]))
    preds = []
    for iid, t in zip(ids, truth, strict=True):
        r = rng.random()
        p = t if r < 0.8 else sibling(t) if r < 0.95 else EVIL
        score = (0.5 + 0.5 * rng.random()) if p == t else 0.2 + 0.4 * rng.random()
        preds.append({"image_id": iid, "model_version": "v", "label": p, "score": score,
                      "topk_labels": [p], "topk_scores": [score], "low_confidence": score < 0.3,
                      "created_at": now})
    store.append("predictions", preds)
    store.update_state(cost={"relabel": {"seconds": 0.004 * len(ids), "images": len(ids)}})
    if optional_files:
        _optional_files(store.root, ids, names)
    return store, ids, truth


def _optional_files(run: Path, ids: list[str], names: list[str]) -> None:
    train = run / "train" / "t1"
    bundle = train / "bundle"
    bundle.mkdir(parents=True)
    for f in ("visual.safetensors", "head.safetensors", "preprocess.json", "versions.json"):
        (bundle / f).write_text("{}")
    (bundle / "config.json").write_text(json.dumps({"model_version": "near-tiny-abc"}))
    (bundle / "vocabulary.json").write_text(json.dumps(
        [{"label_id": k, "name": n} for k, n in enumerate(names[:-1])]))
    rows = ["epoch,train_loss,set_loss,refined,clean_frac,label_changed,lr"]
    for e in range(1, 11):
        rows.append(f"{e},{2.2 / e:.4f},{2.0 / e + 0.1:.4f},{int(e >= 3)},"
                    f"{min(0.95, 0.5 + e * 0.05):.3f},{0.2 / e if e >= 3 else 0:.3f},0.001")
    (train / "metrics.csv").write_text("\n".join(rows) + "\n")
    state = json.loads((run / "run.json").read_text())
    state["train"] = {"bundle": str(bundle), "model_version": "near-tiny-abc", "mode": "head"}
    (run / "run.json").write_text(json.dumps(state))
    (run / "validation.json").write_text(json.dumps({
        "schema": 1, "images": 40, "seed": 0, "flag": f"trained below refined: {EVIL}", "chance": 0.2,
        "stages": {"raw_prototypes": 0.61, "refined": 0.83, "knn": 0.79, "trained": 0.72},
        "chosen": "refined"}))
    disc = run / "discovery"
    disc.mkdir()
    for k, (version, added) in enumerate([("v2", ["Snowy Owl", EVIL]), ("v3", ["Barn Owl"])]):
        (disc / f"{k:02d}-{version}.json").write_text(json.dumps({
            "schema": 1, "parent_version": f"v{k + 1}", "model_version": version,
            "classes_added": added, "mllm_requests": 24 + k, "images": 120,
            "before": {"known_accuracy": 0.8}, "after": {"known_accuracy": 0.78 + 0.03 * k},
            "examples": {c: ids[j * 3: j * 3 + 3] + ["missing-id"] for j, c in enumerate(added)},
        }))
