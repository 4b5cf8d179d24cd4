"""What trains: the CLIP towers (fine-tuning) or cached features (head mode) feeding a
cosine head, its optimizer and learning-rate schedule."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from near_core.clip import Clip, Runtime
from near_core.config import NearConfig
from near_core.objective import CosineHead, NearObjective
from near_core.train.checkpoint import TrainError


def resolve_mode(mode: str, runtime: Runtime) -> str:
    """``train.mode`` as run: ``auto`` fine-tunes on a GPU and trains the head on CPU."""
    if mode == "auto":
        return "finetune" if runtime.is_cuda else "head"
    return mode


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
        # features are L2-normalised (the cached embeddings are): the head's centre lives there
        feats = x if self.clip is None else self.clip.encode_image(x, normalize=True)
        if self.text_tokens is None:
            return self.head(feats)
        vectors = F.normalize(self.class_vectors(), dim=-1)
        return self.head.scale * F.normalize(feats - self.head.center, dim=-1) @ vectors.T


def build_model(clip: Clip, names: list[str], cfg: NearConfig, *, mode: str,
                init: Tensor, center: Tensor) -> TrainModel:
    """Lock/unlock towers per config around a cosine head.

    ``init`` (C, D): the initial class vectors (prototypes of the training targets, see
    :func:`near_core.train.validation.prototypes`); ``center`` (D,): the mean embedding of the
    run's images, subtracted before normalising -- a weak or untuned encoder puts every
    embedding in a narrow cone (cosines near 1), where a cosine head cannot tell classes
    apart. Both are saved with the head.
    """
    tcfg = cfg.train
    head = CosineHead(init, scale=objective_options(cfg)["scale"], center=center)
    if mode == "head":
        return TrainModel(None, head).to(clip.runtime.device)
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
        prompts = [t.format(n) for n in names for t in cfg.clip.templates]
        tokens = clip.tokenizer(prompts)
    if clip.runtime.is_cuda:
        model = model.to(memory_format=torch.channels_last)
    return TrainModel(model, head, tokens, len(cfg.clip.templates)).to(clip.runtime.device)


def objective_options(cfg: NearConfig) -> dict[str, Any]:
    """NeaR objective knobs: the head-mode defaults (RefineOptions) overridden by matching
    fields of the ``refine`` config section, so both modes share one set of knobs."""
    from near_core.near import RefineOptions

    opts = {f.name: getattr(RefineOptions(), f.name) for f in fields(RefineOptions)}
    opts.update({k: v for k, v in cfg.refine.model_dump().items() if k in opts})
    return opts


def make_objective(cfg: NearConfig) -> NearObjective:
    o = objective_options(cfg)
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


@dataclass
class Optim:
    """Optimizer, LR schedule and AMP grad scaler of one run (checkpointed together)."""

    optimizer: torch.optim.Optimizer
    scheduler: torch.optim.lr_scheduler.LambdaLR
    scaler: torch.amp.GradScaler
    params: list[nn.Parameter]

    @classmethod
    def build(cls, model: TrainModel, cfg: NearConfig, steps: int, rt: Runtime) -> Optim:
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
