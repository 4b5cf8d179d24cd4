"""The GPU concurrency limit: two runs never load models on one GPU at the same time.

Tasks that load a model (embed, train, relabel) hold one slot of the Prefect global
concurrency limit ``orchestration.gpu_limit`` while the model is loaded. ``ensure_gpu_limit``
creates the limit (``orchestration.gpu_slots`` slots, one per GPU) when it does not exist;
flows call it at start, ``near serve deployments`` at startup.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.concurrency.sync import concurrency
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from near_core.config import OrchestrationConfig


def ensure_gpu_limit(cfg: OrchestrationConfig) -> None:
    """Create the global concurrency limit ``cfg.gpu_limit`` unless it exists (kept as is)."""
    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(cfg.gpu_limit)
        except ObjectNotFound:
            with contextlib.suppress(ObjectAlreadyExists):  # created meanwhile by another run
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=cfg.gpu_limit, limit=cfg.gpu_slots)
                )


@contextlib.contextmanager
def gpu_slot(cfg: OrchestrationConfig) -> Iterator[None]:
    """Hold one slot of the GPU limit for the duration of the block."""
    with concurrency(cfg.gpu_limit, occupy=1, strict=False):
        yield
