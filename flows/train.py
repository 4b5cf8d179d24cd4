"""``near-train``: NeaR training on CLIP from a refined run (vocabulary + candidates)."""

from __future__ import annotations

from typing import Literal

from prefect import flow

from flows.runner import flow_config, run_path, run_task
from near_core.config import NearConfig
from near_core.embed import STATE_KEY as EMBED_STATE
from near_core.store import RunStore
from tasks.gpu import ensure_gpu_limit
from tasks.train import train_task


def train_stage(run_dir: str, encoder: str, cfg: NearConfig) -> dict:
    """Train on the run's candidate sets; ``encoder`` is the embeddings' model id."""
    return run_task(train_task, cfg, run_dir, encoder=encoder)


def train_lines(result: dict) -> list[str]:
    """Summary lines of a train task's result: the bundle, the held-out validation and its
    flag (shared by near-train and near-pipeline)."""
    lines = [f"train: bundle {result['bundle']} ({result['model_version']}, mode "
             f"{result.get('mode')}, classifier {result.get('classifier')})"]
    validation = result.get("validation")
    if validation and validation.get("images"):
        scores = ", ".join(f"{k} {v:.3f}" for k, v in validation["stages"].items()
                           if v is not None)
        lines.append(f"train: agreement with the MLLM on {validation['images']} held-out "
                     f"images: {scores}")
    if validation and validation.get("flag"):
        lines.append(validation["flag"])
    return lines


@flow(name="near-train", log_prints=True)
def train_flow(
    run_dir: str,
    mode: Literal["auto", "head", "finetune"] | None = None,
    epochs: int | None = None,
    clip_model: str | None = None,
    clip_pretrained: str | None = None,
    nproc: int | None = None,
    config_path: str | None = None,
    overrides: list[str] | None = None,
    config: NearConfig | None = None,
) -> dict:
    """Train on ``run_dir``'s candidate sets (``nproc`` > 1: torchrun DDP); returns
    the train task's dict (``bundle``, ``model_version``, ``validation``, ...) with
    ``from_cache``. ``config``: the resolved configuration (the other settings are then
    ignored)."""
    run_dir = run_path(run_dir)
    cfg = flow_config(run_dir, config, config_path, overrides, {
        "train.mode": mode, "train.epochs": epochs, "clip.model": clip_model,
        "clip.pretrained": clip_pretrained, "orchestration.train_nproc": nproc})
    ensure_gpu_limit(cfg.orchestration)
    encoder = (RunStore(run_dir).state().get(EMBED_STATE) or {}).get("encoder", "")
    result = train_stage(run_dir, encoder, cfg)
    for line in train_lines(result):
        print(line)
    return result
