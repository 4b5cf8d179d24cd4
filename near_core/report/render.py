"""The report as one self-contained HTML page: jinja2 templates with autoescaping, inline SVG.

:func:`build_charts` turns a :class:`RunReport` into named SVG charts (:mod:`.charts`);
:func:`render_html` renders ``near_core/templates/report.html.j2`` with them; thumbnails are
``data:`` URIs. The page loads nothing and runs no script: its Content-Security-Policy is
``default-src 'none'; img-src data:; style-src 'sha256-<hash of its one <style> element>'``.
Every value reaches the page through an autoescaping template or the SVG serializer, so MLLM
text (class names, aliases) is always escaped.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markupsafe import Markup

from near_core.config import ReportConfig
from near_core.ingest import load_rgb
from near_core.report import charts
from near_core.report.summary import SOURCES, RunReport

#: per-class chart: the classes with the lowest F1 shown at most
PER_CLASS_BARS = 25
#: metrics.csv columns drawn as training curves: (chart key, title, y label, columns)
TRAINING_CHARTS = (
    ("training_loss", "Training losses per epoch", "loss", ("train_loss", "set_loss")),
    ("training_targets", "Label refinement during training", "share of training images",
     ("clean_frac", "label_changed")),
)


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("near_core", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = _cell
    return env


def _cell(value: Any) -> Any:
    """A table cell: None empty, floats to 4 significant digits (still escaped after)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return value


def _css() -> str:
    return _env().loader.get_source(_env(), "report.css")[0]


def csp(css: str) -> str:
    """The page's Content-Security-Policy for its one ``<style>`` element ``css``."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; img-src data:; style-src 'sha256-{digest}'"


def thumbnail_uri(path: str | os.PathLike[str] | None, size: int) -> str | None:
    """A JPEG ``data:`` URI of the image at ``path`` shrunk to ``size`` px (None if unreadable)."""
    if path is None:
        return None
    try:
        img = load_rgb(path)
    except (OSError, ValueError):
        return None
    img.thumbnail((size, size))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=75)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class Chart(NamedTuple):
    """One figure of the report: its title and its inline SVG."""

    title: str
    svg: Markup


def build_charts(report: RunReport) -> dict[str, Chart]:
    """Chart key -> :class:`Chart`, for the parts of ``report`` that have data (the page and
    the Prefect artifacts show these same figures)."""
    out: dict[str, Chart] = {}

    def add(key: str, draw: Callable[..., Markup], **kwargs: Any) -> None:
        out[key] = Chart(kwargs["title"], draw(**kwargs))

    stages = [r for r in report.vocab_stages if r["names"] is not None]
    if stages:
        add("vocab_stages", charts.bar_chart,
            title="Vocabulary size through the stages",
            categories=[r["stage"] for r in stages],
            series={"distinct names": [r["names"] for r in stages]},
            x_label="distinct class names",
        )
    cost = {r["stage"]: r["seconds_per_image"] for r in report.cost[:2]
            if r["seconds_per_image"]}
    if cost:
        ratio = report.cost[2]["seconds_per_image"]
        add("cost", charts.bar_chart,
            title="Cost per image: MLLM naming vs CLIP classifier",
            categories=list(cost), series={"seconds per image": list(cost.values())},
            x_label="seconds per image (log scale)", log=True,
            subtitle=_ratio_text(ratio),
        )
    if report.confidence:
        order = [s for s in SOURCES.values() if s in report.confidence]
        add("confidence", charts.histogram_chart,
            title="Confidence of the final labels, by label source",
            series={s: report.confidence[s] for s in order},
            x_label="confidence (NeaR: model probability; CLIP: score; MLLM: vote share)",
        )
    if report.confusion is not None:
        c = report.confusion
        add("confusion", charts.heatmap_chart,
            title=f"Most confused classes ({len(c['rows'])} of {c['classes']})",
            rows=c["rows"], cols=c["cols"], counts=c["counts"], row_totals=c["row_totals"],
            x_label="name given (final label)", y_label="true class",
        )
    if report.per_class:
        rows = sorted(report.per_class, key=lambda r: (_f1(r), -r["support"], str(r["true"])))
        rows = rows[:PER_CLASS_BARS]
        shown = "all" if len(rows) == len(report.per_class) else f"the {len(rows)} weakest of"
        add("per_class", charts.bar_chart,
            title=f"Per-class precision and recall ({shown} {len(report.per_class)} classes, "
                  "lowest F1 first)",
            categories=[str(r["true"]) for r in rows],
            series={"precision": [r["precision"] for r in rows],
                    "recall": [r["recall"] for r in rows]},
            x_label="precision / recall (Hungarian-matched names)", x_max=1.0,
        )
    if report.training is not None and report.training.rows:
        epochs = [r.get("epoch") or float(i + 1) for i, r in enumerate(report.training.rows)]
        for key, title, y_label, cols in TRAINING_CHARTS:
            series = {c: [r.get(c) for r in report.training.rows] for c in cols
                      if any(r.get(c) is not None for r in report.training.rows)}
            if series:
                add(key, charts.line_chart, title=title, x=epochs, series=series,
                    x_label="epoch", y_label=y_label)
    if report.validation is not None and report.validation["stages"]:
        st = dict(report.validation["stages"])
        if report.validation.get("chance") is not None:
            st["chance (most common label)"] = report.validation["chance"]
        add("validation", charts.bar_chart,
            title=f"Validation slice: agreement with the MLLM "
                  f"({report.validation['images']} held-out images)",
            categories=list(st), series={"agreement": list(st.values())},
            x_label="share of held-out images whose label equals the MLLM's", x_max=1.0,
        )
    versions = [d for d in report.discovery if d["before"] is not None or d["after"] is not None]
    if versions:
        add("discovery", charts.bar_chart,
            title="Relabel discovery: accuracy on the known classes before and after",
            categories=[str(d["model_version"]) for d in versions],
            series={"before": [d["before"] for d in versions],
                    "after": [d["after"] for d in versions]},
            x_label="known-class accuracy", x_max=1.0,
        )
    return out


def _ratio_text(ratio: float | None) -> str | None:
    """CLIP / MLLM seconds per image in words."""
    if not ratio:
        return None
    if ratio < 1:
        return f"the CLIP classifier takes 1/{1 / ratio:,.0f} of the MLLM's time per image"
    return f"the CLIP classifier takes {ratio:,.1f}x the MLLM's time per image"


def _f1(row: dict[str, Any]) -> float:
    p, r = row["precision"], row["recall"]
    return 2 * p * r / (p + r) if p + r else 0.0


def render_html(report: RunReport, *, config: ReportConfig | None = None) -> str:
    """The report as one self-contained HTML page (no scripts, no external resources)."""
    cfg = config or ReportConfig()
    css = _css()
    galleries = [
        {"label": label, "total": len(items),
         "thumbs": [_thumb(iid, path, score, cfg) for iid, path, score in
                    items[: cfg.thumbs_per_class]]}
        for label, items in report.galleries.items()
    ]
    discovery = [
        d | {"examples": {name: [_thumb(iid, path, None, cfg) for iid, path in ex]
                          for name, ex in d["examples"].items()}}
        for d in report.discovery
    ]
    return _env().get_template("report.html.j2").render(
        r=report, run_name=Path(report.run_dir).name, css=Markup(css), csp=csp(css),
        charts=build_charts(report), galleries=galleries, discovery=discovery,
        counts_rows=[{"what": k, "count": v} for k, v in report.counts.items()],
        metric_rows=[{"metric": k, "value": v} for k, v in (report.metrics or {}).items()],
    )


def _thumb(iid: str, path: str | None, score: float | None, cfg: ReportConfig) -> dict[str, Any]:
    name = Path(path).name if path else "(not in the images table)"
    return {"uri": thumbnail_uri(path, cfg.thumb_size), "title": f"{name} ({iid[:12]})",
            "caption": f"{score:.2f}" if score is not None else ""}
