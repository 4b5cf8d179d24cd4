"""Plumbing shared by the flows: the flow run's config, the Prefect API check, task runner
choice, task options, batching, shards of image ids mapped over the task runner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from prefect import Task, unmapped
from prefect.client.schemas.objects import State
from prefect.futures import PrefectFutureList
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from near_core.config import NearConfig, OrchestrationConfig, dump_config, resolve
from near_core.errors import PrefectUnavailable
from near_core.shards import shard_ids
from tasks.caching import result_storage
from tasks.retries import retry_options


def flow_config(
    run_dir: str,
    config: NearConfig | None,
    config_path: str | None,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> NearConfig:
    """The flow run's configuration: ``config`` as the caller resolved it (``near run``), else
    :func:`near_core.config.resolve` of the file, the environment, ``overrides``
    (``section.key=value`` strings or a mapping) and the flow's own parameters ``flags``
    (highest; None values ignored), as a deployment run gets it. Written to
    ``run_dir/config.toml``."""
    cfg = config if config is not None else resolve(config_path, overrides, flags=flags)
    dump_config(cfg, run_dir)
    return cfg


def check_api(*, required: bool = False, timeout_s: float = 10.0) -> str | None:
    """The Prefect API URL in use once it answers; None for the local ephemeral API (no
    PREFECT_API_URL) unless ``required``.

    Raises:
        PrefectUnavailable: (exit code 3) no API configured though ``required``, or nothing
            answers at PREFECT_API_URL; one line that says what to do.
    """
    import httpx
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        if required:
            raise PrefectUnavailable(
                "no Prefect server configured: start one (`prefect server start`) and set "
                "PREFECT_API_URL, e.g. export PREFECT_API_URL=http://127.0.0.1:4200/api")
        return None
    try:
        httpx.get(f"{url.rstrip('/')}/health", timeout=timeout_s)  # any answer: it is there
    except httpx.HTTPError as exc:
        raise PrefectUnavailable(
            f"the Prefect API at PREFECT_API_URL={url} does not answer ({type(exc).__name__}: "
            f"{exc}): start it (`prefect server start`) or unset PREFECT_API_URL to run on a "
            "local ephemeral API") from None
    return url


def make_task_runner(cfg: OrchestrationConfig) -> TaskRunner:
    """Threads (default) or Dask: an existing cluster at ``dask_address`` (its workers need
    ``distributed.worker.daemon: false`` to run data loaders), else a local cluster of
    ``dask_workers`` single-threaded, non-daemonic worker processes."""
    if cfg.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if cfg.dask_address:
            return DaskTaskRunner(address=cfg.dask_address)
        import dask

        # workers must be allowed children: the embed/relabel data loaders and torchrun use them
        dask.config.set({"distributed.worker.daemon": False})
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": cfg.dask_workers, "threads_per_worker": 1,
                            "processes": True, "dashboard_address": None}
        )
    return ThreadPoolTaskRunner(max_workers=cfg.max_workers)


def batches(ids: Sequence[str], size: int) -> list[list[str]]:
    """``ids`` (sorted, so batches and their cache keys do not depend on scan order) cut into
    lists of at most ``size``."""
    ordered = sorted(ids)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def run_path(run_dir: str) -> str:
    """Absolute form of the run directory (task cache keys and storage use it)."""
    return str(Path(run_dir).expanduser().resolve())


def configured(task: Task, cfg: NearConfig, run_dir: str) -> Task:
    """``task`` with results persisted where the config says (default inside the run) and,
    when the task declares retries (flaky work: MLLM calls, I/O; tasks/retries.py), the
    retries and backoff of ``cfg.orchestration`` instead."""
    opts: dict[str, Any] = {"result_storage": result_storage(cfg, run_dir), "persist_result": True}
    if task.retries:
        opts |= retry_options(cfg.orchestration)
    return task.with_options(**opts)


def outcome(state: State) -> dict:
    """A finished task run's result dict plus ``from_cache`` (True when served from the cache,
    so its counts describe the earlier run that computed it); raises the task's exception
    when it failed."""
    return dict(state.result()) | {"from_cache": state.name == "Cached"}


def map_shards(task: Task, cfg: NearConfig, run_dir: str, image_ids: Sequence[str], *,
               refresh: bool = False) -> PrefectFutureList:
    """``task(run_dir=, image_ids=shard, config=)`` submitted once per shard of ``image_ids``
    (:func:`near_core.shards.shard_ids`, ``orchestration.shard_size`` images), :func:`configured`,
    on the flow's task runner (threads, Dask, Ray: each shard where the runner puts it).
    ``refresh``: recompute instead of reading the cache. Wait with :func:`shard_outcomes`."""
    shards = shard_ids(image_ids, shard_size=cfg.orchestration.shard_size)
    run = configured(task, cfg, run_dir)
    if refresh:
        run = run.with_options(refresh_cache=True)
    return run.map(run_dir=unmapped(run_dir), image_ids=shards, config=unmapped(cfg))


def shard_outcomes(futures: PrefectFutureList) -> dict:
    """One summary of the shard tasks :func:`map_shards` submitted (raises the first shard's
    exception): counts summed and lists joined over shards, other values (encoder, model
    version) from the first; a shard served from the cache counts its ``total`` images as
    ``cached`` and no other work (the earlier run did it). ``from_cache``: every shard was;
    ``shards``: their number, ``cached_shards``: those served from the cache."""
    futures.wait()
    results = [outcome(f.state) for f in futures]
    merged: dict[str, Any] = {}
    for r in results:
        for k, v in r.items():
            if k == "from_cache":
                continue
            if isinstance(v, bool) or not isinstance(v, int | float | list):
                merged.setdefault(k, v)
                continue
            if r["from_cache"] and isinstance(v, int | float) and k != "total":
                v = r["total"] if k == "cached" else type(v)(0)
            merged[k] = merged[k] + v if k in merged else v
    cached = sum(r["from_cache"] for r in results)
    return merged | {"from_cache": cached == len(results), "shards": len(results),
                     "cached_shards": cached}


def run_task(task: Task, cfg: NearConfig, run_dir: str, *, refresh: bool = False,
             **params: Any) -> dict:
    """Run ``task(run_dir=run_dir, config=cfg, **params)`` in the flow, :func:`configured`;
    returns :func:`outcome` of its state. ``refresh``: run it even when cached (and refresh
    the cache), so that its counts describe this run. Every stage helper (``*_stage``) runs
    its task so."""
    if refresh:
        task = task.with_options(refresh_cache=True)
    return outcome(configured(task, cfg, run_dir)(run_dir=run_dir, config=cfg, **params,
                                                  return_state=True))

