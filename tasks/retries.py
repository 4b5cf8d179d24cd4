"""Retries of flaky tasks (MLLM calls, file I/O): declared on the task, sized by the config.

A flaky task declares ``@task(..., **FLAKY)`` (the defaults of ``[orchestration]``); the flows
run every task through :func:`flows.runner.configured`, which replaces those with the run's
``orchestration.retries`` / ``retry_delay_s``. Deterministic tasks declare no retries and get
none.
"""

from __future__ import annotations

from typing import Any

from prefect.tasks import exponential_backoff

from near_core.config import OrchestrationConfig


def retry_options(cfg: OrchestrationConfig) -> dict[str, Any]:
    """``retries``, exponential ``retry_delay_seconds`` from ``retry_delay_s`` (doubling) and
    jitter, as ``Task.with_options`` takes them."""
    return {"retries": cfg.retries, "retry_delay_seconds": exponential_backoff(cfg.retry_delay_s),
            "retry_jitter_factor": 0.5}


#: the decorator options of a flaky task (the config's defaults)
FLAKY = retry_options(OrchestrationConfig())
