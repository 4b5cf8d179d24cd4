"""Relabel: CLIP-only labeling of new images with a classifier bundle.

:func:`relabel_run` predicts every ok image of the run that has no row yet in the
``predictions`` table for the bundle's ``model_version`` and appends the rows as Parquet parts
(top-k labels and scores; ``low_confidence`` when the top score is below
``relabel.low_confidence``, for an optional MLLM re-query). :func:`predict_files` labels
files directly (``near predict``), without a run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.compute as pc
import torch

from near_core.bundle import Bundle, BundleError, read_bundle_info
from near_core.config import RelabelConfig
from near_core.data import ImageDataset, image_size, make_loader
from near_core.ingest import run_items
from near_core.store import RunStore

log = logging.getLogger(__name__)


#: run.json key of the bundle discovery grew from the trained one (near_core.discover)
STATE_DISCOVERED = "discovered"


def bundle_path(store: RunStore, cfg: RelabelConfig) -> Path:
    """``relabel.bundle`` when set, else the newest bundle discovery grew from the run's last
    training (run.json ``discovered``), else the bundle of the run's last training."""
    if cfg.bundle:
        return Path(cfg.bundle)
    state = store.state()
    trained = state.get("train") or {}
    if not trained.get("bundle"):
        raise BundleError(
            f"run {store.root} has no trained classifier: run `near train` first or pass a "
            "bundle (--bundle DIR / relabel.bundle)"
        )
    grown = state.get(STATE_DISCOVERED) or {}
    if grown.get("bundle") and grown.get("train_version") == trained.get("model_version"):
        return Path(grown["bundle"])
    return Path(trained["bundle"])


@dataclass
class Predicted:
    """One predicted batch: ``ids`` (B'), ``labels``/``scores`` (B', k), failed (id, reason)."""

    ids: list[str]
    labels: list[list[str]]
    scores: list[list[float]]
    failed: list[tuple[str, str]]


def predict_items(
    bundle: Bundle,
    items: Sequence[tuple[str, str]],
    *,
    top_k: int = 5,
    batch_size: int = 64,
    workers: int = 0,
) -> Iterator[Predicted]:
    """Top-k predictions of ``(key, path)`` items, batch by batch; unreadable files are
    reported in ``failed`` rather than raised."""
    ds = ImageDataset(items, bundle.preprocess, image_size(bundle.preprocess_cfg))
    loader = make_loader(ds, bundle.runtime, batch_size=batch_size, workers=workers)
    for images, idx, errors in loader:
        ok = [j for j, e in enumerate(errors) if not e]
        failed = [(items[int(idx[j])][0], errors[j]) for j, e in enumerate(errors) if e]
        labels: list[list[str]] = []
        scores = torch.zeros(0, 0)
        if ok:
            labels, scores = bundle.topk(bundle.probs(images[ok]), top_k)
        yield Predicted([items[int(idx[j])][0] for j in ok], labels, scores.tolist(), failed)


@dataclass
class RelabelSummary:
    """Counts of one :func:`relabel_run` call."""

    model_version: str
    total: int = 0
    cached: int = 0
    predicted: int = 0
    low_confidence: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.total} images: {self.predicted} predicted ({self.low_confidence} low "
            f"confidence), {self.cached} already predicted, {len(self.failed)} unreadable "
            f"(model {self.model_version})"
        )


def predicted_ids(store: RunStore, model_version: str,
                  image_ids: Sequence[str] | None = None) -> set[str]:
    """image_ids (among ``image_ids`` when given) that ``model_version`` already predicted;
    streamed, one record batch of ids at a time."""
    only = {"model_version": [model_version]}
    if image_ids is not None:
        only["image_id"] = list(image_ids)
    batches = store.scan("predictions", ["image_id"], only=only)
    return {i for b in batches for i in b.column("image_id").to_pylist()}


def low_confidence_requery(store: RunStore, cfg: RelabelConfig) -> tuple[list[str], list[str]]:
    """``(image_ids, names)`` for an MLLM re-query: the images the run's classifier flagged
    ``low_confidence`` and the classifier's class names (the constrained choices)."""
    config, vocab = read_bundle_info(bundle_path(store, cfg))
    names = [v["name"] for v in vocab]
    table = store.read("predictions", columns=["image_id", "low_confidence"],
                       only={"model_version": [config["model_version"]]})
    return sorted(table.filter(pc.fill_null(table["low_confidence"], False))["image_id"]
                  .to_pylist()), names


def relabel_run(
    store: RunStore,
    bundle: Bundle,
    *,
    config: RelabelConfig | None = None,
    workers: int = 0,
    image_ids: Sequence[str] | None = None,
) -> RelabelSummary:
    """Predict the run's ok images (those among ``image_ids`` when given: one shard of a
    fanned-out stage) not yet predicted by ``bundle.model_version``. Streams: images are
    read, classified and their top-k rows appended ``relabel.part_rows`` at a time; no
    (N, C) matrix or whole-pool list is held."""
    cfg = config or RelabelConfig()
    version = bundle.model_version
    images = run_items(store, image_ids)
    done = predicted_ids(store, version, image_ids)
    items = [(i, p) for i, p in images if i not in done]
    summary = RelabelSummary(version, total=len(images), cached=len(images) - len(items))
    rows: list[dict] = []

    def flush() -> None:
        store.append("predictions", rows)
        summary.predicted += len(rows)
        rows.clear()

    for batch in predict_items(
        bundle, items, top_k=cfg.top_k, batch_size=cfg.batch_size, workers=workers
    ):
        now = datetime.now(UTC)
        for image_id, labels, scores in zip(batch.ids, batch.labels, batch.scores, strict=True):
            low = scores[0] < cfg.low_confidence
            summary.low_confidence += low
            rows.append({
                "image_id": image_id, "model_version": version, "label": labels[0],
                "score": scores[0], "topk_labels": labels, "topk_scores": scores,
                "low_confidence": low, "created_at": now,
            })
        for image_id, reason in batch.failed:
            log.warning("relabel: skipping unreadable image %s: %s", image_id, reason)
        summary.failed.extend(batch.failed)
        if len(rows) >= cfg.part_rows:
            flush()
    if rows:
        flush()
    return summary


def record_cost(store: RunStore, *, seconds: float, images: int) -> None:
    """Add a relabel's ``seconds`` and predicted ``images`` to run.json ``cost.relabel`` (the
    report's cost table); called once per stage, after its shards."""
    cost = store.state().get("cost", {})
    prev = cost.get("relabel", {})
    cost["relabel"] = {"seconds": prev.get("seconds", 0.0) + seconds,
                       "images": prev.get("images", 0) + images}
    store.update_state(cost=cost)


def predict_files(
    bundle: Bundle, paths: Sequence[str | os.PathLike[str]], *, top_k: int = 1,
    batch_size: int = 64,
) -> list[tuple[str, list[str], list[float], str | None]]:
    """``(path, top labels, top scores, error)`` per file, in input order."""
    items = [(str(p), str(p)) for p in paths]
    out: dict[str, tuple[list[str], list[float], str | None]] = {}
    for batch in predict_items(bundle, items, top_k=top_k, batch_size=batch_size):
        for key, labels, scores in zip(batch.ids, batch.labels, batch.scores, strict=True):
            out[key] = (labels, scores, None)
        for key, reason in batch.failed:
            out[key] = ([], [], reason)
    return [(key, *out[key]) for key, _ in items]
