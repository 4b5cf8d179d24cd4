"""What the report shows, read from a run directory: :func:`summarize` -> :class:`RunReport`.

:func:`summarize` reads a run directory's tables (images, answers, vocabulary, labels,
predictions, and the ``cost`` entry of ``run.json``) and returns a :class:`RunReport` of plain
rows: vocabulary, label quality, metrics (when ground truth is given), confusions, cost,
per-class galleries, the confidence of each label source, the vocabulary size through the
stages, and the optional inputs of :mod:`near_core.report.extras` (training curves, the in-run
validation slice, relabel discovery). Nothing here is HTML; every MLLM string stays as it came
and is escaped where it is rendered.

Memory: everything is linear in the images or the vocabulary; confusions are sparse pair counts
(never a names x names matrix), of which the chart shows the ``CONFUSION_K`` most confused classes.

Ground truth, optional: ``"folder"`` (each image's parent folder name is its class, CUB style:
a leading ``NNN.`` is dropped and underscores read as spaces, ``001.Tufted_Puffin`` -> ``Tufted
Puffin``) or a CSV file with a header and columns ``path,label`` (``path`` absolute, or a file name
matched against the images' file names).
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from near_core.config import ReportConfig
from near_core.errors import NearError
from near_core.ingest import current_images
from near_core.metrics import Encoder, MetricsError, evaluate, minilm_encoder
from near_core.mllm.parse import name_key
from near_core.report import extras
from near_core.store import RunStore

#: classes (rows) and names (columns) of the confusion chart at most
CONFUSION_K = 12
#: rows of the confusions table at most
CONFUSION_ROWS = 50


class ReportError(NearError):
    """The report cannot be built (e.g. a ground-truth file is unreadable)."""


@dataclass
class RunReport:
    """Everything the report shows, as plain rows (lists of dicts with str/int/float values).

    ``final``: image_id -> (label, source) where source is "clip", "refined" or "mllm".
    ``by_source``: metrics of each label source (MLLM, NeaR, CLIP) on the images it covers.
    ``galleries``: class label -> list of (image_id, path, score or None), best first.
    ``confusion``: the top-k confusion grid (:func:`confusion_grid`), with ground truth only.
    ``confidence``: label source -> the confidence of each image it labeled.
    ``vocab_stages``: rows ``{"stage", "names"}``, raw MLLM names to the trained classes.
    ``training``/``validation``/``discovery``/``notes``: see :mod:`near_core.report.extras`.
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
    confusion: dict[str, Any] | None = None
    confidence: dict[str, list[float]] = field(default_factory=dict)
    vocab_stages: list[dict[str, Any]] = field(default_factory=list)
    training: extras.TrainingCurves | None = None
    validation: dict[str, Any] | None = None
    discovery: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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
    votes: dict[str, list[str]], refined: dict[str, str | None], predicted: dict[str, Any],
    unused: set[str],
) -> list[dict[str, Any]]:
    """Agreement between MLLM samples, the MLLM's majority and the refined (neighbour +
    model) label (on the named images whose answers refine used: ``unused`` aside), and the
    refined label and the CLIP prediction."""
    multi = [v for v in votes.values() if len(v) > 1]
    maj = {i: _top_vote(v) for i, v in votes.items() if v and i not in unused}
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
    refined_conf = dict(
        zip(labels["image_id"].to_pylist(), labels["confidence"].to_pylist(), strict=True)
    )
    predicted = _latest_predictions(store)
    unused = _unused_answers(store, votes)

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
    state = store.state()
    report = RunReport(
        run_dir=str(store.root),
        counts=counts,
        vocabulary=vocabulary,
        quality=_quality_rows(votes, refined, predicted, unused),
        cost=_cost_rows(answers, state, counts["clip_predicted"]),
        confusions=[],
        final=final,
        confidence=_confidence(final, votes, refined_conf, predicted),
    )
    trained = extras.trained_names(state)
    report.vocab_stages = [
        {"stage": "raw MLLM names", "names": len({n for v in votes.values() for n in v})},
        {"stage": "canonical (vocabulary)", "names": vocab.num_rows},
        {"stage": "refined labels", "names": len({v for v in refined.values() if v})},
        {"stage": "trained classes", "names": trained.names},
        {"stage": "final labels (all images)", "names": len(per_label)},
    ]
    report.training = extras.training_curves(store.root, state)
    report.validation, validation_notes = extras.validation(store.root)
    report.discovery, discovery_notes = extras.discovery(store.root, all_images,
                                                         cfg.thumbs_per_class)
    report.notes = [*trained.notes, *(report.training.notes if report.training else []),
                    *validation_notes, *discovery_notes]
    if truth is not None:
        true = load_truth(images, truth)
        _add_metrics(report, true, cfg, encoder,
                     views=_views(votes, refined, predicted, unused))
        report.vocab_stages.append({"stage": "ground-truth classes",
                                    "names": len(set(true.values()))})
    report.galleries = _galleries(final, predicted, paths, cfg)
    return report


def _top_vote(names: list[str]) -> str:
    return Counter(names).most_common(1)[0][0]


#: the label sources of ``RunReport.final``, as the report names them
SOURCES = {"refined": "NeaR refined", "clip": "CLIP classifier", "mllm": "MLLM vote"}


def _confidence(
    final: dict[str, tuple[str | None, str]],
    votes: dict[str, list[str]],
    refined_conf: dict[str, float | None],
    predicted: dict[str, tuple[str | None, float | None]],
) -> dict[str, list[float]]:
    """Label source -> confidence of each image whose final label it gave: the model's
    probability of the refined label, the CLIP score, or the MLLM samples' majority share."""
    out: dict[str, list[float]] = defaultdict(list)
    for iid, (label, source) in final.items():
        if label is None:
            continue
        if source == "refined":
            value = refined_conf.get(iid)
        elif source == "clip":
            value = predicted[iid][1]
        else:
            value = votes[iid].count(label) / len(votes[iid])
        if value is not None:
            out[SOURCES[source]].append(float(value))
    return dict(out)


#: the label sources :func:`_views` compares (``RunReport.by_source`` rows' ``labels``)
MLLM_VIEW = "MLLM top answer (named images, validation slice aside)"
REFINED_VIEW = "NeaR refined labels (same images)"
HELD_OUT_VIEW = "NeaR labels (validation slice: named, refine did not learn from it)"
UNSEEN_VIEW = "CLIP classifier (images the MLLM never saw)"


def _unused_answers(store: RunStore, votes: dict[str, list[str]]) -> set[str]:
    """The named images whose answers the refine stage left out: training's validation slice
    (:func:`near_core.train.data.held_out_ids`), and answers without a usable name. Their
    ``labels`` row is the prototype classifier's, told the slice's own answers by the strength
    refine found (``withheld_answers`` of :func:`near_core.near.refine_labels`); they are the
    named images with an empty ``candidates`` row (none without that table)."""
    cands = store.read("candidates", columns=["image_id", "weights"])
    empty = pc.equal(pc.fill_null(pc.list_value_length(cands["weights"]), 0), 0)
    return {i for i in cands.filter(empty)["image_id"].to_pylist() if i in votes}


def _views(
    votes: dict[str, list[str]],
    refined: dict[str, str | None],
    predicted: dict[str, tuple[str | None, float | None]],
    unused: set[str],
) -> list[tuple[str, dict[str, str | None]]]:
    """The label sources the metrics compare, each as ``(what, image_id -> label)``. The MLLM,
    refined and CLIP (same images) views cover the named images whose answers refine used
    (``unused``, :func:`_unused_answers`, aside: refine did not learn from their answers and
    labels them by its classifier and those answers, so they get a row of their own)."""
    clip = {i: p[0] for i, p in predicted.items()}
    used = [i for i in votes if i not in unused]
    return [
        (MLLM_VIEW, {i: _top_vote(votes[i]) for i in used}),
        (REFINED_VIEW, {i: refined.get(i) for i in used}),
        ("CLIP classifier (same images)", {i: clip[i] for i in used if i in clip}),
        (HELD_OUT_VIEW, {i: refined.get(i) for i in votes if i in unused}),
        (UNSEEN_VIEW, {i: lab for i, lab in clip.items() if i not in votes}),
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
    result = _evaluate(pred, gold, encoder)
    report.per_class = result.pop("per_class")
    report.metrics = result | {"sacc_encoder": encoder_name}
    for what, labels in views:
        view_ids = [i for i in labels if i in true]
        if view_ids:
            m = _evaluate([labels[i] for i in view_ids], [true[i] for i in view_ids], encoder)
            report.by_source.append({"labels": what, "images": len(view_ids),
                                     "cACC": round(m["cacc"], 4), "sACC": round(m["sacc"], 4),
                                     "names": m["vocab_size"]})
    pairs = Counter((g, p) for g, p in zip(gold, pred, strict=True))
    report.confusions = [
        {"true": g, "predicted": p if p is not None else "(none)", "images": n}
        for (g, p), n in pairs.most_common()
        if p is None or name_key(p) != name_key(g)
    ][:CONFUSION_ROWS]
    report.confusion = confusion_grid(pairs, k=CONFUSION_K)


def _evaluate(pred: list[str | None], gold: list[str], encoder: Encoder | None) -> dict[str, Any]:
    """:func:`evaluate`; without a sentence encoder sACC is exact-name accuracy (a None
    prediction scores 0), computed from name keys in O(N), not from one-hot name vectors."""
    if encoder is not None:
        return evaluate(pred, gold, encoder=encoder)
    result = evaluate(pred, gold, encoder=_constant_encoder)
    hits = sum(p is not None and name_key(p) == name_key(g) for p, g in zip(pred, gold, strict=True))
    result["sacc"] = hits / len(gold) if gold else 0.0
    return result


def _constant_encoder(names: list[str]) -> Any:
    """(M, 1) ones: a placeholder whose sACC :func:`_evaluate` replaces (cheap to compute)."""
    import numpy as np

    return np.ones((len(names), 1), dtype=np.float32)


def confusion_grid(pairs: Counter, *, k: int = CONFUSION_K) -> dict[str, Any] | None:
    """The ``k`` most confused true classes (rows) by the names they were given (columns).

    ``pairs``: sparse counts ``(true, predicted or None) -> images``. Rows: the classes with
    the most images given another name (ties by name); columns: each row's own name first
    (when it was predicted), then the other names most given to those rows, ``k`` in all, then
    "(other names)" for the rest of each row. Returns ``{"rows", "cols", "counts" (rows x
    cols), "row_totals", "classes"}`` or None without any confusion. Memory O(pairs + k^2).
    """
    errors: Counter = Counter()
    totals: Counter = Counter()
    for (g, p), n in pairs.items():
        totals[g] += n
        if p is None or name_key(p) != name_key(g):
            errors[g] += n
    if not errors:
        return None
    rows = [g for g, _ in sorted(errors.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]
    row_set = set(rows)
    given: Counter = Counter()
    own: dict[str, str] = {}
    for (g, p), n in pairs.items():
        if g not in row_set:
            continue
        col = p if p is not None else "(none)"
        given[col] += n
        if p is not None and name_key(p) == name_key(g):
            own.setdefault(g, p)
    cols = [own[g] for g in rows if g in own]
    cols += [c for c, _ in sorted(given.items(), key=lambda kv: (-kv[1], kv[0]))
             if c not in cols][: max(k - len(cols), 0)]
    cols = cols[:k]
    index = {c: j for j, c in enumerate(cols)}
    counts = [[0] * (len(cols) + 1) for _ in rows]
    row_index = {g: i for i, g in enumerate(rows)}
    for (g, p), n in pairs.items():
        i = row_index.get(g)
        if i is None:
            continue
        j = index.get(p if p is not None else "(none)", len(cols))
        counts[i][j] += n
    if any(r[-1] for r in counts):
        cols = [*cols, "(other names)"]
    else:
        counts = [r[:-1] for r in counts]
    return {"rows": rows, "cols": cols, "counts": counts,
            "row_totals": [totals[g] for g in rows], "classes": len(totals)}


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


