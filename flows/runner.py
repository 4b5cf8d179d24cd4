"""Plumbing shared by the flows: config resolution, task runner choice, batching."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from prefect import Task
from prefect.client.schemas.objects import State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from near_core.config import (
    NearConfig,
    OrchestrationConfig,
    dump_config,
    load_config,
    parse_assignments,
)
from tasks.caching import result_storage


def resolve_config(
    run_dir: str,
    config_path: str | None,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> NearConfig:
    """Config from the file, the environment, ``overrides`` (``section.key=value`` strings or a
    mapping) and the flow's own parameters ``flags`` (highest; None values ignored); dumped
    into ``run_dir/config.toml``."""
    merged: dict[str, Any] = {}
    if overrides:
        merged |= dict(overrides) if isinstance(overrides, Mapping) else parse_assignments(overrides)
    merged |= {k: v for k, v in (flags or {}).items() if v is not None}
    cfg = load_config(config_path, merged)
    dump_config(cfg, run_dir)
    return cfg


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


def runner_for(config_path: str | None, overrides: Sequence[str] | None = None) -> TaskRunner:
    """The task runner the config (file + env + overrides) asks for."""
    return make_task_runner(load_config(config_path, list(overrides or ())).orchestration)


def batches(ids: Sequence[str], size: int) -> list[list[str]]:
    """``ids`` (sorted, so batches and their cache keys do not depend on scan order) cut into
    lists of at most ``size``."""
    ordered = sorted(ids)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def run_path(run_dir: str) -> str:
    """Absolute form of the run directory (task cache keys and storage use it)."""
    return str(Path(run_dir).expanduser().resolve())


def configured(task: Task, cfg: NearConfig, run_dir: str, *, flaky: bool = False) -> Task:
    """``task`` with results persisted where the config says (default inside the run) and,
    for ``flaky`` work (MLLM calls, I/O), the retries and backoff of ``cfg.orchestration``."""
    opts: dict[str, Any] = {"result_storage": result_storage(cfg, run_dir), "persist_result": True}
    if flaky:
        o = cfg.orchestration
        opts |= {"retries": o.retries, "retry_delay_seconds": exponential_backoff(o.retry_delay_s),
                 "retry_jitter_factor": 0.5}
    return task.with_options(**opts)


def outcome(state: State) -> dict:
    """A finished task run's result dict plus ``from_cache`` (True when served from the cache,
    so its counts describe the earlier run that computed it); raises the task's exception
    when it failed."""
    return dict(state.result()) | {"from_cache": state.name == "Cached"}


def call(task: Task, *args: Any) -> dict:
    """Run ``task(*args)`` in the flow and return :func:`outcome` of its state."""
    return outcome(task(*args, return_state=True))
