"""The report stage of the flows: RUN_DIR/report.html and its artifacts (no flow of its own).

:func:`report_stage` ends ``near-pipeline``.
"""

from __future__ import annotations

from flows.runner import run_task
from near_core.config import NearConfig
from tasks.report import report_task


def report_stage(run_dir: str, cfg: NearConfig, *, truth: str | None = None) -> dict:
    """Write the run's report (``truth``: ground truth for its metrics, "folder" or a CSV);
    returns ``path``, ``counts``, ``metrics``, ``by_source`` and ``from_cache``."""
    return run_task(report_task, cfg, run_dir, truth=truth)
