"""The training loop: one for head mode and fine-tuning, single process or DDP.

Inputs: :func:`near_core.train.data.load_train_data` (MLLM-named images; a held-out slice).
The head starts at the prototypes of the training targets (centred embeddings of the
original tower); the NeaR objective trains it (and the unlocked tower blocks), with a
per-epoch GMM refinement of the targets from ``train.refine_after`` on, computed identically
on every rank from the per-sample losses and top-k predictions gathered from all ranks
(:mod:`near_core.train.targets`: O(K) numbers per sample, never N x C). At the end, the held-out slice
scores raw-label prototypes, refined-label prototypes and the trained classifier
(:mod:`near_core.train.validation`); the bundle keeps the trained classifier only when it is
clearly better there (:func:`~near_core.train.validation.choose`). In head mode with a held-out
slice, the model of the epoch that agrees best with the MLLM there is the trained one
(``best.pt``); fine-tuning picks its epoch by the candidate-set loss, so that the slice judges
the fine-tuned tower without bias.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from torch import Tensor, nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import Dataset, DistributedSampler

from near_core.bundle import load_bundle, save_bundle
from near_core.clip import Clip, Runtime, text_embeddings, weights_hash
from near_core.config import NearConfig, dump_config, train_out
from near_core.data import FeatureDataset, ImageDataset, image_size, make_loader, to_device
from near_core.distributed import (
    DistInfo,
    all_sum,
    gather_objects,
    init_distributed,
    rank_runtime,
)
from near_core.embed import embed_images, embedding_mean, load_embeddings, load_run_clip
from near_core.objective import NearObjective
from near_core.significance import clearly_better, majority_rate
from near_core.store import RunStore, atomic_write_bytes
from near_core.train.checkpoint import (
    CheckpointState,
    TrainError,
    load_checkpoint,
    rng_state,
    set_rng_state,
    write_metrics,
)
from near_core.train.data import TrainData, load_train_data
from near_core.train.model import (
    Optim,
    TrainModel,
    build_model,
    make_objective,
    objective_options,
    resolve_mode,
)
from near_core.train.targets import (
    Candidates,
    SampleStats,
    batch_stats,
    gather_stats,
    refine_targets,
)
from near_core.train.validation import (
    Validation,
    agreement,
    centred,
    choose,
    one_hot,
    prototype_logits,
    prototypes,
)
from near_core.vote import VoteMemory, clump_test, vote_logits

log = logging.getLogger("near_core.train")

STATE_KEY = "train"


@dataclass
class TrainResult:
    """What a training run produced (the same on every rank, except that only rank 0 writes
    the bundle: ``bundle_dir``/``model_version`` are None elsewhere).

    ``labels[i]``/``confidence[i]``/``clean_prob[i]`` belong to ``image_ids[i]`` (training
    images: their refined target; held-out ones: the kept classifier's prediction),
    ``confidence`` the kept classifier's probability of that label; ``final_names`` the
    classes it predicts for at least one image.
    """

    out_dir: Path
    bundle_dir: Path | None
    model_version: str | None
    image_ids: list[str]
    names: list[str]
    labels: list[str]
    confidence: np.ndarray
    clean_prob: np.ndarray
    final_names: list[str]
    mode: str
    validation: Validation
    history: list[dict[str, Any]] = field(default_factory=list)


def out_dir_of(store: RunStore, cfg: NearConfig) -> Path:
    """``train.out``, else ``RUN/train`` (:func:`near_core.config.train_out`)."""
    return train_out(store.root, cfg.train)


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


def _base_features(store: RunStore, clip: Clip, data: TrainData, cfg: NearConfig,
                   mode: str) -> tuple[Tensor, Tensor]:
    """``((N, D) features of the named images, (D,) centre)`` from the original tower: the
    cached embeddings (embedded now in finetune mode when missing); the centre is the mean
    embedding of every image of the run."""
    kept, feats = load_embeddings(store, clip.model_id, data.image_ids)
    if len(kept) == len(data.image_ids):
        features = torch.from_numpy(feats)
    elif mode == "head":
        raise TrainError(
            f"{len(data.image_ids) - len(kept)} training images have no embedding from "
            f"{clip.model_id}: run `near embed` with the same model first"
        )
    else:
        items = list(zip(data.image_ids, data.paths, strict=True))
        batches = list(embed_images(clip, items, batch_size=cfg.clip.batch_size))
        failed = [f for b in batches for f in b.failed]
        if failed:
            raise TrainError(f"{len(failed)} training images cannot be read, e.g. {failed[0]}")
        features = torch.from_numpy(np.concatenate([b.vectors for b in batches]))
    mean = embedding_mean(store, clip.model_id)
    center = torch.from_numpy(mean) if mean is not None else features.mean(0)
    return features.float(), center.float()


def _datasets(clip: Clip, data: TrainData, features: Tensor, cfg: NearConfig,
              mode: str) -> tuple[Dataset, Dataset, int]:
    """(train dataset: the n_train training images, eval dataset: all N named images,
    DataLoader workers) of the mode."""
    if mode == "head":
        return FeatureDataset(features[: data.n_train]), FeatureDataset(features), 0
    items = list(zip(data.image_ids, data.paths, strict=True))
    size = image_size(clip.preprocess_cfg)
    transform = clip.train_preprocess if cfg.train.augment else clip.preprocess
    return (ImageDataset(items[: data.n_train], transform, size),
            ImageDataset(items, clip.preprocess, size), cfg.train.workers)


def _train_epoch(net: nn.Module, loader, optim: Optim, objective: NearObjective,
                 targets: _Targets, cfg: NearConfig, rt: Runtime, info: DistInfo,
                 epoch: int) -> tuple[float, int, int]:
    """One pass over this rank's shard; returns (loss sum, samples, skipped non-finite steps)
    summed over all ranks. Non-finite losses (agreed across ranks) skip the step."""
    net.train()
    loss_sum, count, bad, streak = 0.0, 0, 0, 0
    for inputs, idx, errors in loader:
        valid = torch.tensor([not e for e in errors], dtype=torch.float32, device=rt.device)
        with rt.autocast():
            logits = net(to_device(inputs, rt))
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


@torch.no_grad()
def _predict(model: TrainModel, loader, rt: Runtime, n: int, cands: Candidates,
             info: DistInfo, *, temperature: float, label_col: Tensor | None = None
             ) -> SampleStats:
    """Every sample's :class:`SampleStats` (per-sample loss, candidate and top-k
    probabilities; ``label_col`` (n,): the columns whose probability ``label_p`` holds, -1:
    the top class), reduced batch by batch on this rank and gathered from all ranks in
    sample order: no (n, C) logits are kept or sent."""
    model.eval()
    rows, idxs = [], []
    for inputs, idx, _ in loader:
        with rt.autocast():
            logits = model(to_device(inputs, rt))
        idx = idx.to(rt.device)
        rows.append(batch_stats(logits, idx, cands, temperature=temperature,
                                label_col=label_col))
        idxs.append(idx)
    return gather_stats(rows, idxs, n, cands, info, rt.device)


def _raw_weight(before: Validation, configured: float) -> float:
    """The answers' share of the targets: ``train.raw_weight``, unless the prototypes of
    refine's labels agree with the MLLM less than those of its raw answers on the held-out
    slice (a refinement that swallowed classes): then the targets are the answers (0.95) and
    refine's candidates only widen the candidate sets."""
    raw, refined = before.stages.get("raw_prototypes"), before.stages.get("refined")
    if raw is not None and (refined is None or refined < raw):
        return max(configured, 0.95)
    return configured




def _validate(data: TrainData, feats: Tensor, trained: Tensor | None, scale: float, *,
              k: int) -> tuple[Validation, dict[str, Tensor], dict[str, Tensor]]:
    """Score the stages on the held-out slice (all but ``trained`` when ``trained``, the
    trained model's (N,) predicted columns, is None); returns the validation, each stage's
    predictions (trained: (N,) columns; the others: (N, C) logits of this rank's own
    features, never gathered; the ``k``-NN vote of a training image leaves it out) and the
    prototype classifiers' (C, D) vectors. ``feats`` (N, D) are the original tower's centred
    embeddings, the prototypes', the vote's and the bundle's when one of them is kept
    (:func:`choose`: unless the trained classifier is clearly better on the slice)."""
    n_cls, t = len(data.names), data.n_train
    vectors = {}
    logits = {} if trained is None else {"trained": trained}
    for stage, cols in (("raw_prototypes", data.raw[:t]), ("refined", data.refined[:t])):
        weights = one_hot(cols, n_cls)
        present = weights.sum(0) > 0
        if present.any():
            vectors[stage] = prototypes(feats[:t], weights)
            logits[stage] = prototype_logits(feats, vectors[stage], present, scale)
    truth = data.raw[t:]

    def score(v: Tensor) -> tuple[Tensor, float | None]:
        hit = (v[t:].argmax(1) if v.dim() == 2 else v[t:]) == truth
        return hit, (float(hit.float().mean()) if data.n_val else None)

    hits, stages = {}, {}
    for s, v in logits.items():
        hits[s], stages[s] = score(v)
    votes = {}  # the vote of refine's labels, and of the answers (counted if clearly better)
    for source, voters in (("refined", data.refined[:t]), ("raw", data.raw[:t])):
        memory = VoteMemory.of(feats[:t], voters, k=k)
        if len(memory.labels):
            own = torch.full((len(feats),), -1, dtype=torch.long)
            own[(voters >= 0).nonzero()[:, 0]] = torch.arange(len(memory.labels))
            votes[source] = vote_logits(feats, memory, n_cls, skip=own)
    source = "refined" if "refined" in votes else next(iter(votes), None)
    if "raw" in votes and source == "refined" and clearly_better(
            score(votes["raw"])[0], score(votes["refined"])[0]):
        source = "raw"  # refine swallowed what the answers' own vote keeps
    if source is not None:
        logits["knn"] = votes[source]
        hits["knn"], stages["knn"] = score(votes[source])
    # the vote's labels, so refine's where the slice prefers them: a vote of raw names beat
    # their means on fragmented flower names, where the means of the refined names name
    # unseen images better than their vote
    voters = data.raw if source == "raw" else data.refined
    clumps = clump_test(feats, voters, k=k, targets=data.raw)
    chosen = (choose(hits, clumped=clumps.clumped) if data.n_val and trained is not None
              else "trained")
    chance = majority_rate(truth) if data.n_val else None
    return (Validation(data.n_val, data.seed, stages, chosen, chance, clumps.to_json(), source),
            logits, vectors)


def train(store: RunStore, cfg: NearConfig, *, resume: bool = False) -> TrainResult:
    """Train per ``cfg.train`` on the run's named images; see the module docstring."""
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
    data = load_train_data(store, cfg)
    aug = {"scale": (tcfg.aug_scale_min, 1.0)}
    if tcfg.color_jitter > 0:
        cj = tcfg.color_jitter
        aug |= {"color_jitter": (cj, cj, cj, min(cj / 4, 0.5)), "color_jitter_prob": 0.8}
    clip = load_run_clip(store, cfg.clip, seed=cfg.seed, aug=aug)
    rt = clip.runtime = rank_runtime(clip.runtime, info)
    clip.model.to(rt.device)
    mode = resolve_mode(tcfg.mode, rt)
    torch.manual_seed(tcfg.seed + info.rank)
    random.seed(tcfg.seed + info.rank)

    features, center = _base_features(store, clip, data, cfg, mode)
    feats = centred(features, center)
    scale = float(objective_options(cfg)["scale"])
    before, _, _ = _validate(data, feats, None, scale, k=tcfg.knn_k)
    weights = data.targets(_raw_weight(before, tcfg.raw_weight))
    init = prototypes(feats[: data.n_train], weights,
                      fallback=text_embeddings(clip, data.names, cfg.clip.templates))
    original_visual = copy.deepcopy(clip.model.visual).cpu() if mode == "finetune" else None
    model = build_model(clip, data.names, cfg, mode=mode, init=init, center=center)
    train_ds, eval_ds, workers = _datasets(clip, data, features, cfg, mode)
    n = len(data.image_ids)
    per_rank = tcfg.batch_size // info.world
    sampler = DistributedSampler(train_ds, num_replicas=info.world, rank=info.rank, shuffle=True,
                                 seed=tcfg.seed)
    eval_sampler = DistributedSampler(eval_ds, num_replicas=info.world, rank=info.rank,
                                      shuffle=False)
    loader = make_loader(train_ds, rt, batch_size=per_rank, workers=workers, sampler=sampler)
    eval_loader = make_loader(eval_ds, rt, batch_size=per_rank, workers=workers,
                              sampler=eval_sampler)
    optim = Optim.build(model, cfg, tcfg.epochs * len(loader), rt)
    objective = make_objective(cfg)
    targets = _Targets.initial(weights)
    cands = Candidates.from_weights(weights)
    temperature = objective.temperature
    train_ids = data.image_ids[: data.n_train]
    history: list[dict[str, Any]] = []
    start, best = 0, math.inf
    best_model: dict[str, Tensor] | None = None

    if resume and latest.exists():
        ckpt = load_checkpoint(latest)
        if ckpt.image_ids != train_ids or ckpt.names != data.names or ckpt.mode != mode:
            raise TrainError(f"{latest} was trained on other images, another vocabulary or "
                             f"another mode (checkpoint: {ckpt.mode}, now: {mode})")
        model.load_state_dict(ckpt.model)
        optim.load_state_dict(ckpt.optim)
        targets = _Targets(ckpt.weights, ckpt.sample_weight, ckpt.clean_prob)
        start, best, history = ckpt.epoch, ckpt.best, list(ckpt.history)
        if (out / "best.pt").exists():
            best_model = load_checkpoint(out / "best.pt").model
        if ckpt.world == info.world:
            set_rng_state(ckpt.rng[info.rank], rt)
        else:
            log.warning("resuming on %d processes (checkpoint: %d): RNG streams differ",
                        info.world, ckpt.world)
        if info.main:
            log.info("resumed from %s after epoch %d", latest, start)
    elif resume and info.main:
        log.warning("no checkpoint at %s: starting from scratch", latest)

    if info.main:
        out.mkdir(parents=True, exist_ok=True)
        dump_config(cfg, out)
    net: nn.Module = DistributedDataParallel(model) if info.enabled else model
    for epoch in range(start, tcfg.epochs):
        t0 = time.perf_counter()
        sampler.set_epoch(epoch)
        loss_sum, count, bad = _train_epoch(net, loader, optim, objective, targets, cfg, rt,
                                            info, epoch)
        stats = _predict(model, eval_loader, rt, n, cands, info, temperature=temperature)
        set_loss = float(stats.loss[: data.n_train].mean())
        before = targets.weights.argmax(1)
        refined = epoch + 1 >= tcfg.refine_after
        if refined:  # identical on every rank: same gathered stats, same previous targets
            targets = _Targets(*refine_targets(stats, cands, targets.weights, objective))
        seconds = time.perf_counter() - t0
        # selection score, lower is better. Head: disagreement with the MLLM on the held-out
        # slice (ties go to the later epoch). Fine-tuning, and runs without a slice: the
        # candidate-set loss, so that the guard's comparison with the prototype classifiers on
        # the slice is not biased by having picked the epoch there (a random tower fine-tuned
        # led on the slice and lost on unseen images, BENCHMARKS.md "Fine-tuning vs head").
        val = (agreement(stats.predicted[data.n_train:], data.raw[data.n_train:])
               if data.n_val else None)
        on_slice = val is not None and mode != "finetune"
        score = -val if on_slice else set_loss
        improved = score <= best if on_slice else score < best
        if improved:
            best_model = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        history.append({
            "epoch": epoch + 1,
            "train_loss": loss_sum / max(count, 1),
            "set_loss": set_loss,
            "val_agreement": val if val is not None else float("nan"),
            "refined": int(refined),
            "clean_frac": float((targets.clean_prob >= objective.threshold).float().mean()),
            "label_changed": float((targets.weights.argmax(1) != before).float().mean()),
            "lr": optim.scheduler.get_last_lr()[0],
            "nonfinite_steps": bad,
            "seconds": round(seconds, 3),
            "images_per_s": round(count / seconds, 2) if seconds > 0 else 0.0,
        })
        rngs = gather_objects(rng_state(rt), info)
        if info.main:
            state = CheckpointState(
                epoch=epoch + 1, model=model.state_dict(), optim=optim.state_dict(),
                weights=targets.weights, sample_weight=targets.sample_weight,
                clean_prob=targets.clean_prob, best=min(best, score), history=history,
                rng=rngs, world=info.world, image_ids=train_ids, names=data.names, mode=mode,
            )
            state.save(latest)
            if improved:
                state.save(out / "best.pt")
            write_metrics(out / "metrics.csv", history)
            log.info("epoch %d/%d: %s", epoch + 1, tcfg.epochs, history[-1])
        best = min(best, score)
    if data.n_val and best_model is not None:  # the epoch that agreed best on the held-out slice
        model.load_state_dict(best_model)
    # the final predictions, with the probability of each training image's refined label
    train_label = targets.weights.argmax(1)
    label_col = torch.cat([train_label, torch.full((data.n_val,), -1, dtype=torch.long)])
    final = _predict(model, eval_loader, rt, n, cands, info, temperature=temperature,
                     label_col=label_col)
    replicas = gather_objects(weights_hash(model), info)
    if len(set(replicas)) > 1:
        raise TrainError(f"DDP replicas diverged: parameter hashes per rank {replicas}")
    validation, preds, vectors = _validate(data, feats, final.predicted, scale, k=tcfg.knn_k)
    if validation.flag and info.main:
        log.warning("%s", validation.flag)
    chosen = validation.chosen
    if chosen == "trained":
        predicted, confidence = final.predicted, final.label_p
    else:  # a prototype classifier or the vote: this rank's own (N, C) logits
        predicted = preds[chosen].argmax(1)
        label_col = torch.cat([train_label, predicted[data.n_train:]])
        confidence = torch.softmax(preds[chosen], dim=-1).gather(1, label_col[:, None])[:, 0]
    memory = None
    if chosen == "knn":  # the bundle votes with every named image, the held-out ones too
        voters = data.raw if validation.voters == "raw" else data.refined
        memory = VoteMemory.of(feats, voters, k=tcfg.knn_k)
        vectors["knn"] = prototypes(memory.features, one_hot(memory.labels, len(data.names)))
    return _finish(store, cfg, clip, model, data, out, targets, history, info, replicas,
                   _Kept(validation, predicted, confidence, vectors.get(chosen),
                         original_visual, center, mode, memory))


@dataclass
class _Kept:
    """The classifier the bundle keeps: ``predicted`` (N,) its top class of each named image,
    ``confidence`` (N,) its probability of the image's label (training images: the refined
    target; held-out ones: ``predicted``); ``vectors`` (C, D) prototype class vectors (None:
    the trained head's); ``visual`` the original image tower when fine-tuning was set aside
    (None: the model's); ``memory`` the named images of the kNN vote (None: no vote)."""

    validation: Validation
    predicted: Tensor
    confidence: Tensor
    vectors: Tensor | None
    original_visual: nn.Module | None
    center: Tensor
    mode: str
    memory: VoteMemory | None = None


def _finish(store: RunStore, cfg: NearConfig, clip: Clip, model: TrainModel, data: TrainData,
            out: Path, targets: _Targets, history: list[dict[str, Any]], info: DistInfo,
            replicas: list[str], kept: _Kept) -> TrainResult:
    """Labels, final vocabulary, bundle, summary.json, RUN/validation.json (rank 0 writes)."""
    t, confidence = data.n_train, kept.confidence
    label_col = torch.cat([targets.weights.argmax(1), kept.predicted[t:]])
    clean_prob = torch.cat([targets.clean_prob, torch.ones(data.n_val)])
    voters = kept.memory.labels.tolist() if kept.memory is not None else []
    final = sorted(set(kept.predicted.tolist()) | set(voters))
    labels = [data.names[c] for c in label_col.tolist()]
    trained = kept.validation.chosen == "trained"
    bundle_dir, version = None, None
    if info.main:
        RunStore(out).write("labels", [
            {"image_id": i, "label_id": data.label_ids[c], "label": data.names[c],
             "confidence": float(p), "clean_prob": float(q)}
            for i, c, p, q in zip(data.image_ids, label_col.tolist(), confidence.tolist(),
                                  clean_prob.tolist(), strict=True)
        ])
        with torch.no_grad():
            vectors = (model.class_vectors() if trained else kept.vectors).detach().float().cpu()
        if trained and model.clip is not None:
            visual = model.clip.visual
        else:
            visual = kept.original_visual or clip.model.visual
        bundle_dir = save_bundle(
            out / "bundle",
            model_name=clip.name,
            weights_source=clip.pretrained,
            visual=visual,
            class_vectors=vectors[final],
            log_scale=model.head.log_scale,
            center=model.head.center if trained else kept.center,
            names=[data.names[c] for c in final],
            label_ids=[data.label_ids[c] for c in final],
            preprocess_cfg=clip.preprocess_cfg,
            train_config=cfg.model_dump(mode="json", exclude_none=True),
            memory=kept.memory.remapped(final) if kept.memory is not None else None,
        )
        version = load_bundle(bundle_dir, device="cpu").model_version
        kept.validation.write(store.root)
        summary = {"bundle": str(bundle_dir), "model_version": version, "mode": kept.mode,
                   "classifier": kept.validation.chosen, "epochs": len(history),
                   "world_size": info.world, "replica_hashes": replicas,
                   "images": data.n_train, "held_out": data.n_val, "classes": len(final),
                   "validation": kept.validation.to_json()}
        atomic_write_bytes(out / "summary.json", json.dumps(summary, indent=2).encode())
        store.update_state(**{STATE_KEY: {"bundle": str(bundle_dir), "model_version": version,
                                          "mode": kept.mode,
                                          "classifier": kept.validation.chosen}})
    return TrainResult(
        out_dir=out, bundle_dir=bundle_dir, model_version=version, image_ids=data.image_ids,
        names=data.names, labels=labels, confidence=confidence.numpy(),
        clean_prob=clean_prob.numpy(),
        final_names=[data.names[c] for c in final], mode=kept.mode,
        validation=kept.validation, history=history,
    )
