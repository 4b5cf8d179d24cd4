"""Relabel task: CLIP-only predictions for the run's ok images not yet predicted by the
bundle's model version (near_core.relabel); discover task: the batch's uncovered images named
by the MLLM and the new classes added to a grown bundle first (near_core.discover).

Cache key: the image ids, the bundle's files (path, size, mtime), the relabel
config and the run directory. Deterministic: no retries. Holds a slot of the GPU limit while
the bundle is loaded. One task per shard of image ids (flows.runner.map_shards).
"""

from __future__ import annotations

import time
from typing import Any

from prefect import task

from near_core.bundle import load_bundle
from near_core.config import NearConfig
from near_core.discover import DiscoverOptions, run_discovery
from near_core.relabel import bundle_path, relabel_run
from near_core.store import RunStore
from tasks.caching import files_identity, ids_digest, key_fn, mllm_params, section_params
from tasks.gpu import gpu_slot
from tasks.retries import FLAKY
from tasks.secrets import mllm_api_key
from tasks.summaries import summary_dict


def _relabel_key(p: dict[str, Any]) -> list[Any]:
    cfg: NearConfig = p["config"]
    bundle = bundle_path(RunStore(p["run_dir"]), cfg.relabel)
    return [ids_digest(p["image_ids"]), files_identity(bundle), section_params(cfg, "relabel")]


@task(name="relabel", cache_key_fn=key_fn("relabel", _relabel_key))
def relabel_task(run_dir: str, image_ids: list[str], config: NearConfig) -> dict:
    """Predict the unpredicted ones of the run's ok images ``image_ids`` (one shard; they and
    the bundle's files key the cache). Returns ``{"model_version", "total", "cached",
    "predicted", "low_confidence", "failed", "seconds"}``; the stage adds the seconds to
    run.json (near_core.relabel.record_cost)."""
    store = RunStore(run_dir)
    t0 = time.perf_counter()
    with gpu_slot(config.orchestration, what=f"the classifier (relabel, {run_dir})"):
        bundle = load_bundle(bundle_path(store, config.relabel), device=config.clip.device,
                             precision=config.clip.precision)
        s = relabel_run(store, bundle, config=config.relabel, workers=config.clip.workers,
                        image_ids=image_ids)
    return summary_dict(s, seconds=time.perf_counter() - t0)


def _discover_key(p: dict[str, Any]) -> list[Any]:
    cfg: NearConfig = p["config"]
    bundle = bundle_path(RunStore(p["run_dir"]), cfg.relabel)
    return [ids_digest(p["image_ids"]), files_identity(bundle), p["label_budget"],
            mllm_params(cfg), section_params(cfg, "refine"), cfg.seed]


@task(name="discover", cache_key_fn=key_fn("discover", _discover_key), **FLAKY)
def discover_task(run_dir: str, image_ids: list[str], label_budget: int,
                  config: NearConfig) -> dict:
    """Discovery on the batch ``image_ids`` with the run's current bundle, at most
    ``label_budget`` MLLM requests (the batch, the bundle's files, the MLLM and refine
    settings key the cache; the run also records examined batches, so a rerun after the
    bundle grew sends nothing either). Retried: it calls the MLLM. Returns the
    :class:`near_core.discover.DiscoverySummary` as a dict (with ``line``)."""
    store = RunStore(run_dir)
    with gpu_slot(config.orchestration, what="CLIP discovery"):
        s = run_discovery(store, image_ids, config=config, api_key=mllm_api_key(config),
                          options=DiscoverOptions(budget=label_budget, seed=config.seed))
    return summary_dict(s)
