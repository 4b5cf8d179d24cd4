"""Embeddings: batched, cached per (image, encoder), unreadable images skipped and reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from clip_fixtures import make_images, tiny_checkpoint

from near_cli.main import main as cli
from near_core.clip import TINY, load_clip
from near_core.config import load_config
from near_core.embed import embed_run, embedding_mean, load_embeddings
from near_core.ingest import ingest, run_items
from near_core.shards import shard_ids
from near_core.store import RunStore


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    return tiny_checkpoint(tmp_path_factory.mktemp("ckpt") / "tiny.safetensors")


def _cfg(**kw):
    return load_config(None, {"clip.workers": 0, "clip.batch_size": 4, "clip.part_rows": 3} | kw).clip


def test_embed_caches_and_embeds_only_new_images(tmp_path: Path, checkpoint: Path):
    store = RunStore(tmp_path / "run")
    items = make_images(tmp_path / "a", per_class=2)
    ingest(tmp_path / "a", store)
    clip = load_clip(TINY, str(checkpoint), device="cpu")
    broken = items[0][0]
    broken.write_bytes(b"\x89PNG\r\n\x1a\n garbage after ingest")  # unreadable at embed time

    first = embed_run(store, clip, config=_cfg())
    assert (first.total, first.embedded, first.cached) == (8, 7, 0)
    assert len(first.failed) == 1 and first.failed[0][1]
    assert len(store.files("embeddings")) == 2  # a part once 3 embeddings are pending
    ids, vecs = load_embeddings(store, clip.model_id)
    assert vecs.shape == (7, clip.embed_dim)
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert store.state()["clip"] == {"model": TINY, "pretrained": str(checkpoint),
                                     "encoder": clip.model_id}

    second = embed_run(store, clip, config=_cfg())
    assert (second.embedded, second.cached, len(second.failed)) == (0, 7, 1)  # retried, still bad

    make_images(tmp_path / "b", per_class=1, seed=5)
    ingest(tmp_path / "b", store)
    third = embed_run(store, clip, config=_cfg())
    assert (third.total, third.embedded, third.cached) == (12, 4, 7)

    other = load_clip(TINY, "", device="cpu", seed=7)  # another encoder: its own cache key
    assert embed_run(store, other, config=_cfg()).embedded == 11
    ids2, vecs2 = load_embeddings(store, clip.model_id, image_ids=ids[:3])
    assert ids2 == ids[:3]
    np.testing.assert_array_equal(vecs2, vecs[:3])
    _, every = load_embeddings(store, clip.model_id)  # streamed mean == mean of the whole table
    np.testing.assert_allclose(embedding_mean(store, clip.model_id), every.mean(0), atol=1e-6)
    assert embedding_mean(store, "no-such-encoder") is None


def test_embed_shard_touches_only_its_images(tmp_path: Path, checkpoint: Path):
    """A shard (image_ids) embeds only its own ok images; ids that are not ok images of the
    run are left out; the shards together give what one call gives."""
    store = RunStore(tmp_path / "run")
    make_images(tmp_path / "a", per_class=2)
    ingest(tmp_path / "a", store)
    clip = load_clip(TINY, str(checkpoint), device="cpu")
    ok = sorted(i for i, _ in run_items(store))
    shards = shard_ids(ok, shard_size=3)
    assert len(shards) > 1 and sorted(sum(shards, [])) == ok
    first = embed_run(store, clip, config=_cfg(), image_ids=[*shards[0], "not-an-image"])
    assert (first.total, first.embedded) == (len(shards[0]), len(shards[0]))
    assert set(load_embeddings(store, clip.model_id)[0]) == set(shards[0])
    for shard in shards:
        embed_run(store, clip, config=_cfg(), image_ids=shard)
    ids, vecs = load_embeddings(store, clip.model_id, ok)
    whole = RunStore(tmp_path / "whole")
    ingest(tmp_path / "a", whole)
    embed_run(whole, clip, config=_cfg())
    np.testing.assert_allclose(vecs, load_embeddings(whole, clip.model_id, ids)[1], atol=1e-5)


def test_embeddings_are_batch_independent(tmp_path: Path, checkpoint: Path):
    store = RunStore(tmp_path / "run")
    make_images(tmp_path / "a", per_class=2)
    ingest(tmp_path / "a", store)
    clip = load_clip(TINY, str(checkpoint), device="cpu")
    embed_run(store, clip, config=_cfg(**{"clip.batch_size": 3}))
    ids, a = load_embeddings(store, clip.model_id)
    other = RunStore(tmp_path / "run2")
    ingest(tmp_path / "a", other)
    embed_run(other, clip, config=_cfg(**{"clip.batch_size": 8}))
    _, b = load_embeddings(other, clip.model_id, ids)
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_cli_embed_remembers_model_and_fails_clearly_offline(tmp_path: Path, checkpoint: Path,
                                                             capsys, monkeypatch):
    run = tmp_path / "run"
    make_images(tmp_path / "a", per_class=1)
    assert cli(["ingest", str(tmp_path / "a"), "--run", str(run)]) == 0
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert cli(["embed", "--run", str(run)]) == 3  # default ViT-B-16/openai, offline
    err = capsys.readouterr().err
    assert "near embed: error" in err and "near-tiny" in err and "local checkpoint" in err
    assert cli(["embed", "--run", str(run), "--clip-model", TINY, "--clip-pretrained",
                str(checkpoint), "--workers", "0"]) == 0
    assert "4 embedded" in capsys.readouterr().out
    # later runs reuse the remembered model without being told
    assert cli(["embed", "--run", str(run), "--workers", "0"]) == 0
    assert "0 embedded, 4 cached" in capsys.readouterr().out
