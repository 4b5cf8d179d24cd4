"""``near-relabel``: label the new images of an inbox folder with a trained run's classifier.

Each run ingests the inbox into the run directory (only files not seen before are decoded)
and predicts the ok images that the bundle's model version has not predicted yet, so a
scheduled deployment (``near-relabel/relabel-inbox``) processes only what arrived since the
last run. No MLLM call, unless ``discover`` is set: then the inbox's ok images first go
through discovery (near_core.discover: the images the classifier does not cover are named by
the MLLM, at most ``label_budget`` requests, and new classes grow a new bundle version that
the relabel step then uses), with a markdown artifact ``near-<run>-discovery``.
"""

from __future__ import annotations

from prefect import flow

from flows.ingest import ingest_stage
from flows.runner import flow_config, map_shards, run_path, run_task, shard_outcomes
from near_core.config import NearConfig
from near_core.discover import DiscoverOptions, batch_ids
from near_core.relabel import record_cost
from near_core.store import RunStore
from tasks.gpu import ensure_gpu_limit
from tasks.relabel import discover_task, relabel_task
from tasks.report import discovery_artifact, relabel_artifact


def relabel_stage(run_dir: str, image_ids: list[str], cfg: NearConfig, *,
                  fresh: bool = False) -> dict:
    """Predict the run's ok images ``image_ids`` not yet predicted by the bundle, one task
    per shard; the summed counts (:func:`flows.runner.shard_outcomes`). ``fresh``: always run
    (refresh the cache), so the counts describe this run, not an earlier one. The shards'
    seconds and predictions go to run.json ``cost.relabel`` once, here."""
    result = shard_outcomes(map_shards(relabel_task, cfg, run_dir, image_ids, refresh=fresh))
    if not result["from_cache"]:
        record_cost(RunStore(run_dir), seconds=result["seconds"], images=result["predicted"])
    return result


def discover_stage(run_dir: str, image_ids: list[str], cfg: NearConfig, *,
                   label_budget: int) -> dict:
    """Discovery on the batch ``image_ids`` (at most ``label_budget`` MLLM requests); returns
    the discovery summary with ``line``."""
    return run_task(discover_task, cfg, run_dir, image_ids=image_ids, label_budget=label_budget)


@flow(name="near-relabel", log_prints=True)
def relabel_flow(
    inbox: str,
    run_dir: str,
    bundle: str | None = None,
    config_path: str | None = None,
    overrides: list[str] | None = None,
    config: NearConfig | None = None,
    discover: bool = False,
    label_budget: int = DiscoverOptions.budget,
    mllm_url: str | None = None,
    model: str | None = None,
) -> dict:
    """Ingest ``inbox`` into ``run_dir`` and predict its new images with ``bundle`` (default:
    the run's current bundle). With ``discover``, the inbox's images are examined for new
    classes first (at most ``label_budget`` MLLM requests to ``mllm_url``/``model``). Returns
    the relabel counts plus ``new_images`` (and ``discovery``: the discovery summary).
    ``config``: the resolved configuration (the other settings are then ignored)."""
    run_dir = run_path(run_dir)
    cfg = flow_config(run_dir, config, config_path, overrides, {
        "relabel.bundle": bundle, "mllm.url": mllm_url, "mllm.model": model})
    ensure_gpu_limit(cfg.orchestration)
    ingested = ingest_stage(run_dir, inbox, cfg)
    found = None
    if discover:
        batch = batch_ids(RunStore(run_dir), inbox)
        if batch:
            found = discover_stage(run_dir, batch, cfg, label_budget=label_budget)
            discovery_artifact(run_dir, found)
            print(f"discover: {found['line']}")
    result = relabel_stage(run_dir, ingested["ok_ids"], cfg, fresh=True)
    result["new_images"] = len(ingested["new_ids"])
    if found is not None:
        result["discovery"] = found
    relabel_artifact(run_dir, result)
    print(f"relabel: {ingested['line']}; {result['predicted']} predicted")
    return result
