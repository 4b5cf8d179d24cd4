"""Train task: NeaR training on CLIP in a subprocess (``python -m near_core.train``, or
torchrun with ``orchestration.train_nproc`` processes), as near_core.train.launch runs it.

Cache key: the training inputs' content (the run's vocabulary and candidates tables, the
embeddings' encoder), the CLIP weights' identity and templates, the train/refine config and
the run directory. Deterministic: no
retries (a failed training fails loudly). Checkpoints go to ``train.out`` or
``RUN_DIR/train/<key>``: a rerun after a failure resumes from the last checkpoint.
Holds a slot of the GPU limit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact

from near_core.config import NearConfig, train_out
from near_core.embed import clip_choice
from near_core.errors import NearError
from near_core.store import RunStore
from near_core.train import STATE_KEY, VALIDATION_FILE, launch, train_argv, write_launch_config
from tasks.caching import content_key, key_fn, section_params, table_digest, weights_identity
from tasks.gpu import gpu_slot


class TrainFailed(NearError):
    """The training subprocess exited non-zero."""


def _inputs_digest(run_dir: str) -> str:
    """Digest of the training inputs: the vocabulary, candidates and labels tables' content
    and the MLLM answers (which images are named, and how)."""
    store = RunStore(run_dir)
    return content_key("inputs", table_digest(store, "vocabulary"),
                       table_digest(store, "candidates"), table_digest(store, "labels"),
                       table_digest(store, "answers"))


def _train_key(p: dict[str, Any]) -> list[Any]:
    cfg: NearConfig = p["config"]
    name, pretrained = clip_choice(RunStore(p["run_dir"]), cfg.clip)
    return [_inputs_digest(p["run_dir"]), p["encoder"], section_params(cfg, "train", "refine"),
            weights_identity(name, pretrained, cfg.seed), cfg.clip.templates, cfg.seed]


@task(name="train", cache_key_fn=key_fn("train", _train_key))
def train_task(run_dir: str, encoder: str, config: NearConfig) -> dict:
    """Train on the run's candidate sets; ``encoder`` is the embeddings' model id (head mode
    trains on them). Returns ``{"bundle", "model_version", "mode", "classifier", "out",
    "validation"}`` (``validation``: RUN/validation.json, also published as an artifact)."""
    key = content_key("t", _train_key({"run_dir": run_dir, "encoder": encoder, "config": config}))
    out = train_out(run_dir, config.train, key=key[2:14])
    cfg = config.model_copy(update={"train": config.train.model_copy(update={"out": str(out)})})
    cfg_file = write_launch_config(cfg, out)
    argv = train_argv(run_dir, cfg_file, resume=(out / "latest.pt").exists())
    with gpu_slot(config.orchestration, what=f"CLIP training ({out})"):
        code = launch(argv, nproc=config.orchestration.train_nproc)
    if code != 0:
        raise TrainFailed(f"training exited with status {code} (checkpoints in {out}; "
                          "a rerun resumes from the last one)")
    state = RunStore(run_dir).state().get(STATE_KEY) or {}
    validation = _publish_validation(run_dir)
    return {"bundle": state.get("bundle"), "model_version": state.get("model_version"),
            "mode": state.get("mode"), "classifier": state.get("classifier"), "out": str(out),
            "validation": validation}


def _publish_validation(run_dir: str) -> dict | None:
    """RUN/validation.json as a Prefect markdown artifact (``near-validation``); returns it."""
    path = Path(run_dir) / VALIDATION_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    scores = dict(data["stages"])
    if data.get("chance") is not None:  # files of runs before the chance check have none
        scores["chance (most common label)"] = data["chance"]
    rows = "\n".join(f"| {stage} | {score if score is None else f'{score:.3f}'} |"
                     for stage, score in scores.items())
    flag = f"\n\n**{data['flag']}**" if data.get("flag") else ""
    kept = f"\n\nThe bundle keeps: {data['chosen']}" if data.get("chosen") else ""
    create_markdown_artifact(
        key="near-validation",
        markdown=f"Agreement with the MLLM on {data['images']} held-out named images "
                 f"(seed {data['seed']})\n\n| stage | agreement |\n| --- | --- |\n{rows}{kept}"
                 f"{flag}",
        description="In-run validation of each stage (RUN/validation.json)",
    )
    return data
