"""Classifier bundle round trip, relabel of new images only, `near relabel` / `near predict`."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from clip_fixtures import build_run, make_images, tiny_checkpoint

from near_cli.main import main as cli
from near_core.bundle import BundleError, load_bundle, save_bundle
from near_core.clip import TINY, load_clip, text_embeddings
from near_core.config import load_config
from near_core.ingest import ingest
from near_core.relabel import predict_files, relabel_run
from near_core.store import RunStore

NAMES = ["blue", "green", "red", "yellow"]


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory) -> Path:
    clip = load_clip(TINY, "", device="cpu", seed=3)
    vectors = text_embeddings(clip, NAMES, ["a {} square."])
    return save_bundle(
        tmp_path_factory.mktemp("b") / "bundle", model_name=TINY, weights_source="",
        visual=clip.model.visual, class_vectors=vectors, log_scale=torch.tensor(3.0),
        names=NAMES, label_ids=[10, 11, 12, 13], preprocess_cfg=clip.preprocess_cfg,
        center=torch.linspace(-0.05, 0.05, vectors.shape[1]),
    )


def test_bundle_round_trip_gives_identical_predictions(bundle_dir: Path, tmp_path: Path):
    images = [p for p, _ in make_images(tmp_path / "img", per_class=2)]
    first = load_bundle(bundle_dir, device="cpu")
    assert first.names == NAMES and first.label_ids == [10, 11, 12, 13]
    assert first.model_version.startswith(f"{TINY}-")
    before = predict_files(first, images, top_k=3)
    copy = save_bundle(
        tmp_path / "copy", model_name=TINY, weights_source="", visual=first.classifier.visual,
        class_vectors=first.classifier.head.weight, log_scale=first.classifier.head.log_scale,
        center=first.classifier.head.center, names=first.names, label_ids=first.label_ids, preprocess_cfg=first.preprocess_cfg,
    )
    second = load_bundle(copy, device="cpu")
    assert second.model_version == first.model_version  # same weights, same version
    assert predict_files(second, images, top_k=3) == before
    assert all(len(labels) == 3 and err is None for _, labels, _, err in before)


def test_bundle_errors(bundle_dir: Path, tmp_path: Path):
    with pytest.raises(BundleError, match="not found"):
        load_bundle(tmp_path / "nope")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    with pytest.raises(BundleError, match="missing visual.safetensors"):
        load_bundle(broken)


def test_relabel_processes_only_new_images(bundle_dir: Path, tmp_path: Path):
    store = RunStore(tmp_path / "run")
    make_images(tmp_path / "a", per_class=2)
    ingest(tmp_path / "a", store)
    bundle = load_bundle(bundle_dir, device="cpu")
    cfg = load_config(None, {"relabel.batch_size": 3, "relabel.top_k": 2,
                             "relabel.low_confidence": 0.9}).relabel
    first = relabel_run(store, bundle, config=cfg)
    assert (first.predicted, first.cached) == (8, 0)
    assert first.low_confidence == 8  # 4 classes of a random model: no score reaches 0.9
    again = relabel_run(store, bundle, config=cfg)
    assert (again.predicted, again.cached) == (0, 8)
    make_images(tmp_path / "b", per_class=1, seed=9)
    ingest(tmp_path / "b", store)
    third = relabel_run(store, bundle, config=cfg)
    assert (third.predicted, third.cached) == (4, 8)
    preds = store.read("predictions")
    assert preds.num_rows == 12
    row = preds.to_pylist()[0]
    assert row["model_version"] == bundle.model_version
    assert row["label"] == row["topk_labels"][0] and len(row["topk_scores"]) == 2
    assert row["score"] == pytest.approx(row["topk_scores"][0])
    assert row["low_confidence"] is True


def test_low_confidence_images_are_requeried_with_the_classifier_names(
    bundle_dir: Path, tmp_path: Path
):
    from near_core.testing.mllm_server import MLLMServer

    run = tmp_path / "run"
    make_images(tmp_path / "a", per_class=2)
    sets = ["--set", f"relabel.bundle={bundle_dir}", "--set", "clip.workers=0"]
    assert cli(["ingest", str(tmp_path / "a"), "--run", str(run)]) == 0
    with MLLMServer(model="m") as server:
        label = ["label", "--run", str(run), "--mllm-url", server.url, "--model", "m",
                 "--category", "colour", "--requery-low-confidence", *sets]
        assert cli(label) == 0  # nothing predicted yet: nothing to ask
        assert server.stats()["requests"] == 0
        assert cli(["relabel", "--run", str(run), "--set", "relabel.low_confidence=0.9",
                    *sets]) == 0
        assert cli(label) == 0
        assert server.stats()["requests"] == 8  # every image scored below 0.9
    answers = RunStore(run).read("answers").to_pylist()
    assert len(answers) == 8 and {a["label"] for a in answers} <= set(NAMES)


def test_cli_train_relabel_predict(tmp_path: Path, capsys):
    ckpt = tiny_checkpoint(tmp_path / "tiny.safetensors")
    run = tmp_path / "run"
    build_run(run, tmp_path / "images", ckpt, per_class=4)
    sets = ["--set", "train.workers=0", "--set", "train.lr=0.1", "--set", "clip.workers=0"]
    assert cli(["train", "--run", str(run), "--mode", "head", "--epochs", "4",
                "--batch-size", "8", *sets]) == 0
    bundle = run / "train" / "bundle"
    assert (bundle / "head.safetensors").is_file()
    new = make_images(tmp_path / "new", per_class=1, seed=4)
    capsys.readouterr()
    assert cli(["relabel", str(tmp_path / "new"), "--run", str(run), *sets]) == 0
    out = capsys.readouterr().out
    assert "20 images: 20 predicted" in out  # 16 training images + 4 new ones
    assert cli(["relabel", str(tmp_path / "new"), "--run", str(run), *sets]) == 0
    assert "0 predicted" in capsys.readouterr().out
    preds = RunStore(run).read("predictions")
    assert {"image_id", "label", "score"} <= set(preds.column_names)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"nope")
    code = cli(["predict", str(new[0][0]), str(broken), "--bundle", str(bundle), "--top-k", "2"])
    captured = capsys.readouterr()
    assert code == 1
    fields = captured.out.strip().split("\t")
    k = min(2, len(load_bundle(bundle, device="cpu").names))
    assert fields[0] == str(new[0][0]) and len(fields) == 1 + 2 * k and 0 <= float(fields[2]) <= 1
    assert f"{broken}\terror:" in captured.err
