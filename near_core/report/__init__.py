"""Run report: the tables and charts a person reads to judge a run, as one self-contained page.

* :mod:`.summary`: :func:`summarize` reads a run directory into a :class:`RunReport`
  (plain rows: counts, vocabulary, label quality, cost, metrics and confusions with ground
  truth, galleries, confidences, vocabulary size through the stages);
* :mod:`.extras`: optional inputs read when present (training ``metrics.csv``, the trained
  bundle's classes, ``validation.json``, ``discovery/*.json``);
* :mod:`.charts`: small inline-SVG charts (no JavaScript, no plotting library);
* :mod:`.render`: the jinja2 template (``near_core/templates/report.html.j2``, autoescaped)
  and :func:`render_html`.

:func:`write_report` writes ``RUN_DIR/report.html``. Every string that comes from the MLLM
(labels, aliases) is untrusted and escaped; the page runs no script and loads nothing.
"""

from __future__ import annotations

from pathlib import Path

from near_core.config import ReportConfig
from near_core.metrics import Encoder
from near_core.report.render import build_charts, render_html, thumbnail_uri
from near_core.report.summary import ReportError, RunReport, load_truth, summarize
from near_core.store import RunStore, atomic_write_bytes

REPORT_FILENAME = "report.html"

__all__ = [
    "REPORT_FILENAME", "ReportError", "RunReport", "build_charts", "load_truth", "render_html",
    "summarize", "thumbnail_uri", "write_report",
]


def write_report(
    store: RunStore,
    *,
    config: ReportConfig | None = None,
    truth: str | None = None,
    encoder: Encoder | None = None,
) -> tuple[Path, RunReport]:
    """Summarise ``store`` and write ``RUN_DIR/report.html`` atomically; returns (path, report)."""
    report = summarize(store, config=config, truth=truth, encoder=encoder)
    target = store.root / REPORT_FILENAME
    atomic_write_bytes(target, render_html(report, config=config).encode("utf-8"))
    return target, report
