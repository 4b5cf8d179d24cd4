"""Test helpers for the CLIP stages: colour images, a near-tiny checkpoint file, a run whose
candidate sets come from 30%-noisy labels and the images' nearest neighbours."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from near_core.clip import TINY, load_clip, save_weights
from near_core.config import load_config
from near_core.embed import embed_run, load_embeddings
from near_core.ingest import current_images, ingest
from near_core.store import RunStore

COLOURS = {
    "red": (220, 30, 30),
    "green": (30, 200, 40),
    "blue": (30, 40, 220),
    "yellow": (230, 220, 30),
}


def make_images(out: Path, *, per_class: int, seed: int = 0, size: int = 32,
                classes: dict[str, tuple[int, int, int]] = COLOURS) -> list[tuple[Path, str]]:
    """PNG images: a square of the class colour on a random grey background, with noise."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    items = []
    for name, rgb in classes.items():
        for k in range(per_class):
            img = np.full((size, size, 3), rng.integers(60, 190), dtype=np.float32)
            side = int(rng.integers(size // 2, size))
            x, y = rng.integers(0, size - side + 1, size=2)
            img[y : y + side, x : x + side] = np.array(rgb) * rng.uniform(0.8, 1.1)
            img += rng.normal(0, 12, img.shape)
            path = out / f"{name}_{seed}_{k:03d}.png"
            Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path)
            items.append((path, name))
    return items


def tiny_checkpoint(path: Path, seed: int = 0) -> Path:
    """near-tiny's seeded random weights saved as a local safetensors checkpoint."""
    return save_weights(load_clip(TINY, "", device="cpu", seed=seed).model, path)


def noisy_labels(truth: list[str], names: list[str], *, rate: float, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for t in truth:
        if rng.random() < rate:
            out.append(str(rng.choice([n for n in names if n != t])))
        else:
            out.append(t)
    return out


def build_run(run_dir: Path, images_dir: Path, checkpoint: Path, *, per_class: int = 12,
              noise: float = 0.3, k: int = 5, seed: int = 0) -> dict:
    """Ingest + embed (near-tiny from ``checkpoint``) + vocabulary/candidates from noisy
    labels mixed with the labels of the k nearest neighbours. Returns truth and noisy labels
    by image_id."""
    items = make_images(images_dir, per_class=per_class, seed=seed)
    store = RunStore(run_dir)
    ingest(images_dir, store)
    cfg = load_config(None, {"clip.model": TINY, "clip.pretrained": str(checkpoint),
                             "clip.workers": 0, "clip.batch_size": 32})
    clip = load_clip(TINY, str(checkpoint), device="cpu")
    embed_run(store, clip, config=cfg.clip)
    images = current_images(store)
    class_of = {str(p): c for p, c in items}
    ids = images["image_id"].to_pylist()
    truth = [class_of[p] for p in images["path"].to_pylist()]
    names = sorted(COLOURS)
    noisy = noisy_labels(truth, names, rate=noise, seed=seed)
    _, vecs = load_embeddings(store, clip.model_id, ids)
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, -np.inf)
    nn = np.argsort(-sims, axis=1)[:, :k]
    col = {n: c for c, n in enumerate(names)}
    store.write("vocabulary", [{"label_id": c, "name": n, "aliases": [n], "count": 0}
                               for c, n in enumerate(names)])
    rows = []
    for i, iid in enumerate(ids):
        w = np.zeros(len(names))
        w[col[noisy[i]]] += 0.5
        for j in nn[i]:
            w[col[noisy[j]]] += 0.5 / k
        lids = [int(c) for c in np.nonzero(w)[0]]
        rows.append({"image_id": iid, "label_ids": lids, "weights": [float(w[c]) for c in lids]})
    store.write("candidates", rows)
    return {"ids": ids, "truth": dict(zip(ids, truth, strict=True)),
            "noisy": dict(zip(ids, noisy, strict=True)), "model_id": clip.model_id}
