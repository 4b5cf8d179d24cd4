"""``near-relabel``: label the new images of an inbox folder with a trained run's classifier.

Each run ingests the inbox into the run directory (only files not seen before are decoded)
and predicts the ok images that the bundle's model version has not predicted yet, so a
scheduled deployment (``near-relabel/relabel-inbox``) processes only what arrived since the
last run. No MLLM call.
"""

from __future__ import annotations

from prefect import flow

from flows.ingest import ingest_stage
from flows.runner import configured, flow_config, outcome, run_path
from near_core.config import NearConfig
from tasks.gpu import ensure_gpu_limit
from tasks.relabel import relabel_task
from tasks.report import relabel_artifact


def relabel_stage(run_dir: str, image_ids: list[str], cfg: NearConfig, *,
                  fresh: bool = False) -> dict:
    """Predict the run's ok images ``image_ids`` not yet predicted by the bundle. ``fresh``:
    always run (refresh the cache), so the counts describe this run, not an earlier one."""
    task = configured(relabel_task, cfg, run_dir)
    if fresh:
        task = task.with_options(refresh_cache=True)
    return outcome(task(run_dir=run_dir, image_ids=image_ids, config=cfg, return_state=True))


@flow(name="near-relabel", log_prints=True)
def relabel_flow(
    inbox: str,
    run_dir: str,
    bundle: str | None = None,
    config_path: str | None = None,
    overrides: list[str] | None = None,
    config: NearConfig | None = None,
) -> dict:
    """Ingest ``inbox`` into ``run_dir`` and predict its new images with ``bundle`` (default:
    the run's last trained bundle). Returns the relabel counts plus ``new_images``.
    ``config``: the resolved configuration (the other settings are then ignored)."""
    run_dir = run_path(run_dir)
    cfg = flow_config(run_dir, config, config_path, overrides, {"relabel.bundle": bundle})
    ensure_gpu_limit(cfg.orchestration)
    ingested = ingest_stage(run_dir, inbox, cfg)
    result = relabel_stage(run_dir, ingested["ok_ids"], cfg, fresh=True)
    result["new_images"] = len(ingested["new_ids"])
    relabel_artifact(run_dir, result)
    print(f"relabel: {ingested['summary']}; {result['predicted']} predicted")
    return result
