"""The refine stage and `near refine` on a run directory built with RunStore."""

from __future__ import annotations

import numpy as np
import pytest
from refine_data import sibling_classes

from near_cli.main import main
from near_core.config import NearConfig, RefineConfig, load_config
from near_core.refine import RefineStageError, refine_run
from near_core.store import RunStore
from near_core.train.data import held_out_ids


def _answers_rows(answers: list[list[str]], ids: list[str]) -> list[dict]:
    rows = []
    for iid, names in zip(ids, answers, strict=True):
        for s, name in enumerate(names):
            rows.append({"image_id": iid, "model": "m", "prompt_version": "v1",
                         "params_hash": "h", "sample_idx": s, "status": "ok", "label": name,
                         "candidates": [name]})
    return rows


def _build_run(run_dir, *, with_answers: bool = True, with_embeddings: bool = True):
    answers, x, truth = sibling_classes(per_class=20, seed=0)
    ids = [f"img{i:04d}" for i in range(len(answers))]
    store = RunStore(run_dir)
    if with_answers:
        rows = _answers_rows(answers, ids)
        # a failed row and an ok row with only candidates, both for image 0
        rows.append(rows[0] | {"sample_idx": 1, "status": "failed", "label": None,
                               "candidates": None, "error": "timeout"})
        rows.append(rows[0] | {"sample_idx": 2, "label": None})
        store.append("answers", rows[: len(rows) // 2])
        store.append("answers", rows[len(rows) // 2 :])
    if with_embeddings:
        store.append("embeddings", [{"image_id": i, "encoder": "clip-x", "embedding": v.tolist()}
                                    for i, v in zip(ids, x, strict=True)])
    return store, ids, truth


@pytest.mark.parametrize("seed", range(4))
def test_validation_slice_never_takes_a_name_out_of_training(run_dir, seed):
    names = ["Rare Auk"] * 2 + ["Odd Tern"] * 3 + ["Common Loon"] * 25
    ids = [f"img{i:04d}" for i in range(len(names))]
    store = RunStore(run_dir)
    store.append("answers", _answers_rows([[n] for n in names], ids))
    cfg = NearConfig.model_validate({"train": {"validation_fraction": 0.5, "seed": seed}})
    held = held_out_ids(store, cfg)
    assert held
    for name in set(names):
        kept = [i for i, n in zip(ids, names, strict=True) if n == name and i not in held]
        assert len(kept) >= min(2, names.count(name)), name


def test_near_refine_cli_writes_three_tables(run_dir, capsys):
    store, ids, truth = _build_run(run_dir)
    assert main(["refine", "--run", str(run_dir)]) == 0
    assert "refine:" in capsys.readouterr().out
    vocab = store.read("vocabulary").to_pylist()
    assert {v["name"] for v in vocab} == {"Tufted Puffin", "Horned Puffin", "Common Loon",
                                          "Pacific Loon"}
    labels = {r["image_id"]: r for r in store.read("labels").to_pylist()}
    assert set(labels) == set(ids)
    acc = np.mean([labels[i]["label"] == t for i, t in zip(ids, truth, strict=True)])
    assert acc >= 0.95
    assert all(vocab[labels[i]["label_id"]]["name"] == labels[i]["label"] for i in ids)
    cands = store.read("candidates").to_pylist()
    assert len(cands) == len(ids)
    # images without answers (training's held-out slice here) have empty candidate sets
    held = held_out_ids(store, NearConfig())
    assert held and all((not c["weights"]) == (c["image_id"] in held) for c in cands)
    assert all(abs(sum(c["weights"]) - 1) < 1e-4 for c in cands if c["weights"])
    assert store.state()["refine"]["encoder"] == "clip-x"
    # a rerun replaces the tables (same content, deterministic)
    assert main(["refine", "--run", str(run_dir), "-k", "5"]) == 0
    again = {r["image_id"]: r["label"] for r in store.read("labels").to_pylist()}
    assert again == {i: labels[i]["label"] for i in ids}


@pytest.mark.parametrize("fraction", [0.0, 0.5])
def test_refine_task_leaves_out_the_runs_validation_slice(run_dir, fraction):
    """The pipeline's refine task holds out the slice of the run's train settings (not of the
    default ones): with ``train.validation_fraction=0`` every answer is refined."""
    from tasks.refine import refine_task

    store, ids, _ = _build_run(run_dir)
    cfg = load_config(None, {"train.validation_fraction": fraction})
    refine_task.fn(str(run_dir), "clip-x", cfg)
    unseen = {c["image_id"] for c in store.read("candidates").to_pylist() if not c["weights"]}
    assert unseen == held_out_ids(store, cfg)
    assert bool(unseen) == (fraction > 0)


def test_the_validation_slice_keeps_its_answers_where_the_geometry_says_nothing(run_dir):
    """Refine never learns from the slice's answers, but an image the MLLM named does not
    lose what it said to a classifier of embeddings that carry no class."""
    rng = np.random.default_rng(0)
    names = [["Tufted Puffin", "Horned Puffin", "Common Loon"][i % 3] for i in range(90)]
    ids = [f"img{i:04d}" for i in range(len(names))]
    store = RunStore(run_dir)
    store.append("answers", _answers_rows([[n] for n in names], ids))
    noise = rng.standard_normal((len(ids), 16))
    store.append("embeddings", [{"image_id": i, "encoder": "clip-x", "embedding": v.tolist()}
                                for i, v in zip(ids, noise, strict=True)])
    summary, _ = refine_run(store)
    held = held_out_ids(store, NearConfig())
    labels = {r["image_id"]: r["label"] for r in store.read("labels").to_pylist()}
    assert summary.strength == 0.0 and len(held) >= 10
    assert {i: labels[i] for i in held} == {i: n for i, n in zip(ids, names, strict=True)
                                            if i in held}


@pytest.mark.parametrize(("answers", "embeddings", "needle"),
                         [(False, True, "near label"), (True, False, "near embed")])
def test_missing_inputs_are_named(run_dir, capsys, answers, embeddings, needle):
    _build_run(run_dir, with_answers=answers, with_embeddings=embeddings)
    assert main(["refine", "--run", str(run_dir)]) == 2
    err = capsys.readouterr().err
    assert needle in err and str(run_dir) in err


def test_encoder_choice(run_dir):
    store, ids, _ = _build_run(run_dir)
    store.append("embeddings", [{"image_id": ids[0], "encoder": "other", "embedding": [0.0] * 16}])
    with pytest.raises(RefineStageError, match="several encoders"):
        refine_run(store)
    with pytest.raises(RefineStageError, match="no embeddings from encoder 'nope'"):
        refine_run(store, config=load_config(None, {"refine.encoder": "nope"}))
    summary, _ = refine_run(store, config=load_config(None, {"refine.encoder": "clip-x"}))
    assert summary.images == len(ids) and summary.encoder == "clip-x"
    assert summary.final_vocabulary == 3
    assert summary.text.startswith("none: embeddings encoder 'clip-x' is not the run's CLIP")


def test_refine_uses_the_runs_clip_text_tower(tmp_path):
    """A run embedded by (tiny, random) CLIP: refine loads it and uses its text tower."""
    from clip_fixtures import TINY, build_run, tiny_checkpoint

    ckpt = tiny_checkpoint(tmp_path / "tiny.safetensors")
    info = build_run(tmp_path / "run", tmp_path / "images", ckpt, per_class=4, noise=0.0)
    store = RunStore(tmp_path / "run")
    store.append("answers", _answers_rows([[info["noisy"][i]] for i in info["ids"]], info["ids"]))
    cfg = load_config(None, {"clip.model": TINY, "clip.pretrained": str(ckpt)})
    summary, result = refine_run(store, config=cfg)
    assert summary.text == f"CLIP {info['model_id']}"
    assert summary.images == len(info["ids"]) and summary.unlabeled == 0
    off = load_config(None, {"clip.model": TINY, "clip.pretrained": str(ckpt),
                             "refine.text_init": False})
    assert refine_run(store, config=off)[0].text == "none: refine.text_init is off"


def test_refine_section_alone_is_accepted(run_dir):
    store, ids, _ = _build_run(run_dir)
    summary, _ = refine_run(store, config=RefineConfig(k=4))
    assert summary.images == len(ids) and summary.final_vocabulary == 3
