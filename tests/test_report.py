"""HTML report: tables from a run directory, escaping of MLLM text, self-contained page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from near_core.config import ReportConfig
from near_core.ingest import current_images, ingest
from near_core.report import ReportError, load_truth, render_html, summarize, write_report
from near_core.store import RunStore
from near_core.testing.synthetic import make_dataset

EVIL = '<script>alert("x")</script><img src=http://evil.example/x.png>'
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
        "MLLM top answer (images the MLLM named)": (5, pytest.approx(0.8)),
        "NeaR refined labels (same images)": (5, 1.0),
        "CLIP classifier (same images)": (5, 1.0),
        "CLIP classifier (images the MLLM never saw)": (1, 0.0),
    }
    assert report.confusions == [{"true": truth[-1], "predicted": report.final[ids[-1]][0],
                                  "images": 1}]
    assert sum(len(v) for v in report.galleries.values()) == 6


def test_html_escapes_mllm_text_and_is_self_contained(run_with_tables):
    store, _, _ = run_with_tables
    path, _ = write_report(store, config=NO_SACC, truth="folder")
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<img src=http://evil" not in page
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
