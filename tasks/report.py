"""Report task: write RUN_DIR/report.html (near_core.report) and keyed Prefect artifacts.

Artifacts (keys ``near-<run>-<what>``, a new version per flow run): summary (markdown: the key
numbers and where the report is), report (a link to the HTML file), charts (markdown embedding
the report's own SVG charts as ``data:`` images, the same figures as the page), vocabulary,
label-quality, cost, and metrics when ground truth is given.
Not cached (cheap, and it must reflect the tables as they are now); no retries.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from prefect import task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)

from near_core.config import NearConfig
from near_core.report import RunReport, build_charts, write_report
from near_core.store import RunStore

#: rows of a table artifact at most (the HTML report holds every row)
ARTIFACT_ROWS = 500


def artifact_prefix(run_dir: str) -> str:
    """``near-<slug of the run folder name>-<6 hex of its absolute path>`` (artifact key rules:
    lowercase letters, digits, dashes)."""
    path = str(Path(run_dir).resolve())
    slug = re.sub(r"[^a-z0-9]+", "-", Path(path).name.lower()).strip("-")[:40] or "run"
    return f"near-{slug}-{hashlib.sha256(path.encode()).hexdigest()[:6]}"


@task(name="report")
def report_task(run_dir: str, config: NearConfig, truth: str | None = None) -> dict:
    """Write the HTML report and the artifacts; returns ``{"path", "counts", "metrics"}``."""
    path, report = write_report(RunStore(run_dir), config=config.report, truth=truth)
    prefix = artifact_prefix(run_dir)
    create_markdown_artifact(summary_markdown(run_dir, path, report), key=f"{prefix}-summary",
                             description="Run summary and where the HTML report is")
    create_link_artifact(path.resolve().as_uri(), link_text=path.name, key=f"{prefix}-report",
                         description="The run's self-contained HTML report")
    create_markdown_artifact(charts_markdown(report), key=f"{prefix}-charts",
                             description="The report's charts (the same SVG as the page)")
    tables = {
        "vocabulary": (report.vocabulary[:ARTIFACT_ROWS],
                       f"Label vocabulary (first {ARTIFACT_ROWS} by final count): MLLM and "
                       "final counts"),
        "label-quality": (report.quality, "Agreement between samples, neighbours and model"),
        "cost": (report.cost, "MLLM requests, tokens and seconds vs CLIP relabeling"),
    }
    if report.metrics is not None:
        rows = [{"metric": k, "value": v} for k, v in report.metrics.items()]
        tables["metrics"] = (rows, "Metrics against the ground truth")
        tables["metrics-by-source"] = (report.by_source, "Metrics of each label source")
    for name, (rows, description) in tables.items():
        if rows:
            create_table_artifact(rows, key=f"{prefix}-{name}", description=description)
    return {"path": str(path), "counts": report.counts, "metrics": report.metrics,
            "by_source": report.by_source}


def summary_markdown(run_dir: str, path: Path, report: RunReport) -> str:
    """The key numbers of a run as markdown: counts, metrics with ground truth, cost."""
    lines = [f"# NeaR run `{run_dir}`", "", f"Report: `{path}`", "", "| what | value |",
             "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in report.counts.items()]
    if report.metrics is not None:
        lines += [f"| {k} | {report.metrics[k]:.4f} |" for k in ("cacc", "sacc", "nmi", "ari")]
    per_image = {r["stage"]: r["seconds_per_image"] for r in report.cost}
    lines += [f"| {k}: seconds per image | {v} |" for k, v in per_image.items() if v]
    return "\n".join(lines) + "\n"


def charts_markdown(report: RunReport) -> str:
    """Each chart of the HTML report as a markdown image with an SVG ``data:`` URI."""
    parts = ["# Charts of the run report", ""]
    for chart in build_charts(report).values():
        alt = re.sub(r"[\[\]\n]", " ", chart.title)
        uri = "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode()).decode("ascii")
        parts += [f"## {alt}", "", f"![{alt}]({uri})", ""]
    return "\n".join(parts)


def relabel_artifact(run_dir: str, result: dict) -> None:
    """Table artifact ``near-<run>-relabel`` with one relabel run's counts."""
    row = {k: result[k] for k in ("new_images", "predicted", "cached", "low_confidence",
                                  "seconds", "model_version")}
    row["unreadable"] = len(result["failed"])
    create_table_artifact([row], key=f"{artifact_prefix(run_dir)}-relabel",
                          description="Images relabeled by CLIP in this run")


def discovery_artifact(run_dir: str, found: dict) -> None:
    """Markdown artifact ``near-<run>-discovery`` of one discovery pass (near_core.discover):
    new classes with example images, MLLM requests spent, known-class accuracy before/after."""
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
    lines = [f"# Discovery: {found['line']}", "",
             f"- model: `{found['parent_version']}` -> `{found['model_version']}`",
             f"- MLLM requests: {found['mllm_requests']}",
             f"- uncovered images: {found['uncovered']} of {found['images']}",
             f"- known-class accuracy (vs MLLM answers): {fmt(found['before'])} -> "
             f"{fmt(found['after'])}; covered predictions unchanged: {fmt(found['stability'])}"]
    record = found.get("record_path")
    if record and Path(record).is_file():
        import json

        data = json.loads(Path(record).read_text(encoding="utf-8"))
        paths = dict(zip(*RunStore(run_dir).read("images", columns=["image_id", "path"])
                         .to_pydict().values(), strict=True))
        lines += ["", "| new class | example images |", "|---|---|"]
        for name, ids in data["examples"].items():
            shown = ", ".join(f"`{Path(paths.get(i, i)).name}`" for i in ids)
            lines.append(f"| {name} | {shown} |")
        lines += ["", f"Record: `{record}`"]
    create_markdown_artifact("\n".join(lines), key=f"{artifact_prefix(run_dir)}-discovery",
                             description="New classes found in a relabeled batch")
