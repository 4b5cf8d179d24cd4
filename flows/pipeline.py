"""``near-pipeline``: the whole job, end to end.

ingest -> label (MLLM, budgeted sample, batched) -> embed (CLIP, sharded, alongside labeling)
-> vocabulary + refine (NeaR candidate sets) -> train -> relabel (CLIP, every ok image) ->
report. Every step is a cached task keyed on content, so a rerun on the same source sends no
MLLM request and recomputes nothing, and a rerun after adding images labels only those (by
CLIP). Parameters mirror ``near run``.
"""

from __future__ import annotations

from prefect import flow

from flows.ingest import ingest_stage
from flows.label import label_stage
from flows.refine import refine_stage, start_embed_stage
from flows.relabel import relabel_stage
from flows.report import report_stage
from flows.runner import flow_config, run_path, shard_outcomes
from flows.train import train_lines, train_stage
from near_core.config import NearConfig
from near_core.errors import NearError
from near_core.preflight import check_config
from tasks.gpu import ensure_gpu_limit


class NoImagesError(NearError):
    """The source holds no usable image."""


@flow(name="near-pipeline", log_prints=True)
def pipeline_flow(
    source: str,
    run_dir: str,
    mllm_url: str | None = None,
    model: str | None = None,
    clip_model: str | None = None,
    clip_pretrained: str | None = None,
    label_budget: int | None = None,
    truth: str | None = None,
    config_path: str | None = None,
    overrides: list[str] | None = None,
    config: NearConfig | None = None,
) -> dict:
    """Run every stage on ``source`` into ``run_dir``.

    ``truth``: optional ground truth for the report's metrics ("folder" or a CSV path,label).
    ``config_path``/``overrides`` (``section.key=value``) configure the rest, unless ``config`` (the resolved configuration, as `near run` passes it)
    is given. Returns one
    summary dict per stage (``ingest``, ``label``, ``embed``, ``refine``, ``train``,
    ``relabel``, ``report``); a task's dict has ``from_cache`` True when it was served from
    the cache (its counts then describe the run that computed it).
    """
    run_dir = run_path(run_dir)
    cfg = flow_config(run_dir, config, config_path, overrides, {
        "mllm.url": mllm_url, "mllm.model": model, "clip.model": clip_model,
        "clip.pretrained": clip_pretrained, "mllm.label_budget": label_budget})
    check_config(cfg)  # before the first MLLM request: models, weights, served model
    ensure_gpu_limit(cfg.orchestration)
    ingested = ingest_stage(run_dir, source, cfg)
    print(f"ingest: {ingested['line']}")
    ok_ids = ingested["ok_ids"]
    if not ok_ids:
        raise NoImagesError(f"no usable image in {source}: {ingested['line']}")
    embedding = start_embed_stage(run_dir, ok_ids, cfg)  # alongside labeling
    try:
        label = label_stage(run_dir, ok_ids, cfg)
    finally:
        embedding.wait()  # a label failure still leaves the embeddings persisted for the rerun
    print(f"label: {label['labeled']} of {label['images']} images labeled, "
          f"{label['requests_sent']} MLLM requests")
    embed = shard_outcomes(embedding)
    refine = refine_stage(run_dir, embed["encoder"], cfg)
    train = train_stage(run_dir, embed["encoder"], cfg)
    for line in train_lines(train):
        print(line)
    relabel = relabel_stage(run_dir, ok_ids, cfg)
    if relabel["from_cache"]:
        print(f"relabel: all {relabel['total']} images already predicted (cached)")
    else:
        print(f"relabel: {relabel['predicted']} images predicted by CLIP "
              f"({relabel['cached']} already predicted)")
    report = report_stage(run_dir, cfg, truth=truth)
    print(f"report: {report['path']}")
    label.pop("image_ids")
    return {"ingest": {"summary": ingested["line"], "ok": len(ok_ids),
                       "new": len(ingested["new_ids"])},
            "label": label, "embed": embed, "refine": refine, "train": train,
            "relabel": relabel, "report": report}
