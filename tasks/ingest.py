"""Ingest task: scan a source into the run's images table (near_core.ingest).

Not cached: what a folder holds is what the task finds out. Ingest itself only decodes
content it has not seen, so a rerun is cheap. Flaky (file-system I/O): retried as
``orchestration.retries`` says.
"""

from __future__ import annotations

from prefect import task

from near_core.config import NearConfig
from near_core.ingest import current_images, ingest
from near_core.store import RunStore
from tasks.retries import FLAKY
from tasks.summaries import summary_dict


@task(name="ingest", **FLAKY)
def ingest_task(run_dir: str, source: str, config: NearConfig) -> dict:
    """Ingest ``source`` into ``run_dir``.

    Returns the ingest summary (near_core.ingest.IngestSummary: ``scanned``, ``ok``,
    ``rejected``, ``duplicate``, ``new``, ``line``) with ``new_ids`` and ``ok_ids``: the ok
    images new to this call and all ok images of the run (sorted image ids).
    """
    store = RunStore(run_dir)
    summary = ingest(source, store, config=config.ingest)
    ok_ids = sorted(current_images(store).column("image_id").to_pylist())
    return summary_dict(summary, new_ids=sorted(summary.new_ids), ok_ids=ok_ids)
