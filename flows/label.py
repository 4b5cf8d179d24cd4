"""``near-label``: MLLM labeling of a run's images, in cached batches.

:func:`label_stage` is shared with ``near-pipeline``: it picks the images (every ok image or a
seeded class-agnostic sample of ``mllm.label_budget``), labels the first batch alone (which
settles the category the prompt names, inferred once when not configured, kept in run.json)
and the other batches in parallel on the flow's task runner.
"""

from __future__ import annotations

import contextlib

from prefect import flow, unmapped

from flows.ingest import ingest_stage
from flows.runner import batches, configured, flow_config, outcome, run_path, run_task
from near_core.config import NearConfig
from near_core.ingest import current_images
from near_core.mllm.labeler import training_sample
from near_core.mllm.serve import ensure_server
from near_core.store import RunStore
from tasks.label import label_task

_SUM = ("cached", "requests_sent", "prompt_tokens", "completion_tokens")


def _unanswered(run_dir: str, image_ids: list[str], cfg: NearConfig) -> bool:
    answers = RunStore(run_dir).read("answers", columns=["image_id", "model", "status"])
    done = {r["image_id"] for r in answers.to_pylist()
            if r["model"] == cfg.mllm.model and r["status"] == "ok"}
    return not done.issuperset(image_ids)


def label_stage(run_dir: str, ok_ids: list[str], cfg: NearConfig) -> dict:
    """Label the :func:`training_sample` of ``ok_ids``. Returns ``images`` (the sample's size),
    ``labeled``, ``cached`` (images needing no request: answered before, or whole batches
    served from the task cache), ``requests_sent`` and tokens of this run, ``image_ids`` (the
    sample), ``batches``, ``prompt_version`` and ``category``."""
    chosen = training_sample(RunStore(run_dir), ok_ids, cfg.mllm.label_budget, seed=cfg.seed)
    groups = batches(chosen, cfg.orchestration.label_batch)
    results = []
    # one local vLLM for all batches when mllm.start_server is set, nothing answers and some
    # image has no answer of this model yet (a cached rerun starts nothing)
    server = ensure_server(cfg.mllm) if groups and _unanswered(run_dir, chosen, cfg) else None
    with server if server is not None else contextlib.nullcontext():
        if groups:
            results.append(run_task(label_task, cfg, run_dir, image_ids=groups[0]))
        if groups[1:]:
            futures = configured(label_task, cfg, run_dir).map(
                run_dir=unmapped(run_dir), image_ids=groups[1:], config=unmapped(cfg))
            futures.wait()
            results += [outcome(f.state) for f in futures]
    fresh = [r for r in results if not r["from_cache"]]
    total = {k: sum(r[k] for r in fresh) for k in _SUM}
    total |= {"images": len(chosen), "labeled": sum(r["labeled"] for r in results),
              "cached": total["cached"] + sum(r["images"] for r in results if r["from_cache"])}
    last = results[-1] if results else {}
    return total | {"image_ids": chosen, "batches": len(groups),
                    "prompt_version": last.get("prompt_version"), "category": last.get("category")}


@flow(name="near-label", log_prints=True)
def label_flow(
    run_dir: str,
    source: str | None = None,
    mllm_url: str | None = None,
    model: str | None = None,
    label_budget: int | None = None,
    config_path: str | None = None,
    overrides: list[str] | None = None,
    config: NearConfig | None = None,
) -> dict:
    """Label the ok images of ``run_dir`` (ingesting ``source`` first when given) with the
    MLLM at ``mllm_url``; at most ``label_budget`` images. Returns the summed label counts.
    ``config``: the resolved configuration (the other settings are then ignored)."""
    run_dir = run_path(run_dir)
    cfg = flow_config(run_dir, config, config_path, overrides, {
        "mllm.url": mllm_url, "mllm.model": model, "mllm.label_budget": label_budget})
    if source is not None:
        ok_ids = ingest_stage(run_dir, source, cfg)["ok_ids"]
    else:
        ok_ids = current_images(RunStore(run_dir))["image_id"].to_pylist()
    summary = label_stage(run_dir, ok_ids, cfg)
    print(f"label: {summary['labeled']} of {summary['images']} images labeled, "
          f"{summary['requests_sent']} MLLM requests")
    return {k: v for k, v in summary.items() if k != "image_ids"}
