"""Ingest task: scan a source into the run's images table (near_core.ingest).

Not cached: what a folder holds is what the task finds out. Ingest itself only decodes
content it has not seen, so a rerun is cheap. Retried on failure (file-system I/O).
"""

from __future__ import annotations

from prefect import task
from prefect.tasks import exponential_backoff

from near_core.config import NearConfig
from near_core.ingest import current_images, ingest
from near_core.store import RunStore


@task(name="ingest", retries=2, retry_delay_seconds=exponential_backoff(2), retry_jitter_factor=0.5)
def ingest_task(source: str, run_dir: str, config: NearConfig) -> dict:
    """Ingest ``source`` into ``run_dir``.

    Returns ``{"summary": str, "new_ids": [image_id, ...], "ok_ids": [image_id, ...]}``:
    the ok images new to this call and all ok images of the run (sorted).
    """
    store = RunStore(run_dir)
    summary = ingest(source, store, config=config.ingest)
    ok_ids = sorted(current_images(store).column("image_id").to_pylist())
    return {"summary": summary.line(), "new_ids": sorted(summary.new_ids), "ok_ids": ok_ids}
