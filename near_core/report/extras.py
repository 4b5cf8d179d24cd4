"""Optional report inputs, each read only when its file exists in the run directory.

* training curves: ``metrics.csv`` of the training run (beside the bundle named in ``run.json``
  ``train.bundle``, else the newest ``RUN/train/**/metrics.csv``), one row per epoch;
* the trained classes: ``vocabulary.json`` of that bundle;
* ``RUN/validation.json``: the in-run validation slice, agreement with the MLLM on held-out
  named images per stage, ``{"schema": 1, "images", "seed", "stages": {"raw_prototypes",
  "refined", "knn", "trained"} (in that order, the order the report shows), "chosen": the
  stage the bundle keeps, "chance": rate | null (always naming the slice's most common label;
  both absent in files of older runs), "flag": str | null}``;
* ``RUN/discovery/*.json``: one file per bundle version that relabel discovery added classes
  to, ``{"schema": 1, "parent_version", "model_version", "classes_added": [str],
  "mllm_requests", "images", "before": {"known_accuracy"}, "after": {"known_accuracy"},
  "examples": {class: [image_id, ...]}}``.

A file that is present but malformed does not stop the report: each reader returns the problem
as a note naming the file and the field, and the page shows the notes.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from near_core.config import TrainConfig, train_out

VALIDATION_FILE = "validation.json"
DISCOVERY_DIR = "discovery"


@dataclass
class TrainingCurves:
    """``rows``: one dict per epoch, numeric columns of metrics.csv as floats (None if blank)."""

    path: str
    rows: list[dict[str, float | None]]
    notes: list[str] = field(default_factory=list)


@dataclass
class TrainedNames:
    """``names``: classes of the trained bundle (None: no bundle recorded)."""

    names: int | None
    notes: list[str] = field(default_factory=list)


def _bundle_dir(state: dict[str, Any]) -> Path | None:
    bundle = (state.get("train") or {}).get("bundle")
    return Path(bundle) if bundle else None


def trained_names(state: dict[str, Any]) -> TrainedNames:
    """Number of classes in the bundle ``run.json`` names (``train.bundle``)."""
    bundle = _bundle_dir(state)
    if bundle is None:
        return TrainedNames(None)
    from near_core.bundle import BundleError, read_bundle_info

    try:
        _, vocab = read_bundle_info(bundle)
    except BundleError as exc:
        return TrainedNames(None, [f"trained classes unknown: {exc}"])
    return TrainedNames(len(vocab))


def _float(v: str | None) -> float | None:
    try:
        x = float(v) if v not in (None, "") else None
    except ValueError:
        return None
    return x if x is None or math.isfinite(x) else None


def training_curves(run_dir: Path, state: dict[str, Any]) -> TrainingCurves | None:
    """The epochs of the run's training ``metrics.csv``: the bundle's folder's, else the newest
    under the default training folder (:func:`near_core.config.train_out`); None when none."""
    bundle = _bundle_dir(state)
    path = bundle.parent / "metrics.csv" if bundle is not None else None
    if path is None or not path.is_file():
        found = sorted(train_out(run_dir, TrainConfig()).glob("**/metrics.csv"),
                       key=lambda p: p.stat().st_mtime)
        path = found[-1] if found else None
    if path is None:
        return None
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return TrainingCurves(str(path), [], [f"{path}: cannot read ({exc})"])
    if rows and "epoch" not in rows[0]:
        return TrainingCurves(str(path), [], [f"{path}: no 'epoch' column"])
    return TrainingCurves(str(path), [{k: _float(v) for k, v in r.items()} for r in rows])


def _read_json(path: Path) -> tuple[Any, str | None]:
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"{path}: cannot read ({exc})"


def _rate(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and 0.0 <= float(value) <= 1.0)


def validation(run_dir: Path) -> tuple[dict[str, Any] | None, list[str]]:
    """``RUN/validation.json`` checked, or None; and the notes on what is wrong with it."""
    path = run_dir / VALIDATION_FILE
    if not path.is_file():
        return None, []
    data, err = _read_json(path)
    if err:
        return None, [err]
    if not isinstance(data, dict) or data.get("schema") != 1:
        return None, [f"{path}: expected an object with \"schema\": 1"]
    stages = data.get("stages")
    if not isinstance(stages, dict) or not all(_rate(v) for v in stages.values()):
        return None, [f"{path}: field 'stages' must map stage names to rates in [0, 1]"]
    flag = data.get("flag")
    if flag is not None and not isinstance(flag, str):
        return None, [f"{path}: field 'flag' must be a string or null"]
    chance = data.get("chance")
    if not _rate(chance):
        return None, [f"{path}: field 'chance' must be a rate in [0, 1] or null"]
    chosen = data.get("chosen")
    if chosen is not None and chosen not in stages:
        return None, [f"{path}: field 'chosen' must name one of the stages or be null"]
    return {"images": data.get("images"), "seed": data.get("seed"), "flag": flag,
            "chance": chance, "chosen": chosen, "stages": dict(stages)}, []


def discovery(
    run_dir: Path, images: pa.Table, thumbs: int
) -> tuple[list[dict[str, Any]], list[str]]:
    """Each ``RUN/discovery/*.json`` (sorted by file name), with ``examples`` resolved to
    ``[(image_id, path or None)]`` (at most ``thumbs`` per class) through ``images``."""
    folder = run_dir / DISCOVERY_DIR
    if not folder.is_dir():
        return [], []
    paths = dict(zip(images["image_id"].to_pylist(), images["path"].to_pylist(), strict=True))
    out, notes = [], []
    for path in sorted(folder.glob("*.json")):
        data, err = _read_json(path)
        if err:
            notes.append(err)
            continue
        problem = _discovery_problem(data)
        if problem:
            notes.append(f"{path}: {problem}")
            continue
        examples = {
            name: [(iid, paths.get(iid)) for iid in ids[:thumbs]]
            for name, ids in (data.get("examples") or {}).items()
        }
        out.append({
            "file": path.name,
            "parent_version": data.get("parent_version"),
            "model_version": data.get("model_version"),
            "classes_added": list(data["classes_added"]),
            "mllm_requests": data.get("mllm_requests"),
            "images": data.get("images"),
            "before": (data.get("before") or {}).get("known_accuracy"),
            "after": (data.get("after") or {}).get("known_accuracy"),
            "examples": examples,
        })
    return out, notes


def _discovery_problem(data: Any) -> str | None:
    if not isinstance(data, dict) or data.get("schema") != 1:
        return "expected an object with \"schema\": 1"
    added = data.get("classes_added")
    if not isinstance(added, list) or not all(isinstance(c, str) for c in added):
        return "field 'classes_added' must be a list of class names"
    examples = data.get("examples") or {}
    if not isinstance(examples, dict) or not all(
        isinstance(v, list) and all(isinstance(i, str) for i in v) for v in examples.values()
    ):
        return "field 'examples' must map class names to lists of image ids"
    for side in ("before", "after"):
        value = (data.get(side) or {}).get("known_accuracy") if isinstance(
            data.get(side) or {}, dict) else "bad"
        if not _rate(value):
            return f"field '{side}.known_accuracy' must be a rate in [0, 1] or null"
    return None
