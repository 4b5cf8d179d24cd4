"""``near-relabel``: label the new images of an inbox folder with a trained run's classifier.

Each run ingests the inbox into the run directory (only files not seen before are decoded)
and predicts the ok images that the bundle's model version has not predicted yet, so a
scheduled deployment (``near-relabel/relabel-inbox``) processes only what arrived since the
last run. No MLLM call.
"""

from __future__ import annotations

from prefect import flow

from flows.runner import call, configured, resolve_config, run_path
from tasks.gpu import ensure_gpu_limit
from tasks.ingest import ingest_task
from tasks.relabel import relabel_task
from tasks.report import relabel_artifact


@flow(name="near-relabel", log_prints=True)
def relabel_flow(
    inbox: str,
    run_dir: str,
    bundle: str | None = None,
    config_path: str | None = None,
    overrides: list[str] | None = None,
) -> dict:
    """Ingest ``inbox`` into ``run_dir`` and predict its new images with ``bundle`` (default:
    the run's last trained bundle). Returns the relabel counts plus ``new_images``."""
    run_dir = run_path(run_dir)
    cfg = resolve_config(run_dir, config_path, overrides, {"relabel.bundle": bundle})
    ensure_gpu_limit(cfg.orchestration)
    ingested = ingest_task(inbox, run_dir, cfg)
    # always runs (refresh_cache): its counts must describe this run, not an earlier one
    task = configured(relabel_task, cfg, run_dir).with_options(refresh_cache=True)
    result = call(task, run_dir, ingested["ok_ids"], cfg)
    result["new_images"] = len(ingested["new_ids"])
    relabel_artifact(run_dir, result)
    print(f"relabel: {ingested['summary']}; {result['predicted']} predicted")
    return result
