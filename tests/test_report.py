"""HTML report: tables from a run directory, charts, escaping of MLLM text, self-contained page."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import tracemalloc
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from near_core.config import ReportConfig
from near_core.ingest import current_images, ingest
from near_core.report import (
    ReportError,
    build_charts,
    load_truth,
    render_html,
    summarize,
    write_report,
)
from near_core.report.summary import CONFUSION_K, _evaluate, confusion_grid
from near_core.store import RunStore
from near_core.testing.synthetic import make_dataset
from tests.report_fixtures import EVIL, EVIL_ESCAPED_TEXT, fabricate_run

NO_SACC = ReportConfig(sacc=False, thumbs_per_class=3)


@pytest.fixture
def run_with_tables(tmp_path: Path, run_dir: Path) -> tuple[RunStore, list[str], list[str]]:
    """6 images of 2 classes; MLLM answers for 5 (one with markup), refined labels for all,
    CLIP predictions for all (wrong for the last image, the one the MLLM never saw)."""
    make_dataset(tmp_path / "imgs", n_classes=2, per_class=3, seed=1, size=32)
    store = RunStore(run_dir)
    ingest(tmp_path / "imgs", store)
    images = current_images(store).sort_by("path")
    ids = images["image_id"].to_pylist()
    truth = [p.split("/")[-2].split(".", 1)[1].replace("_", " ") for p in images["path"].to_pylist()]
    now = datetime.now(UTC)
    answers = []
    for i, (iid, t) in enumerate(zip(ids[:-1], truth, strict=False)):  # the last: CLIP only
        label = EVIL if i == 0 else t
        answers.append({"image_id": iid, "model": "m", "prompt_version": "v1", "params_hash": "h",
                        "sample_idx": 0, "status": "ok", "raw_text": label, "label": label,
                        "latency_s": 0.5, "prompt_tokens": 100, "completion_tokens": 10,
                        "created_at": now})
    store.append("answers", answers)
    names = sorted(set(truth))
    store.write("vocabulary", store.conform("vocabulary", [
        {"label_id": k, "name": n, "aliases": [n.lower()], "count": 3} for k, n in enumerate(names)
    ] + [{"label_id": 2, "name": EVIL, "aliases": [EVIL], "count": 1}]))
    store.write("labels", store.conform("labels", [
        {"image_id": iid, "label_id": names.index(t), "label": t, "confidence": 0.9,
         "clean_prob": 0.8} for iid, t in zip(ids, truth, strict=True)
    ]))
    # CLIP predicts the truth except for the last image, which it calls the other class
    preds = [t if i < len(ids) - 1 else next(n for n in names if n != t)
             for i, t in enumerate(truth)]
    store.append("predictions", [
        {"image_id": iid, "model_version": "v", "label": p, "score": 0.8,
         "topk_labels": [p], "topk_scores": [0.8], "low_confidence": False, "created_at": now}
        for iid, p in zip(ids, preds, strict=True)
    ])
    store.update_state(cost={"relabel": {"seconds": 0.06, "images": 6}})
    return store, ids, truth


def test_summary_tables(run_with_tables):
    store, ids, truth = run_with_tables
    report = summarize(store, config=NO_SACC, truth="folder")
    assert report.counts["images_ok"] == 6
    assert report.counts["mllm_labeled"] == 5
    assert report.counts["clip_predicted"] == 1  # the MLLM-named images keep their NeaR label
    assert {r["label"] for r in report.vocabulary} >= set(truth)
    quality = {r["check"]: r for r in report.quality}
    assert quality["MLLM majority = refined label (neighbours + model)"]["rate"] == pytest.approx(4 / 5, abs=1e-3)
    assert quality["refined label = CLIP prediction"]["rate"] == pytest.approx(5 / 6, abs=1e-3)
    cost = {r["stage"]: r for r in report.cost}
    assert cost["MLLM labeling"]["requests"] == 5
    assert cost["MLLM labeling"]["tokens"] == 550
    assert cost["MLLM labeling"]["seconds_per_image"] == pytest.approx(0.5)
    assert cost["ratio CLIP / MLLM per image"]["seconds_per_image"] == pytest.approx(0.02)
    assert report.metrics["cacc"] == pytest.approx(5 / 6)
    assert report.metrics["sacc_encoder"] == "exact name match"
    # sACC with the exact-name encoder is name accuracy (cACC would forgive a lone wrong name)
    by_source = {r["labels"]: (r["images"], r["sACC"]) for r in report.by_source}
    assert by_source == {
        "MLLM top answer (named images, validation slice aside)": (5, pytest.approx(0.8)),
        "NeaR refined labels (same images)": (5, 1.0),
        "CLIP classifier (same images)": (5, 1.0),
        "CLIP classifier (images the MLLM never saw)": (1, 0.0),
    }
    assert report.confusions == [{"true": truth[-1], "predicted": report.final[ids[-1]][0],
                                  "images": 1}]
    assert sum(len(v) for v in report.galleries.values()) == 6


def test_named_images_refine_did_not_see_are_not_scored_against_their_answers(run_with_tables):
    """Training's validation slice: named, but refine did not learn from its answers (empty
    candidate row). The MLLM / refined / CLIP (same images) rows compare the other named
    images; the slice has its own row (its label is refine's classifier told the answers, not a
    refined label, and must not read as refinement agreeing with or losing to the MLLM)."""
    store, ids, truth = run_with_tables
    names = sorted(set(truth))
    other = next(n for n in names if n != truth[1])
    store.write("candidates", [
        {"image_id": iid, "label_ids": [] if k == 1 else [names.index(t)],
         "weights": [] if k == 1 else [1.0]}
        for k, (iid, t) in enumerate(zip(ids, truth, strict=True))])
    store.write("labels", [
        {"image_id": iid, "label_id": names.index(lab), "label": lab, "confidence": 0.9,
         "clean_prob": 0.8}
        for iid, lab in zip(ids, [other if k == 1 else t for k, t in enumerate(truth)],
                            strict=True)])
    report = summarize(store, config=NO_SACC, truth="folder")
    by_source = {r["labels"]: (r["images"], r["sACC"]) for r in report.by_source}
    assert by_source == {
        "MLLM top answer (named images, validation slice aside)": (4, pytest.approx(0.75)),
        "NeaR refined labels (same images)": (4, 1.0),
        "CLIP classifier (same images)": (4, 1.0),
        "NeaR labels (validation slice: named, refine did not learn from it)": (1, 0.0),
        "CLIP classifier (images the MLLM never saw)": (1, 0.0),
    }
    quality = {r["check"]: r for r in report.quality}
    assert quality["MLLM majority = refined label (neighbours + model)"] == {
        "check": "MLLM majority = refined label (neighbours + model)", "images": 4,
        "rate": 0.75}


def test_html_escapes_mllm_text_and_is_self_contained(run_with_tables):
    store, _, _ = run_with_tables
    path, _ = write_report(store, config=NO_SACC, truth="folder")
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert EVIL_ESCAPED_TEXT in page
    assert "<img src=x" not in page
    # every resource is inline: images are data URIs, nothing is fetched
    srcs = re.findall(r'src="([^"]*)"', page)
    assert len(srcs) >= 2 and all(s.startswith("data:image/jpeg;base64,") for s in srcs)
    assert not re.search(r'(href|src)="https?:', page)
    assert "Content-Security-Policy" in page


def test_report_without_later_stages(tmp_path, run_dir):
    """Only ingested images: the page still renders, nothing is labeled."""
    make_dataset(tmp_path / "imgs", n_classes=1, per_class=2, seed=0, size=32)
    store = RunStore(run_dir)
    ingest(tmp_path / "imgs", store)
    report = summarize(store, config=NO_SACC)
    assert report.counts["unlabeled"] == 2 and report.metrics is None
    assert "NeaR run report" in render_html(report)


def test_truth_csv(tmp_path, run_with_tables):
    store, ids, truth = run_with_tables
    images = current_images(store).sort_by("path")
    csv = tmp_path / "truth.csv"
    csv.write_text("path,label\n" + "".join(
        f"{Path(p).name},{t}\n" for p, t in zip(images["path"].to_pylist(), truth, strict=True)))
    assert load_truth(images, str(csv)) == dict(zip(ids, truth, strict=True))
    bad = tmp_path / "bad.csv"
    bad.write_text("file,class\nx.jpg,a\n")
    with pytest.raises(ReportError, match="bad.csv.*'path' and 'label'"):
        load_truth(images, str(bad))


def test_near_report_cli(run_with_tables, tmp_path, capsys):
    from near_cli.main import main

    store, _, _ = run_with_tables
    assert main(["report", "--run", str(store.root), "--truth", "folder",
                 "--set", "report.sacc=false"]) == 0
    out = capsys.readouterr().out
    assert "cACC 0.833" in out and str(store.root / "report.html") in out
    assert main(["report", "--run", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err


# -- charts and optional inputs --------------------------------------------------------------
@pytest.fixture(scope="module")
def rich_run(tmp_path_factory) -> tuple[RunStore, list[str], list[str]]:
    """8 classes x 10 images with every table and optional file (tests/report_fixtures.py)."""
    return fabricate_run(tmp_path_factory.mktemp("rich"))


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.S)


def test_report_with_truth_has_charts(rich_run):
    store, _, _ = rich_run
    path, report = write_report(store, config=NO_SACC, truth="folder")
    page = path.read_text(encoding="utf-8")
    svgs = _svgs(page)
    assert len(svgs) >= 3
    assert set(build_charts(report)) == {
        "vocab_stages", "cost", "confidence", "confusion", "per_class", "training_loss",
        "training_targets", "validation", "discovery"}
    for svg in svgs:  # every chart: a title, axis labels, well-formed XML
        root = ET.fromstring(svg)
        assert root.find("{http://www.w3.org/2000/svg}title").text
        assert len(root.findall(".//{http://www.w3.org/2000/svg}text")) >= 3
    stages = {r["stage"]: r["names"] for r in report.vocab_stages}
    assert stages["canonical (vocabulary)"] == 9 and stages["trained classes"] == 7
    assert stages["ground-truth classes"] == 8
    assert stages["raw MLLM names"] > stages["canonical (vocabulary)"]  # lower-case variants
    assert [r["epoch"] for r in report.training.rows] == list(range(1, 11))
    assert set(report.confidence) == {"NeaR refined", "CLIP classifier"}
    assert len(report.confidence["CLIP classifier"]) == report.counts["clip_predicted"]
    validation = next(s for s in svgs if "Validation slice" in s)
    assert "chance (most common label)" in validation  # the bar every stage must clear
    assert list(report.validation["stages"]) == ["raw_prototypes", "refined", "knn", "trained"]
    assert "The classifier bundle keeps <code>refined</code>." in page


def test_report_without_truth_still_has_charts(rich_run):
    store, _, _ = rich_run
    report = summarize(store, config=NO_SACC)
    charts = build_charts(report)
    assert {"confusion", "per_class"}.isdisjoint(charts)
    assert {"vocab_stages", "cost", "confidence"} <= set(charts)


def test_hostile_mllm_answer_is_escaped_everywhere(rich_run):
    store, _, _ = rich_run
    path, report = write_report(store, config=NO_SACC, truth="folder")
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert '"><img' not in page and "<img src=x" not in page
    assert not re.search(r"<[a-z]+[^>]*\sonerror=", page)
    # it is shown, escaped: banner, confusions table, discovery, galleries and SVG text
    assert page.count(EVIL_ESCAPED_TEXT) >= 5
    assert re.search(r'class="banner"[^>]*>Validation flag: trained below refined: '
                     + re.escape(EVIL_ESCAPED_TEXT), page)
    confusion = next(s for s in _svgs(page) if "Most confused classes" in s)
    assert EVIL_ESCAPED_TEXT in confusion
    texts = [t.text or "" for t in ET.fromstring(confusion).iter("{http://www.w3.org/2000/svg}text")]
    assert any(t.startswith("<script>alert(1)") for t in texts)  # parsed back: plain text
    assert EVIL in {r["predicted"] for r in report.confusions}


def test_page_csp_is_strict(rich_run):
    store, _, _ = rich_run
    path, _ = write_report(store, config=NO_SACC, truth="folder")
    page = path.read_text(encoding="utf-8")
    policy = html.unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    css = re.search(r"<style>(.*?)</style>", page, flags=re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert policy == f"default-src 'none'; img-src data:; style-src 'sha256-{digest}'"
    assert page.count("<style") == 1 and " style=" not in page  # hashes do not cover attributes
    assert not re.search(r'(href|src)="(?!data:|#)', page)


def test_optional_files_malformed_become_notes(tmp_path):
    store, _, _ = fabricate_run(tmp_path, n_classes=2, per_class=3)
    (store.root / "validation.json").write_text(json.dumps({"schema": 1, "stages": {"x": 7}}))
    (store.root / "discovery" / "02-bad.json").write_text(json.dumps({"schema": 1}))
    (store.root / "discovery" / "03-broken.json").write_text("{")
    (store.root / "train" / "t1" / "metrics.csv").write_text("step,loss\n1,0.5\n")
    report = summarize(store, config=NO_SACC)
    notes = "\n".join(report.notes)
    assert "validation.json: field 'stages'" in notes
    assert "02-bad.json: field 'classes_added'" in notes and "03-broken.json: cannot read" in notes
    assert "metrics.csv: no 'epoch' column" in notes
    assert report.validation is None and len(report.discovery) == 2
    (store.root / "validation.json").write_text(json.dumps(
        {"schema": 1, "stages": {"trained": 0.5}, "chance": "high"}))
    notes = "\n".join(summarize(store, config=NO_SACC).notes)
    assert "validation.json: field 'chance' must be a rate" in notes
    (store.root / "validation.json").write_text(json.dumps(
        {"schema": 1, "stages": {"trained": 0.5}, "chosen": "knn"}))
    notes = "\n".join(summarize(store, config=NO_SACC).notes)
    assert "validation.json: field 'chosen' must name one of the stages" in notes
    page = render_html(report, config=NO_SACC)
    assert 'class="warn"' in page and "Validation flag" not in page
    assert 'id="training"' in page and "training_loss" not in build_charts(report)


def test_run_without_optional_files(tmp_path):
    store, _, _ = fabricate_run(tmp_path, n_classes=2, per_class=3, optional_files=False)
    report = summarize(store, config=NO_SACC, truth="folder")
    assert report.training is None and report.validation is None and report.discovery == []
    assert {r["stage"]: r["names"] for r in report.vocab_stages}["trained classes"] is None
    page = render_html(report, config=NO_SACC)
    assert 'id="validation"' not in page and 'id="discovery"' not in page
    assert len(_svgs(page)) >= 3


def test_confusion_chart_is_top_k_of_sparse_counts():
    """A 2,000-name vocabulary: the grid is k x (k+1) and no names x names array is built."""
    names = [f"species {i}" for i in range(2000)]
    pairs = Counter()
    for i, n in enumerate(names):
        pairs[(n, n)] += 5
        pairs[(n, names[(i + 1) % 2000])] += 1 + (i % 7 == 0) * 3
        if i % 50 == 0:
            pairs[(n, None)] += 1
    tracemalloc.start()
    grid = confusion_grid(pairs, k=CONFUSION_K)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2_000_000  # a dense 2,000 x 2,000 int64 matrix would be 32 MB
    assert len(grid["rows"]) == CONFUSION_K and len(grid["cols"]) <= CONFUSION_K + 1
    assert grid["classes"] == 2000
    # rows: most errors first (4 + the None); each row's own name among the columns
    assert grid["rows"][0] == "species 0"
    assert grid["cols"][0] == "species 0" and grid["cols"][-1] == "(other names)"
    for i, row in enumerate(grid["rows"]):
        assert sum(grid["counts"][i]) == grid["row_totals"][i]
        assert grid["counts"][i][grid["cols"].index(row)] == 5
    assert confusion_grid(Counter({("a", "A"): 3})) is None  # same name key: no confusion


def test_exact_name_sacc_without_name_vectors():
    pred = ["Tufted puffin", "Horned Puffin", None, "x"]
    gold = ["Tufted Puffin", "Tufted Puffin", "Horned Puffin", "x"]
    result = _evaluate(pred, gold, None)
    assert result["sacc"] == pytest.approx(0.5)
    assert result["cacc"] == pytest.approx(0.5)  # None never matches


def test_report_task_artifacts_show_the_same_charts(rich_run, monkeypatch):
    """The Prefect artifacts: summary numbers, a link to the page, and the page's own SVGs."""
    import tasks.report as task_module
    from near_core.config import NearConfig

    made: dict[str, tuple[str, Any]] = {}

    def record(kind):
        def create(data, *args, key, **kwargs):
            made[key] = (kind, data)
        return create

    for kind in ("markdown", "link", "table"):
        monkeypatch.setattr(task_module, f"create_{kind}_artifact", record(kind))
    store, _, _ = rich_run
    cfg = NearConfig(report=NO_SACC)
    result = task_module.report_task.fn(str(store.root), cfg, "folder")
    prefix = task_module.artifact_prefix(str(store.root))
    assert {k.removeprefix(prefix + "-") for k in made} == {
        "summary", "report", "charts", "vocabulary", "label-quality", "cost", "metrics",
        "metrics-by-source"}
    assert made[f"{prefix}-report"] == ("link", (store.root / "report.html").resolve().as_uri())
    summary = made[f"{prefix}-summary"][1]
    assert f"| cacc | {result['metrics']['cacc']:.4f} |" in summary
    charts_md = made[f"{prefix}-charts"][1]
    page = Path(result["path"]).read_text(encoding="utf-8")
    embedded = [base64.b64decode(u).decode()
                for u in re.findall(r"\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", charts_md)]
    assert len(embedded) == 9 and sorted(embedded) == sorted(_svgs(page))  # the same figures
