"""Image embeddings with a CLIP image tower, cached in the run store.

:func:`embed_run` embeds the run's ok images that have no row yet in the ``embeddings`` table
for this encoder (``Clip.model_id``: model name + weights hash), appending a Parquet part every
``part_rows`` images, so a rerun embeds only new images and a crash loses at most one part.
Images that cannot be read are skipped and reported (a rerun tries them again).
The chosen model is remembered in the run state (``clip`` key) for later stages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import torch

from near_core.clip import Clip, default_pretrained, load_clip
from near_core.config import ClipConfig
from near_core.data import ImageDataset, image_size, make_loader, to_device
from near_core.ingest import run_items
from near_core.progress import progress_bar
from near_core.store import RunStore

log = logging.getLogger(__name__)

STATE_KEY = "clip"


@dataclass
class EmbedBatch:
    """One embedded batch: ``ids`` (B'), ``vectors`` (B', D) float32 L2-normalised, and the
    ``failed`` (image_id, reason) pairs of the batch."""

    ids: list[str]
    vectors: np.ndarray
    failed: list[tuple[str, str]]


@torch.no_grad()
def embed_images(
    clip: Clip, items: Sequence[tuple[str, str]], *, batch_size: int = 64, workers: int = 0
) -> Iterator[EmbedBatch]:
    """Embed ``(image_id, path)`` items batch by batch with the model's eval transform."""
    rt = clip.runtime
    model = clip.model.eval()
    if rt.is_cuda:
        model = model.to(memory_format=torch.channels_last)
    ds = ImageDataset(items, clip.preprocess, image_size(clip.preprocess_cfg))
    for images, idx, errors in make_loader(ds, rt, batch_size=batch_size, workers=workers):
        ok = [j for j, e in enumerate(errors) if not e]
        failed = [(items[int(idx[j])][0], errors[j]) for j, e in enumerate(errors) if e]
        vectors = np.zeros((0, clip.embed_dim), dtype=np.float32)
        if ok:
            with rt.autocast():
                emb = model.encode_image(to_device(images[ok], rt), normalize=True)
            vectors = emb.float().cpu().numpy()
        yield EmbedBatch([items[int(idx[j])][0] for j in ok], vectors, failed)


@dataclass
class EmbedSummary:
    """Counts of one :func:`embed_run` call; ``failed`` holds (image_id, reason) pairs."""

    encoder: str
    total: int = 0
    cached: int = 0
    embedded: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.total} images: {self.embedded} embedded, {self.cached} cached, "
            f"{len(self.failed)} unreadable (encoder {self.encoder})"
        )


def embedded_ids(store: RunStore, encoder: str,
                 image_ids: Sequence[str] | None = None) -> set[str]:
    """image_ids (among ``image_ids`` when given) that already have an embedding from
    ``encoder``; streamed, one record batch of ids at a time."""
    only = {"encoder": [encoder]} | ({} if image_ids is None else {"image_id": list(image_ids)})
    batches = store.scan("embeddings", ["image_id"], only=only)
    return {i for b in batches for i in b.column("image_id").to_pylist()}


def remember_clip(store: RunStore, clip: Clip) -> None:
    """Record the model in the run state so later stages reuse it when not told otherwise."""
    store.update_state(
        **{STATE_KEY: {"model": clip.name, "pretrained": clip.pretrained, "encoder": clip.model_id}}
    )


def clip_choice(store: RunStore, cfg: ClipConfig) -> tuple[str, str]:
    """``(model, pretrained)`` for a stage of this run.

    Values set explicitly (flag, --set, config file or environment) win; otherwise the run's
    remembered choice (from ``near embed``); otherwise the config defaults. A default tag that
    the model lacks (``near-tiny`` has none) means seeded random weights.
    """
    told = cfg.model_fields_set
    remembered = store.state().get(STATE_KEY) or {}
    name = cfg.model if "model" in told or not remembered else remembered["model"]
    if "pretrained" in told:
        return name, cfg.pretrained
    if remembered.get("model") == name:
        return name, remembered["pretrained"]
    return name, default_pretrained(name, cfg.pretrained, explicit=False)


def load_run_clip(store: RunStore, cfg: ClipConfig, *, seed: int = 0, **kw: Any) -> Clip:
    """Load the CLIP model :func:`clip_choice` picks, on ``cfg.device``/``cfg.precision``."""
    name, pretrained = clip_choice(store, cfg)
    return load_clip(
        name, pretrained, device=cfg.device, precision=cfg.precision, seed=seed, **kw
    )


def embed_run(
    store: RunStore, clip: Clip, *, config: ClipConfig | None = None, progress: bool = False,
    image_ids: Sequence[str] | None = None,
) -> EmbedSummary:
    """Embed the run's ok images (those among ``image_ids`` when given: one shard of a
    fanned-out stage) missing from the embeddings table for ``clip.model_id``."""
    cfg = config or ClipConfig()
    if (store.state().get(STATE_KEY) or {}).get("encoder") != clip.model_id:
        remember_clip(store, clip)  # once: shards running side by side write run.json rarely
    images = run_items(store, image_ids)
    done = embedded_ids(store, clip.model_id, image_ids)
    items = [(i, p) for i, p in images if i not in done]
    summary = EmbedSummary(clip.model_id, total=len(images), cached=len(images) - len(items))
    pending: list[EmbedBatch] = []

    def flush() -> None:
        ids = [i for b in pending for i in b.ids]
        if ids:
            store.append("embeddings", embedding_table(ids, clip.model_id, np.concatenate(
                [b.vectors for b in pending])))
        summary.embedded += len(ids)
        pending.clear()

    bar = progress_bar(len(items), desc="embed", enabled=progress)
    try:
        for batch in embed_images(clip, items, batch_size=cfg.batch_size, workers=cfg.workers):
            pending.append(batch)
            summary.failed.extend(batch.failed)
            for image_id, reason in batch.failed:
                log.warning("embed: skipping unreadable image %s: %s", image_id, reason)
            bar.update(len(batch.ids) + len(batch.failed))
            if sum(len(b.ids) for b in pending) >= cfg.part_rows:
                flush()
    finally:
        bar.close()
    flush()
    return summary


def embedding_table(ids: Sequence[str], encoder: str, vectors: np.ndarray) -> pa.Table:
    """Rows of the embeddings table: ``vectors`` is (N, D) float32."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    flat = pa.array(vectors.reshape(-1), type=pa.float32())
    return pa.table(
        {
            "image_id": pa.array(list(ids), pa.string()),
            "encoder": pa.array([encoder] * len(ids), pa.string()),
            "embedding": pa.FixedSizeListArray.from_arrays(flat, vectors.shape[1]),
        }
    )


def embedding_mean(store: RunStore, encoder: str) -> np.ndarray | None:
    """``(D,)`` float32 mean of every ``encoder`` embedding of the run (None when there is
    none), streamed batch by batch: memory is one record batch, not (N, D)."""
    total, count = None, 0
    for batch in store.scan("embeddings", ["embedding"], only={"encoder": [encoder]}):
        if batch.num_rows == 0:
            continue
        col = batch.column("embedding")
        rows = col.flatten().to_numpy(zero_copy_only=False).reshape(batch.num_rows, -1)
        part = rows.astype(np.float64).sum(0)
        total = part if total is None else total + part
        count += batch.num_rows
    return None if total is None else (total / count).astype(np.float32)


def load_embeddings(
    store: RunStore, encoder: str, image_ids: Sequence[str] | None = None
) -> tuple[list[str], np.ndarray]:
    """``(ids, (N, D) float32)`` of ``encoder``'s embeddings, in ``image_ids`` order when
    given (ids without an embedding are left out)."""
    only = {"encoder": [encoder]}
    if image_ids is not None:
        only["image_id"] = list(image_ids)
    t = store.read("embeddings", only=only)
    ids = t["image_id"].to_pylist()
    if t.num_rows == 0:
        return [], np.zeros((0, 0), dtype=np.float32)
    col = t["embedding"].combine_chunks()
    width = col.type.list_size
    vectors = col.flatten().to_numpy(zero_copy_only=False).reshape(-1, width).astype(np.float32)
    if image_ids is None:
        return ids, vectors
    pos = {i: k for k, i in enumerate(ids)}
    keep = [i for i in image_ids if i in pos]
    return keep, vectors[[pos[i] for i in keep]] if keep else np.zeros((0, width), np.float32)


