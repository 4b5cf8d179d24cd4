"""CPU benchmark of the CLIP stages with near-tiny: embedding and training images/s, and the
relabel cost per image against the MLLM client's cost per image on the loopback server.

    python bench/clip_cpu.py [--images 512] [--threads 2]

All figures come from one process on one set of synthetic 64x64 images (near_core.testing.
synthetic, resized to near-tiny's 32x32 input). The MLLM figure is the *client side* cost
(JPEG encoding, HTTP, parsing, Parquet writes) against a loopback server that answers at once
(latency 0), so it is a lower bound of a real MLLM's cost per image: a real 7B MLLM adds its
GPU time per image on top.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

import torch

from near_core.bundle import load_bundle
from near_core.clip import TINY, load_clip
from near_core.config import load_config
from near_core.embed import embed_run
from near_core.ingest import current_images, ingest
from near_core.relabel import relabel_run
from near_core.store import RunStore
from near_core.testing.synthetic import make_dataset
from near_core.train import train


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def _truth_candidates(store: RunStore, items: list[tuple[Path, str]]) -> None:
    """Vocabulary = true class names; candidate set = the true class (throughput only)."""
    names = sorted({c for _, c in items})
    col = {n: i for i, n in enumerate(names)}
    cls = {str(p.resolve()): c for p, c in items}
    images = current_images(store)
    store.write("vocabulary", [{"label_id": i, "name": n, "count": 0} for n, i in col.items()])
    store.write("candidates", [
        {"image_id": iid, "label_ids": [col[cls[str(Path(p).resolve())]]], "weights": [1.0]}
        for iid, p in zip(images["image_id"].to_pylist(), images["path"].to_pylist(), strict=True)
    ])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=512)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    logging.basicConfig(level=logging.ERROR)
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        items = make_dataset(root / "images", n_classes=8, per_class=args.images // 8, seed=0)
        n = len(items)
        clip = load_clip(TINY, "", device="cpu")
        for workers in (0, 2):
            store = RunStore(root / f"embed-w{workers}")
            ingest(root / "images", store)
            cfg = load_config(None, {"clip.workers": workers, "clip.batch_size": 64})
            _, s = _timed(lambda st=store, c=cfg: embed_run(st, clip, config=c.clip))
            rows.append((f"embed, batch 64, {workers} workers", f"{n / s:.0f} images/s"))

        run = RunStore(root / "run")
        ingest(root / "images", run)
        embed_run(run, clip, config=load_config(None, {"clip.workers": 0}).clip)
        _truth_candidates(run, items)
        for mode, workers in (("head", 0), ("finetune", 2)):
            cfg = load_config(None, {
                "clip.model": TINY, "train.mode": mode, "train.epochs": args.epochs,
                "train.batch_size": 64, "train.workers": workers, "train.lr": 0.05,
                "train.encoder_lr": 1e-4, "train.out": str(root / f"train-{mode}"),
            })
            result, s = _timed(lambda c=cfg: train(run, c))
            per_epoch = [h["images_per_s"] for h in result.history]
            rows.append((f"train {mode}, batch 64, {workers} workers (epoch incl. eval pass)",
                         f"{sum(per_epoch) / len(per_epoch):.0f} images/s"))
            bundle_dir = result.bundle_dir

        bundle = load_bundle(bundle_dir, device="cpu")
        rel_store = RunStore(root / "relabel")
        ingest(root / "images", rel_store)
        cfg = load_config(None, {"relabel.batch_size": 64})
        summary, relabel_s = _timed(
            lambda: relabel_run(rel_store, bundle, config=cfg.relabel, workers=2))
        relabel_per = relabel_s / summary.predicted
        rows.append(("relabel (finetuned near-tiny bundle, 2 workers)",
                     f"{relabel_per * 1e3:.2f} ms/image"))

        mllm_per = _mllm_cost(root, n)
        if mllm_per is not None:
            rows.append(("MLLM client vs loopback server (latency 0, concurrency 16)",
                         f"{mllm_per * 1e3:.2f} ms/image"))
            rows.append(("ratio MLLM client / relabel", f"{mllm_per / relabel_per:.1f}x"))
    print(f"near-tiny on CPU, {n} images, {args.threads} torch threads, torch {torch.__version__}")
    print("| measure | value |\n| --- | --- |")
    for k, v in rows:
        print(f"| {k} | {v} |")


def _mllm_cost(root: Path, n: int) -> float | None:
    """Seconds per image of `label_images` against the loopback server (None if absent)."""
    try:
        from near_core.mllm.labeler import label_images
        from near_core.testing.mllm_server import DEFAULT_MODEL, MLLMServer
    except ImportError as exc:
        print(f"(MLLM comparison skipped: {exc})")
        return None
    store = RunStore(root / "mllm")
    ingest(root / "images", store)
    with MLLMServer(latency_s=0.0) as server:
        cfg = load_config(None, {"mllm.url": server.url, "mllm.model": DEFAULT_MODEL,
                                 "mllm.concurrency": 16, "mllm.category": "bird species"})
        summary, s = _timed(lambda: label_images(store, cfg.mllm))
    return s / max(summary.labeled, 1)


if __name__ == "__main__":
    main()
