"""NeaR training on CLIP: single process or ``torchrun`` DDP (``python -m near_core.train``).

Two modes share one loop:

* ``head``: the image tower is frozen; inputs are the run's cached embeddings (``near embed``);
  only the class vectors train (fast, CPU friendly).
* ``finetune``: images go through the image tower, of which the last ``train.unlocked_blocks``
  blocks train (with augmentations); class vectors are free vectors initialised from the text
  embeddings of the vocabulary, or the text tower itself with ``train.unlock_text``.

The objective is :class:`near_core.objective.NearObjective` (knobs from the ``refine`` config
section): weighted cross-entropy over candidate sets, and after ``train.refine_after`` epochs, per
epoch, a GMM on the per-sample candidate-set loss of *all* samples (all-gathered across ranks in
sample order, refined identically and broadcast from rank 0) that re-weights the targets.

Inputs come from the run store (``vocabulary``, ``candidates`` and ``images`` tables written by
ingest/refine; ``embeddings`` in head mode). Outputs, written by rank 0 only, in ``train.out``
(default ``RUN/train``)::

    latest.pt, best.pt   model, optimizer, scheduler, scaler, RNG and refinement state
    metrics.csv          one row per epoch
    config.toml          the resolved configuration
    labels.parquet       refined label per training image (schema of the ``labels`` table)
    summary.json         epochs, world size, per-rank weight hashes (checked equal), bundle
    bundle/              the classifier bundle (near_core.bundle) of the final model

``--resume`` continues from ``latest.pt`` exactly (same sampler order, RNG and targets).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import logging
import math
import os
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import Dataset, DistributedSampler

from near_core.bundle import save_bundle
from near_core.clip import Clip, Runtime, text_embeddings, weights_hash
from near_core.config import NearConfig, dump_config, load_config, parse_assignments
from near_core.distributed import (
    DistInfo,
    all_sum,
    broadcast,
    gather_objects,
    gather_rows,
    init_distributed,
    rank_runtime,
)
from near_core.embed import ImageDataset, image_size, load_embeddings, load_run_clip, make_loader
from near_core.embed import to_device as _to_device
from near_core.errors import NearError
from near_core.ingest import current_images
from near_core.objective import CosineHead, NearObjective, candidate_set_loss
from near_core.store import RunStore, atomic_write_bytes

log = logging.getLogger("near_core.train")  # same name when run as __main__

CHECKPOINT_FORMAT = 1
STATE_KEY = "train"


class TrainError(NearError):
    """Training cannot start or continue (missing inputs, diverged, bad checkpoint)."""


# -- data ---------------------------------------------------------------------------------
@dataclass
class TrainData:
    """Training samples from the run store.

    ``image_ids``/``paths`` have N entries; ``names``/``label_ids`` C entries (the vocabulary,
    in column order); ``weights`` is (N, C) float32 with rows summing to 1 (non-zero = S_i).
    """

    image_ids: list[str]
    paths: list[str]
    names: list[str]
    label_ids: list[int]
    weights: Tensor


def load_train_data(store: RunStore) -> TrainData:
    """Training targets: refine's candidate sets, pulled towards refine's refined labels.

    Each image's target is ``(1 - c) * w_i + c * onehot(refined label)`` over its candidate
    set S_i (plus the refined label), ``w_i`` being the candidate weights and ``c`` the
    refined label's confidence, so fine-tuning starts where head-mode refinement ended
    instead of from the raw neighbour votes. Images with neither are left out.
    """
    vocab = store.read("vocabulary")
    cands = store.read("candidates")
    if vocab.num_rows == 0 or cands.num_rows == 0:
        raise TrainError(
            f"run {store.root} has no vocabulary/candidates tables: run `near refine` first"
        )
    vocab = vocab.sort_by("label_id")
    label_ids = [int(i) for i in vocab["label_id"].to_pylist()]
    column = {lid: c for c, lid in enumerate(label_ids)}
    refined = {
        r["image_id"]: (r["label_id"], r["confidence"])
        for r in store.read("labels", columns=["image_id", "label_id", "confidence"]).to_pylist()
        if r["label_id"] is not None
    }
    images = current_images(store)
    path_of = dict(zip(images["image_id"].to_pylist(), images["path"].to_pylist(), strict=True))
    ids, paths, rows = [], [], []
    for iid, lids, ws in zip(
        cands["image_id"].to_pylist(),
        cands["label_ids"].to_pylist(),
        cands["weights"].to_pylist(),
        strict=True,
    ):
        if iid not in path_of:
            continue
        row = np.zeros(len(label_ids), dtype=np.float32)
        for lid, w in zip(lids or [], ws or [1.0] * len(lids or []), strict=True):
            if lid not in column:
                raise TrainError(f"candidates of image {iid} name unknown label_id {lid}")
            row[column[lid]] += max(float(w), 0.0)
        if row.sum() > 0:
            row /= row.sum()
        if iid in refined:
            lid, conf = refined[iid]
            if lid not in column:
                raise TrainError(f"refined label of image {iid} is unknown label_id {lid}")
            c = 1.0 if row.sum() == 0 else min(max(float(conf or 0.0), 0.0), 1.0)
            row *= 1.0 - c
            row[column[lid]] += c
        if row.sum() <= 0:
            continue
        ids.append(iid)
        paths.append(path_of[iid])
        rows.append(row / row.sum())
    if not ids:
        raise TrainError(f"run {store.root}: no ok image has a non-empty candidate set")
    return TrainData(ids, paths, vocab["name"].to_pylist(), label_ids, torch.from_numpy(np.stack(rows)))


class FeatureDataset(Dataset):
    """Cached embeddings as a dataset: ``i -> (features (D,), i, "")``."""

    def __init__(self, features: Tensor):
        self.features = features

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, i: int) -> tuple[Tensor, int, str]:
        return self.features[i], i, ""


# -- model --------------------------------------------------------------------------------
class TrainModel(nn.Module):
    """What trains: ``(B, 3, H, W)`` images or ``(B, D)`` features -> ``(B, C)`` logits.

    ``clip`` is None in head mode (inputs are features). With ``text_tokens`` (unlocked text
    tower) the class vectors are the mean text embedding of each class's prompts, recomputed
    every step; otherwise they are the head's free vectors.
    """

    def __init__(self, clip: nn.Module | None, head: CosineHead, text_tokens: Tensor | None = None,
                 n_templates: int = 1):
        super().__init__()
        self.clip = clip
        self.head = head
        self.n_templates = n_templates
        self.register_buffer("text_tokens", text_tokens, persistent=False)

    def class_vectors(self) -> Tensor:
        if self.text_tokens is None:
            return self.head.weight
        emb = self.clip.encode_text(self.text_tokens, normalize=True)
        return emb.view(-1, self.n_templates, emb.shape[-1]).mean(1)

    def forward(self, x: Tensor) -> Tensor:
        feats = x if self.clip is None else self.clip.encode_image(x)
        if self.text_tokens is None:
            return self.head(feats)
        vectors = F.normalize(self.class_vectors(), dim=-1)
        return self.head.scale * F.normalize(feats, dim=-1) @ vectors.T


def build_model(clip: Clip, data: TrainData, cfg: NearConfig,
                features: Tensor | None = None) -> TrainModel:
    """Lock/unlock towers per config; class vectors start from CLIP text embeddings.

    Head mode (``features``: the ``(N, D)`` cached embeddings of ``data``'s images) centres
    the features on their mean first: a weak or untuned encoder puts every embedding in a
    narrow cone (cosines near 1), where a cosine head cannot tell classes apart and collapses
    to a few of them (measured in BENCHMARKS.md). The centre is saved with the head.
    """
    tcfg = cfg.train
    init = text_embeddings(clip, data.names, cfg.clip.templates)
    scale = _objective_options(cfg)["scale"]
    if tcfg.mode == "head":
        if features is None:
            raise TrainError("head mode needs the cached embeddings of the training images")
        head = CosineHead(init, scale=scale, center=features.float().mean(0))
        return TrainModel(None, head).to(clip.runtime.device)
    head = CosineHead(init, scale=scale)
    model = clip.model
    model.requires_grad_(False)
    if tcfg.unlocked_blocks == -1:
        model.visual.requires_grad_(True)
    elif tcfg.unlocked_blocks > 0:
        model.visual.lock(unlocked_groups=tcfg.unlocked_blocks + 1)  # + the projection
    tokens = None
    if tcfg.unlock_text:
        for name, p in model.named_parameters():
            if not name.startswith("visual."):
                p.requires_grad_(True)
        head.weight.requires_grad_(False)
        prompts = [t.format(n) for n in data.names for t in cfg.clip.templates]
        tokens = clip.tokenizer(prompts)
    if clip.runtime.is_cuda:
        model = model.to(memory_format=torch.channels_last)
    out = TrainModel(model, head, tokens, len(cfg.clip.templates)).to(clip.runtime.device)
    return out


def _objective_options(cfg: NearConfig) -> dict[str, Any]:
    """NeaR objective knobs: the head-mode defaults (RefineOptions) overridden by matching
    fields of the ``refine`` config section, so both modes share one set of knobs."""
    from near_core.near import RefineOptions

    opts = {f.name: getattr(RefineOptions(), f.name) for f in fields(RefineOptions)}
    opts.update({k: v for k, v in cfg.refine.model_dump().items() if k in opts})
    return opts


def make_objective(cfg: NearConfig) -> NearObjective:
    o = _objective_options(cfg)
    return NearObjective(threshold=o["threshold"], temperature=o["temperature"],
                         noisy_weight=o["noisy_weight"], momentum=o["momentum"])


def _optimizer(model: TrainModel, cfg: NearConfig) -> torch.optim.Optimizer:
    head = [p for p in model.head.parameters() if p.requires_grad]
    tower = [p for p in (model.clip.parameters() if model.clip is not None else []) if p.requires_grad]
    groups = [{"params": head, "lr": cfg.train.lr, "weight_decay": 0.0}]
    decay = [p for p in tower if p.ndim >= 2]
    no_decay = [p for p in tower if p.ndim < 2]
    if decay:
        groups.append({"params": decay, "lr": cfg.train.encoder_lr,
                       "weight_decay": cfg.train.weight_decay})
    if no_decay:
        groups.append({"params": no_decay, "lr": cfg.train.encoder_lr, "weight_decay": 0.0})
    groups = [g for g in groups if g["params"]]
    if not groups:
        raise TrainError("nothing to train: every parameter is locked")
    return torch.optim.AdamW(groups)


class WarmupCosine:
    """LR factor: linear warm-up over ``warmup`` steps, then cosine down to ``floor``."""

    def __init__(self, total: int, warmup: int, floor: float):
        self.total, self.warmup, self.floor = total, warmup, floor

    def __call__(self, step: int) -> float:
        if step < self.warmup:
            return (step + 1) / self.warmup
        progress = min(1.0, (step - self.warmup) / max(1, self.total - self.warmup))
        return self.floor + (1 - self.floor) * 0.5 * (1 + math.cos(math.pi * progress))


# -- checkpoints --------------------------------------------------------------------------
def _rng_state(rt: Runtime) -> dict[str, Any]:
    state: dict[str, Any] = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if rt.is_cuda:
        state["cuda"] = torch.cuda.get_rng_state(rt.device)
    return state


def _set_rng_state(state: dict[str, Any], rt: Runtime) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])
    if rt.is_cuda and "cuda" in state:
        torch.cuda.set_rng_state(state["cuda"], rt.device)


def _save(obj: dict[str, Any], path: Path) -> None:
    buf = io.BytesIO()
    torch.save(obj, buf)
    atomic_write_bytes(path, buf.getvalue())


def load_checkpoint(path: Path) -> dict[str, Any]:
    """A training checkpoint, read with ``weights_only=True``."""
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise TrainError(f"cannot read checkpoint {path}: {type(exc).__name__}: {exc}") from None
    if not isinstance(ckpt, dict) or ckpt.get("format") != CHECKPOINT_FORMAT:
        raise TrainError(f"{path} is not a near training checkpoint (format {CHECKPOINT_FORMAT})")
    return ckpt


def _write_metrics(path: Path, history: list[dict[str, Any]]) -> None:
    buf = io.StringIO()
    if history:
        writer = csv.DictWriter(buf, fieldnames=list(history[0]))
        writer.writeheader()
        writer.writerows(history)
    atomic_write_bytes(path, buf.getvalue().encode())


# -- training -----------------------------------------------------------------------------
@dataclass
class TrainResult:
    """What a training run produced (the same on every rank, except that only rank 0 writes
    the bundle: ``bundle_dir``/``model_version`` are None elsewhere).

    ``labels[i]``/``confidence[i]``/``clean_prob[i]`` belong to ``image_ids[i]``; ``probs`` is
    (N, C) over ``names``; ``final_names`` the classes predicted for at least one image.
    """

    out_dir: Path
    bundle_dir: Path | None
    model_version: str | None
    image_ids: list[str]
    names: list[str]
    labels: list[str]
    confidence: np.ndarray
    clean_prob: np.ndarray
    probs: np.ndarray
    final_names: list[str]
    history: list[dict[str, Any]] = field(default_factory=list)


def out_dir_of(store: RunStore, cfg: NearConfig) -> Path:
    return Path(cfg.train.out) if cfg.train.out else store.root / "train"


@dataclass
class _Optim:
    """Optimizer, LR schedule and AMP grad scaler of one run (checkpointed together)."""

    optimizer: torch.optim.Optimizer
    scheduler: torch.optim.lr_scheduler.LambdaLR
    scaler: torch.amp.GradScaler
    params: list[nn.Parameter]

    @classmethod
    def build(cls, model: TrainModel, cfg: NearConfig, steps: int, rt: Runtime) -> _Optim:
        tcfg = cfg.train
        optimizer = _optimizer(model, cfg)
        warm = int(tcfg.warmup_steps if tcfg.warmup_steps >= 1 else tcfg.warmup_steps * steps)
        schedule = WarmupCosine(steps, warm, tcfg.min_lr_ratio)
        return cls(
            optimizer,
            torch.optim.lr_scheduler.LambdaLR(optimizer, schedule),
            torch.amp.GradScaler(rt.device.type, enabled=rt.amp_dtype == torch.float16),
            [p for p in model.parameters() if p.requires_grad],
        )

    def step(self, loss: Tensor, grad_clip: float) -> None:
        self.scaler.scale(loss).backward()
        if grad_clip > 0:
            self.scaler.unscale_(self.optimizer)
            torch.nn.utils.clip_grad_norm_(self.params, grad_clip)
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)

    def state_dict(self) -> dict[str, Any]:
        return {"optimizer": self.optimizer.state_dict(), "scheduler": self.scheduler.state_dict(),
                "scaler": self.scaler.state_dict()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        self.scaler.load_state_dict(state["scaler"])


@dataclass
class _Targets:
    """Refinement state: (N, C) target weights, (N,) sample weights and P(clean)."""

    weights: Tensor
    sample_weight: Tensor
    clean_prob: Tensor

    @classmethod
    def initial(cls, weights: Tensor) -> _Targets:
        n = len(weights)
        return cls(weights.clone(), torch.ones(n), torch.ones(n))


def _datasets(store: RunStore, clip: Clip, data: TrainData,
              cfg: NearConfig) -> tuple[Dataset, Dataset, int]:
    """(train dataset, eval dataset, DataLoader workers) of the mode."""
    if cfg.train.mode == "head":
        kept, feats = load_embeddings(store, clip.model_id, data.image_ids)
        if len(kept) != len(data.image_ids):
            raise TrainError(
                f"{len(data.image_ids) - len(kept)} training images have no embedding from "
                f"{clip.model_id}: run `near embed` with the same model first"
            )
        features = FeatureDataset(torch.from_numpy(feats))
        return features, features, 0
    items = list(zip(data.image_ids, data.paths, strict=True))
    size = image_size(clip.preprocess_cfg)
    transform = clip.train_preprocess if cfg.train.augment else clip.preprocess
    return (ImageDataset(items, transform, size), ImageDataset(items, clip.preprocess, size),
            cfg.train.workers)


def _train_epoch(net: nn.Module, loader, optim: _Optim, objective: NearObjective,
                 targets: _Targets, cfg: NearConfig, rt: Runtime, info: DistInfo,
                 epoch: int) -> tuple[float, int, int]:
    """One pass over this rank's shard; returns (loss sum, samples, skipped non-finite steps)
    summed over all ranks. Non-finite losses (agreed across ranks) skip the step."""
    net.train()
    loss_sum, count, bad, streak = 0.0, 0, 0, 0
    for inputs, idx, errors in loader:
        valid = torch.tensor([not e for e in errors], dtype=torch.float32, device=rt.device)
        with rt.autocast():
            logits = net(_to_device(inputs, rt))
        per_sample = objective.loss(
            logits, targets.weights[idx].to(rt.device), targets.sample_weight[idx].to(rt.device)
        )
        loss = (per_sample * valid).sum() / valid.sum().clamp_min(1.0)
        finite = torch.isfinite(loss).float()
        if info.enabled:
            dist.all_reduce(finite, op=dist.ReduceOp.MIN)
        if not finite.item():
            bad, streak = bad + 1, streak + 1
            optim.optimizer.zero_grad(set_to_none=True)
            if streak >= cfg.train.max_nonfinite:
                raise TrainError(
                    f"training diverged: {streak} consecutive non-finite losses in epoch "
                    f"{epoch + 1}; lower train.lr / train.encoder_lr or resume from best.pt"
                )
            continue
        streak = 0
        optim.step(loss, cfg.train.grad_clip)
        loss_sum += float((per_sample.detach() * valid).sum())
        count += int(valid.sum())
    loss_sum, count, bad = all_sum([loss_sum, count, bad], info, rt.device)
    return loss_sum, int(count), int(bad)


def train(store: RunStore, cfg: NearConfig, *, resume: bool = False) -> TrainResult:
    """Train per ``cfg.train`` on the run's candidate sets; see the module docstring."""
    info = init_distributed(cfg.clip.device)
    tcfg = cfg.train
    out = out_dir_of(store, cfg)
    latest = out / "latest.pt"
    if latest.exists() and not resume:
        raise TrainError(
            f"{latest} exists: pass --resume to continue that run, or set train.out to a new "
            "directory"
        )
    if tcfg.batch_size % info.world:
        raise TrainError(
            f"train.batch_size {tcfg.batch_size} is not divisible by the {info.world} processes"
        )
    data = load_train_data(store)
    aug = {"scale": (tcfg.aug_scale_min, 1.0)}
    if tcfg.color_jitter > 0:
        cj = tcfg.color_jitter
        aug |= {"color_jitter": (cj, cj, cj, min(cj / 4, 0.5)), "color_jitter_prob": 0.8}
    clip = load_run_clip(store, cfg.clip, seed=cfg.seed, aug=aug)
    rt = clip.runtime = rank_runtime(clip.runtime, info)
    clip.model.to(rt.device)
    torch.manual_seed(tcfg.seed + info.rank)
    random.seed(tcfg.seed + info.rank)

    train_ds, eval_ds, workers = _datasets(store, clip, data, cfg)
    model = build_model(clip, data, cfg, getattr(train_ds, "features", None))
    n, n_classes = len(data.image_ids), len(data.names)
    per_rank = tcfg.batch_size // info.world
    sampler = DistributedSampler(train_ds, num_replicas=info.world, rank=info.rank, shuffle=True,
                                 seed=tcfg.seed)
    eval_sampler = DistributedSampler(eval_ds, num_replicas=info.world, rank=info.rank,
                                      shuffle=False)
    loader = make_loader(train_ds, rt, batch_size=per_rank, workers=workers, sampler=sampler)
    eval_loader = make_loader(eval_ds, rt, batch_size=per_rank, workers=workers,
                              sampler=eval_sampler)
    optim = _Optim.build(model, cfg, tcfg.epochs * len(loader), rt)
    objective = make_objective(cfg)
    targets = _Targets.initial(data.weights)
    cand_mask = data.weights > 0
    history: list[dict[str, Any]] = []
    start, best = 0, math.inf

    if resume and latest.exists():
        ckpt = load_checkpoint(latest)
        if ckpt["image_ids"] != data.image_ids or ckpt["names"] != data.names:
            raise TrainError(f"{latest} was trained on other images or another vocabulary")
        model.load_state_dict(ckpt["model"])
        optim.load_state_dict(ckpt["optim"])
        targets = _Targets(ckpt["weights"], ckpt["sample_weight"], ckpt["clean_prob"])
        start, best, history = ckpt["epoch"], ckpt["best"], list(ckpt["history"])
        if ckpt["world"] == info.world:
            _set_rng_state(ckpt["rng"][info.rank], rt)
        else:
            log.warning("resuming on %d processes (checkpoint: %d): RNG streams differ",
                        info.world, ckpt["world"])
        if info.main:
            log.info("resumed from %s after epoch %d", latest, start)
    elif resume and info.main:
        log.warning("no checkpoint at %s: starting from scratch", latest)

    if info.main:
        out.mkdir(parents=True, exist_ok=True)
        dump_config(cfg, out)
    net: nn.Module = DistributedDataParallel(model) if info.enabled else model
    probs = torch.zeros(n, n_classes)
    for epoch in range(start, tcfg.epochs):
        t0 = time.perf_counter()
        sampler.set_epoch(epoch)
        loss_sum, count, bad = _train_epoch(net, loader, optim, objective, targets, cfg, rt,
                                            info, epoch)
        logits_all = _predict(model, eval_loader, rt, n, n_classes, info)
        probs = torch.softmax(logits_all, dim=-1)
        set_loss = float(candidate_set_loss(logits_all, cand_mask).mean())
        before = targets.weights.argmax(1)
        refined = epoch + 1 >= tcfg.refine_after
        if refined:
            targets = _Targets(*objective.refine(logits_all, cand_mask, targets.weights))
            broadcast([targets.weights, targets.sample_weight, targets.clean_prob], info,
                       rt.device)
        seconds = time.perf_counter() - t0
        history.append({
            "epoch": epoch + 1,
            "train_loss": loss_sum / max(count, 1),
            "set_loss": set_loss,
            "refined": int(refined),
            "clean_frac": float((targets.clean_prob >= objective.threshold).float().mean()),
            "label_changed": float((targets.weights.argmax(1) != before).float().mean()),
            "lr": optim.scheduler.get_last_lr()[0],
            "nonfinite_steps": bad,
            "seconds": round(seconds, 3),
            "images_per_s": round(count / seconds, 2) if seconds > 0 else 0.0,
        })
        rngs = gather_objects(_rng_state(rt), info)
        if info.main:
            ckpt = {
                "format": CHECKPOINT_FORMAT,
                "epoch": epoch + 1,
                "model": model.state_dict(),
                "optim": optim.state_dict(),
                "weights": targets.weights,
                "sample_weight": targets.sample_weight,
                "clean_prob": targets.clean_prob,
                "best": min(best, set_loss),
                "history": history,
                "rng": rngs,
                "world": info.world,
                "image_ids": data.image_ids,
                "names": data.names,
            }
            _save(ckpt, latest)
            if set_loss < best:
                _save(ckpt, out / "best.pt")
            _write_metrics(out / "metrics.csv", history)
            log.info("epoch %d/%d: %s", epoch + 1, tcfg.epochs, history[-1])
        best = min(best, set_loss)
    if start >= tcfg.epochs:  # resumed a finished run: recompute the predictions
        probs = torch.softmax(_predict(model, eval_loader, rt, n, n_classes, info), dim=-1)
    replicas = gather_objects(weights_hash(model), info)
    if len(set(replicas)) > 1:
        raise TrainError(f"DDP replicas diverged: parameter hashes per rank {replicas}")
    return _finish(store, cfg, clip, model, data, out, probs, targets, history, info, replicas)


@torch.no_grad()
def _predict(model: TrainModel, loader, rt: Runtime, n: int, n_classes: int,
             info: DistInfo) -> Tensor:
    """(n, C) fp32 logits of every sample, gathered from all ranks in sample order."""
    model.eval()
    outs, idxs = [], []
    for inputs, idx, _ in loader:
        with rt.autocast():
            outs.append(model(_to_device(inputs, rt)).float())
        idxs.append(idx.to(rt.device))
    values = torch.cat(outs) if outs else torch.zeros(0, n_classes, device=rt.device)
    index = torch.cat(idxs) if idxs else torch.zeros(0, dtype=torch.long, device=rt.device)
    return gather_rows(values, index, n, info)


def _finish(store: RunStore, cfg: NearConfig, clip: Clip, model: TrainModel, data: TrainData,
            out: Path, probs: Tensor, targets: _Targets, history: list[dict[str, Any]],
            info: DistInfo, replicas: list[str]) -> TrainResult:
    """Refined labels, final vocabulary, bundle, summary.json (rank 0 writes)."""
    label_col, clean_prob = targets.weights.argmax(1), targets.clean_prob
    confidence = probs.gather(1, label_col[:, None])[:, 0]
    final = sorted(set(probs.argmax(1).tolist()))
    labels = [data.names[c] for c in label_col.tolist()]
    bundle_dir, version = None, None
    if info.main:
        RunStore(out).write("labels", [
            {"image_id": i, "label_id": data.label_ids[c], "label": data.names[c],
             "confidence": float(p), "clean_prob": float(q)}
            for i, c, p, q in zip(data.image_ids, label_col.tolist(), confidence.tolist(),
                                  clean_prob.tolist(), strict=True)
        ])
        with torch.no_grad():
            vectors = model.class_vectors().detach().float().cpu()[final]
        visual = model.clip.visual if model.clip is not None else clip.model.visual
        bundle_dir = save_bundle(
            out / "bundle",
            model_name=clip.name,
            weights_source=clip.pretrained,
            visual=visual,
            class_vectors=vectors,
            log_scale=model.head.log_scale,
            center=model.head.center,
            names=[data.names[c] for c in final],
            label_ids=[data.label_ids[c] for c in final],
            preprocess_cfg=clip.preprocess_cfg,
            train_config=cfg.model_dump(mode="json", exclude_none=True),
        )
        from near_core.bundle import load_bundle

        version = load_bundle(bundle_dir, device="cpu").model_version
        summary = {"bundle": str(bundle_dir), "model_version": version, "mode": cfg.train.mode,
                   "epochs": len(history), "world_size": info.world, "replica_hashes": replicas,
                   "images": len(data.image_ids), "classes": len(final)}
        atomic_write_bytes(out / "summary.json", json.dumps(summary, indent=2).encode())
        store.update_state(**{STATE_KEY: {"bundle": str(bundle_dir), "model_version": version,
                                          "mode": cfg.train.mode}})
    return TrainResult(
        out_dir=out, bundle_dir=bundle_dir, model_version=version, image_ids=data.image_ids,
        names=data.names, labels=labels, confidence=confidence.numpy(),
        clean_prob=clean_prob.numpy(), probs=probs.numpy(),
        final_names=[data.names[c] for c in final], history=history,
    )


# -- entry points -------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m near_core.train",
        description="NeaR training on CLIP (run directly or under torchrun).",
        allow_abbrev=False,
    )
    # --run-dir first: torchrun would take a bare "--run" for its own --run-path option
    p.add_argument("--run-dir", "--run", dest="run_dir", type=Path, required=True,
                   help="run directory")
    p.add_argument("--config", type=Path, help="TOML config file")
    p.add_argument("--set", dest="overrides", action="append", default=[],
                   metavar="SECTION.KEY=VALUE", help="config override (repeatable)")
    p.add_argument("--mode", choices=["head", "finetune"])
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch-size", type=int, help="global batch size")
    p.add_argument("--clip-model", help="open_clip architecture (default: the run's)")
    p.add_argument("--clip-pretrained", help="pretrained tag or local checkpoint file")
    p.add_argument("--out", help="checkpoint directory (default RUN/train)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/latest.pt")
    return p


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def config_from_args(args: argparse.Namespace) -> NearConfig:
    flags = {
        "train.mode": args.mode,
        "train.epochs": args.epochs,
        "train.batch_size": args.batch_size,
        "train.out": args.out,
        "clip.model": args.clip_model,
        "clip.pretrained": args.clip_pretrained,
    }
    overrides = parse_assignments(args.overrides) | {k: v for k, v in flags.items() if v is not None}
    return load_config(args.config, overrides)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry of ``python -m near_core.train``; returns the exit status."""
    args = parse_args(argv)
    rank = int(os.environ.get("RANK", "0"))
    logging.basicConfig(level=logging.WARNING,
                        format=f"%(asctime)s [rank {rank}] %(levelname)s %(name)s: %(message)s")
    if rank == 0:
        logging.getLogger("near_core").setLevel(logging.INFO)
    try:
        result = train(RunStore(args.run_dir), config_from_args(args), resume=args.resume)
    except NearError as exc:
        print(f"near train: error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    finally:
        if dist.is_initialized():
            with contextlib.suppress(Exception):
                dist.destroy_process_group()
    if rank == 0:
        print(f"train: {len(result.image_ids)} images, {len(result.final_names)} classes "
              f"-> {result.bundle_dir} ({result.model_version})")
    return 0


def torchrun_command(argv: Sequence[str], *, nproc: int, nnodes: int = 1, node_rank: int = 0,
                     rdzv_endpoint: str | None = None) -> list[str]:
    """The command line that runs ``python -m near_core.train ARGV`` under torchrun.

    One node uses ``--standalone`` (a free local port); several nodes need ``rdzv_endpoint``
    (``host:port`` of node 0) and the same command on every node with its ``node_rank``.
    """
    cmd = [sys.executable, "-m", "torch.distributed.run", f"--nproc-per-node={nproc}"]
    if nnodes > 1:
        if not rdzv_endpoint:
            raise TrainError("multi-node training needs rdzv_endpoint (host:port of node 0)")
        cmd += [f"--nnodes={nnodes}", f"--node-rank={node_rank}", "--rdzv-backend=c10d",
                f"--rdzv-endpoint={rdzv_endpoint}"]
    else:
        cmd.append("--standalone")
    # torchrun's parser would take a bare "--run" as an abbreviation of its --run-path
    argv = ["--run-dir" if a == "--run" else a for a in argv]
    return [*cmd, "-m", "near_core.train", *argv]


def launch(argv: Sequence[str], *, nproc: int = 1, nnodes: int = 1, node_rank: int = 0,
           rdzv_endpoint: str | None = None, env: dict[str, str] | None = None,
           timeout: float | None = None) -> int:
    """Run training in a subprocess (torchrun when ``nproc * nnodes > 1``); returns its exit
    status. Output goes to this process's stdout/stderr. Used by the CLI and the Prefect task."""
    if nproc * nnodes > 1:
        cmd = torchrun_command(argv, nproc=nproc, nnodes=nnodes, node_rank=node_rank,
                               rdzv_endpoint=rdzv_endpoint)
    else:
        cmd = [sys.executable, "-m", "near_core.train", *argv]
    full_env = os.environ | (env or {})
    full_env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // max(nproc, 1))))
    return subprocess.run(cmd, env=full_env, timeout=timeout, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
