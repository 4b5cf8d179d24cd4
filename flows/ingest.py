"""The ingest stage of the flows: scan a source into the run (no flow of its own).

:func:`ingest_stage` is shared by ``near-pipeline``, ``near-label`` and ``near-relabel``.
"""

from __future__ import annotations

from flows.runner import run_task
from near_core.config import NearConfig
from tasks.ingest import ingest_task


def ingest_stage(run_dir: str, source: str, cfg: NearConfig) -> dict:
    """Ingest ``source`` into ``run_dir``; returns the ingest counts, ``line`` (one line),
    ``new_ids`` and ``ok_ids`` (sorted image ids) and ``from_cache`` (always False: ingest is
    not cached)."""
    return run_task(ingest_task, cfg, run_dir, source=source)
