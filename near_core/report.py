"""Run report: the tables a person reads to judge a run, and a self-contained HTML page.

:func:`summarize` reads a run directory's tables (images, answers, vocabulary, labels,
predictions, and the ``cost`` entry of ``run.json``) and returns a :class:`RunReport` of plain
rows: vocabulary, label quality, metrics (when ground truth is given), confusions, cost, and
per-class galleries. :func:`render_html` turns it into one HTML page whose thumbnails are
embedded as ``data:`` URIs (no network, no extra files); :func:`write_report` writes it to
``RUN_DIR/report.html``. Every string that comes from the MLLM (labels, aliases) is untrusted
and is HTML-escaped; nothing is ever evaluated.

Ground truth, optional: ``"folder"`` (each image's parent folder name is its class, CUB style:
a leading ``NNN.`` is dropped and underscores read as spaces, ``001.Tufted_Puffin`` -> ``Tufted
Puffin``) or a CSV file with a header and columns ``path,label`` (``path`` absolute, or a file name matched
against the images' file names).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from near_core.config import ReportConfig
from near_core.errors import NearError
from near_core.ingest import current_images, load_rgb
from near_core.metrics import Encoder, MetricsError, evaluate, minilm_encoder
from near_core.mllm.parse import name_key
from near_core.store import RunStore, atomic_write_bytes

REPORT_FILENAME = "report.html"


class ReportError(NearError):
    """The report cannot be built (e.g. a ground-truth file is unreadable)."""


@dataclass
class RunReport:
    """Everything the report shows, as plain rows (lists of dicts with str/int/float values).

    ``final``: image_id -> (label, source) where source is "clip", "refined" or "mllm".
    ``by_source``: metrics of each label source (MLLM, NeaR, CLIP) on the images it covers.
    ``galleries``: class label -> list of (image_id, path, score or None), best first.
    """

    run_dir: str
    counts: dict[str, int]
    vocabulary: list[dict[str, Any]]
    quality: list[dict[str, Any]]
    cost: list[dict[str, Any]]
    confusions: list[dict[str, Any]]
    metrics: dict[str, Any] | None = None
    per_class: list[dict[str, Any]] = field(default_factory=list)
    by_source: list[dict[str, Any]] = field(default_factory=list)
    galleries: dict[str, list[tuple[str, str, float | None]]] = field(default_factory=dict)
    final: dict[str, tuple[str | None, str]] = field(default_factory=dict)


def _folder_class(path: str) -> str:
    return re.sub(r"^\d+\.", "", Path(path).parent.name).replace("_", " ").strip()


def load_truth(images: pa.Table, spec: str) -> dict[str, str]:
    """image_id -> true class name from ``spec`` ("folder" or a CSV file path,label)."""
    ids = images.column("image_id").to_pylist()
    paths = images.column("path").to_pylist()
    if spec == "folder":
        return {i: _folder_class(p) for i, p in zip(ids, paths, strict=True)}
    src = Path(spec)
    try:
        with open(src, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReportError(f"ground truth {src}: cannot read ({exc})") from None
    if rows and not {"path", "label"} <= set(rows[0]):
        raise ReportError(f"ground truth {src}: needs the header columns 'path' and 'label'")
    by_path = {r["path"]: r["label"] for r in rows}
    by_name = {Path(r["path"]).name: r["label"] for r in rows}
    out = {}
    for iid, p in zip(ids, paths, strict=True):
        label = by_path.get(p, by_name.get(Path(p).name))
        if label is not None:
            out[iid] = label
    return out


def _latest_predictions(store: RunStore) -> dict[str, tuple[str | None, float | None]]:
    """image_id -> (label, score) of the most recent prediction of each image."""
    table = store.read("predictions", ["image_id", "label", "score", "created_at"])
    if table.num_rows == 0:
        return {}
    table = table.sort_by([("created_at", "ascending")])
    out = {}
    for iid, label, score in zip(
        table["image_id"].to_pylist(), table["label"].to_pylist(), table["score"].to_pylist(),
        strict=True,
    ):
        out[iid] = (label, score)
    return out


def _mllm_votes(answers: pa.Table) -> dict[str, list[str]]:
    """image_id -> the parsed labels of its ok answers (one per sample; may be empty)."""
    ok = answers.filter(pc.equal(answers["status"], "ok"))
    votes: dict[str, list[str]] = defaultdict(list)
    for iid, label in zip(ok["image_id"].to_pylist(), ok["label"].to_pylist(), strict=True):
        if label:
            votes[iid].append(label)
    return votes


def _rate(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def _quality_rows(
    votes: dict[str, list[str]], refined: dict[str, str | None], predicted: dict[str, Any]
) -> list[dict[str, Any]]:
    """Agreement between MLLM samples, the MLLM's majority and the refined (neighbour +
    model) label, and the refined label and the CLIP prediction."""
    multi = [v for v in votes.values() if len(v) > 1]
    maj = {i: _top_vote(v) for i, v in votes.items() if v}
    both = [i for i in maj if refined.get(i)]
    clip = [i for i in refined if refined[i] and predicted.get(i, (None,))[0]]
    return [
        {"check": "MLLM samples agree (images with >1 sample)", "images": len(multi),
         "rate": _rate(sum(len(set(v)) == 1 for v in multi), len(multi))},
        {"check": "MLLM majority = refined label (neighbours + model)", "images": len(both),
         "rate": _rate(sum(maj[i] == refined[i] for i in both), len(both))},
        {"check": "refined label = CLIP prediction", "images": len(clip),
         "rate": _rate(sum(predicted[i][0] == refined[i] for i in clip), len(clip))},
    ]


def _cost_rows(answers: pa.Table, state: dict[str, Any], n_predicted: int) -> list[dict[str, Any]]:
    requests = answers.num_rows
    labeled = len(set(answers["image_id"].to_pylist()))
    mllm_s = float(pc.sum(answers["latency_s"]).as_py() or 0.0) if requests else 0.0
    tokens = 0
    for col in ("prompt_tokens", "completion_tokens"):
        if requests:
            tokens += int(pc.sum(answers[col]).as_py() or 0)
    relabel = state.get("cost", {}).get("relabel", {})
    relabel_s = float(relabel.get("seconds", 0.0))
    relabel_n = int(relabel.get("images", 0))
    mllm_per = mllm_s / labeled if labeled else None
    clip_per = relabel_s / relabel_n if relabel_n else None
    ratio = round(clip_per / mllm_per, 5) if mllm_per and clip_per else None
    return [
        {"stage": "MLLM labeling", "images": labeled, "requests": requests, "tokens": tokens,
         "seconds": round(mllm_s, 3), "seconds_per_image": mllm_per and round(mllm_per, 5)},
        {"stage": "CLIP relabeling", "images": relabel_n, "requests": 0, "tokens": 0,
         "seconds": round(relabel_s, 3), "seconds_per_image": clip_per and round(clip_per, 5)},
        {"stage": "ratio CLIP / MLLM per image", "images": n_predicted, "requests": None,
         "tokens": None, "seconds": None, "seconds_per_image": ratio},
    ]


def summarize(
    store: RunStore,
    *,
    config: ReportConfig | None = None,
    truth: str | None = None,
    encoder: Encoder | None = None,
) -> RunReport:
    """Read ``store`` and compute the report's rows.

    ``truth``: None, "folder" or a CSV path (see module doc); metrics appear only with it.
    ``encoder``: sentence encoder for sACC (default the offline MiniLM when ``config.sacc``).
    """
    cfg = config or ReportConfig()
    images = current_images(store)
    all_images = current_images(store, status=None)
    ids = images.column("image_id").to_pylist()
    paths = dict(zip(ids, images.column("path").to_pylist(), strict=True))
    answers = store.read("answers")
    votes = _mllm_votes(answers)
    labels = store.read("labels")
    refined = dict(
        zip(labels["image_id"].to_pylist(), labels["label"].to_pylist(), strict=True)
    )
    predicted = _latest_predictions(store)

    # The images the MLLM named keep their NeaR-refined label (what training learnt from);
    # every other image gets the CLIP classifier's prediction.
    final: dict[str, tuple[str | None, str]] = {}
    for iid in ids:
        if votes.get(iid) and refined.get(iid):
            final[iid] = (refined[iid], "refined")
        elif predicted.get(iid, (None,))[0] is not None:
            final[iid] = (predicted[iid][0], "clip")
        elif refined.get(iid):
            final[iid] = (refined[iid], "refined")
        elif votes.get(iid):
            final[iid] = (_top_vote(votes[iid]), "mllm")
        else:
            final[iid] = (None, "none")

    vocab = store.read("vocabulary")
    per_label = Counter(label for label, _ in final.values() if label is not None)
    vocabulary = [
        {"label": name, "aliases": ", ".join(aliases or []), "mllm_count": count,
         "final_count": per_label.get(name, 0)}
        for name, aliases, count in zip(
            vocab["name"].to_pylist(), vocab["aliases"].to_pylist(), vocab["count"].to_pylist(),
            strict=True,
        )
    ]
    vocabulary.sort(key=lambda r: (-r["final_count"], -(r["mllm_count"] or 0), r["label"]))

    counts = {
        "images_ok": len(ids),
        "images_rejected": all_images.num_rows - len(ids),
        "mllm_labeled": len(votes),
        "refined": sum(1 for v in refined.values() if v),
        "clip_predicted": sum(1 for i in ids if final[i][1] == "clip"),
        "unlabeled": sum(1 for i in ids if final[i][0] is None),
        "vocabulary": len(vocabulary),
    }
    report = RunReport(
        run_dir=str(store.root),
        counts=counts,
        vocabulary=vocabulary,
        quality=_quality_rows(votes, refined, predicted),
        cost=_cost_rows(answers, store.state(), counts["clip_predicted"]),
        confusions=[],
        final=final,
    )
    if truth is not None:
        _add_metrics(report, load_truth(images, truth), cfg, encoder,
                     views=_views(votes, refined, predicted))
    report.galleries = _galleries(final, predicted, paths, cfg)
    return report


def _top_vote(names: list[str]) -> str:
    return Counter(names).most_common(1)[0][0]


def _views(
    votes: dict[str, list[str]],
    refined: dict[str, str | None],
    predicted: dict[str, tuple[str | None, float | None]],
) -> list[tuple[str, dict[str, str | None]]]:
    """The label sources the metrics compare, each as ``(what, image_id -> label)``."""
    clip = {i: p[0] for i, p in predicted.items()}
    return [
        ("MLLM top answer (images the MLLM named)", {i: _top_vote(v) for i, v in votes.items()}),
        ("NeaR refined labels (same images)", {i: refined.get(i) for i in votes}),
        ("CLIP classifier (same images)", {i: clip[i] for i in votes if i in clip}),
        ("CLIP classifier (images the MLLM never saw)",
         {i: lab for i, lab in clip.items() if i not in votes}),
    ]


def _add_metrics(
    report: RunReport,
    true: dict[str, str],
    cfg: ReportConfig,
    encoder: Encoder | None,
    *,
    views: list[tuple[str, dict[str, str | None]]] = (),
) -> None:
    ids = [i for i in report.final if i in true]
    if not ids:
        return
    pred = [report.final[i][0] for i in ids]
    gold = [true[i] for i in ids]
    encoder_name = "exact name match"
    if encoder is not None:
        encoder_name = "given"
    elif cfg.sacc:
        try:
            encoder = minilm_encoder()
            encoder_name = "all-MiniLM-L6-v2"
        except MetricsError:
            encoder = None
    if encoder is None:
        encoder = _exact_name_encoder
    result = evaluate(pred, gold, encoder=encoder)
    report.per_class = result.pop("per_class")
    report.metrics = result | {"sacc_encoder": encoder_name}
    for what, labels in views:
        view_ids = [i for i in labels if i in true]
        if view_ids:
            m = evaluate([labels[i] for i in view_ids], [true[i] for i in view_ids],
                         encoder=encoder)
            report.by_source.append({"labels": what, "images": len(view_ids),
                                     "cACC": round(m["cacc"], 4), "sACC": round(m["sacc"], 4),
                                     "names": m["vocab_size"]})
    pairs = Counter((g, p) for g, p in zip(gold, pred, strict=True))
    report.confusions = [
        {"true": g, "predicted": p if p is not None else "(none)", "images": n}
        for (g, p), n in pairs.most_common()
        if p is None or name_key(p) != name_key(g)
    ][:50]


def _exact_name_encoder(names: list[str]) -> Any:
    """One-hot rows per distinct normalised name: sACC reduces to exact-name accuracy."""
    import numpy as np

    keys = [name_key(n) for n in names]
    index = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    out = np.zeros((len(names), max(len(index), 1)), dtype=np.float32)
    for row, k in enumerate(keys):
        out[row, index[k]] = 1.0
    return out


def _galleries(
    final: dict[str, tuple[str | None, str]],
    predicted: dict[str, tuple[str | None, float | None]],
    paths: dict[str, str],
    cfg: ReportConfig,
) -> dict[str, list[tuple[str, str, float | None]]]:
    by_class: dict[str, list[tuple[str, str, float | None]]] = defaultdict(list)
    for iid, (label, _) in final.items():
        if label is not None:
            by_class[label].append((iid, paths[iid], predicted.get(iid, (None, None))[1]))
    ordered = sorted(by_class.items(), key=lambda kv: (-len(kv[1]), kv[0]))[: cfg.max_classes]
    out = {}
    for label, items in ordered:
        items.sort(key=lambda t: (-(t[2] if t[2] is not None else -1.0), t[0]))
        out[label] = items
    return out


def thumbnail_uri(path: str | os.PathLike[str], size: int) -> str | None:
    """A JPEG ``data:`` URI of the image at ``path`` shrunk to ``size`` px (None if unreadable)."""
    try:
        img = load_rgb(path)
    except (OSError, ValueError):
        return None
    img.thumbnail((size, size))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=75)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# -- HTML ------------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:0.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:0.9em}
th{background:#f2f2f2}
.gallery{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:1.5em}
figure{margin:0;font-size:0.75em;text-align:center}
figure img{display:block;border:1px solid #ddd}
.note{color:#666;font-size:0.9em}
"""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return html.escape(str(value))


def _table(rows: list[dict[str, Any]], caption: str | None = None) -> str:
    if not rows:
        return '<p class="note">(none)</p>'
    cols = list(rows[0])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in cols) + "</tr>" for r in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _gallery(label: str, items: list[tuple[str, str, float | None]], cfg: ReportConfig) -> str:
    figs = []
    for iid, path, score in items[: cfg.thumbs_per_class]:
        uri = thumbnail_uri(path, cfg.thumb_size)
        caption = f"{score:.2f}" if score is not None else ""
        title = html.escape(f"{Path(path).name} ({iid[:12]})", quote=True)
        img = (f'<img src="{uri}" alt="{title}" title="{title}">' if uri
               else f'<span title="{title}">(unreadable)</span>')
        figs.append(f"<figure>{img}<figcaption>{caption}</figcaption></figure>")
    return (f"<h3>{html.escape(label)} <small>({len(items)} images)</small></h3>"
            f'<div class="gallery">{"".join(figs)}</div>')


def render_html(report: RunReport, *, config: ReportConfig | None = None) -> str:
    """The report as one self-contained HTML page (no scripts, no external resources)."""
    cfg = config or ReportConfig()
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'\">",
        f"<title>NeaR run report: {html.escape(Path(report.run_dir).name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>NeaR run report</h1><p class=\"note\">{html.escape(report.run_dir)}</p>",
        "<h2>Images</h2>",
        _table([{"what": k, "count": v} for k, v in report.counts.items()]),
    ]
    if report.metrics is not None:
        parts += ["<h2>Metrics against ground truth</h2>",
                  _table([{"metric": k, "value": v} for k, v in report.metrics.items()]),
                  "<h3>By label source</h3>", _table(report.by_source),
                  "<h3>Per class</h3>", _table(report.per_class),
                  "<h3>Confusions (predicted name differs from the true class)</h3>",
                  _table(report.confusions)]
    parts += [
        "<h2>Label quality</h2>", _table(report.quality),
        "<h2>Cost</h2>", _table(report.cost),
        "<h2>Vocabulary</h2>", _table(report.vocabulary),
        "<h2>Galleries (final label per image)</h2>",
    ]
    parts += [_gallery(label, items, cfg) for label, items in report.galleries.items()]
    parts.append("</body></html>")
    return "\n".join(parts)


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
