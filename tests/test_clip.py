"""CLIP model loading: near-tiny, local checkpoints, clear errors, devices, text embeddings."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

from near_core.clip import (
    SHIPPED,
    TINY,
    CheckpointError,
    ClipError,
    UnknownModelError,
    WeightsUnavailableError,
    list_models,
    load_clip,
    save_sparse_tokens,
    save_weights,
    select_runtime,
    text_embeddings,
    text_encoder,
    token_init,
)
from near_core.config import load_config
from near_core.embed import clip_choice
from near_core.store import RunStore


@pytest.fixture(scope="module")
def tiny():
    return load_clip(TINY, "", device="cpu", seed=0)


def test_tiny_is_registered_small_and_seeded(tiny):
    assert TINY in list_models()
    n_params = sum(p.numel() for p in tiny.model.parameters())
    assert 1_000_000 < n_params < 10_000_000
    assert tiny.model_id.startswith(f"{TINY}@")
    assert load_clip(TINY, "", device="cpu", seed=0).model_id == tiny.model_id
    assert load_clip(TINY, "", device="cpu", seed=1).model_id != tiny.model_id


def test_checkpoint_file_round_trip(tiny, tmp_path: Path):
    path = save_weights(tiny.model, tmp_path / "tiny.safetensors")
    loaded = load_clip(TINY, str(path), device="cpu", seed=123)  # seed irrelevant with a file
    assert loaded.model_id == tiny.model_id
    assert loaded.pretrained == str(path)
    x = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        assert torch.equal(tiny.model.encode_image(x), loaded.model.encode_image(x))


def test_torch_file_loads_with_weights_only(tiny, tmp_path: Path):
    path = tmp_path / "tiny.pt"
    torch.save({"state_dict": {f"module.{k}": v for k, v in tiny.model.state_dict().items()}}, path)
    assert load_clip(TINY, str(path), device="cpu").model_id == tiny.model_id


class _Evil:
    def __reduce__(self):
        return (print, ("pickle code ran",))


def test_unrestricted_pickle_is_refused(tmp_path: Path, capsys):
    path = tmp_path / "evil.pt"
    with open(path, "wb") as f:
        pickle.dump({"state_dict": _Evil()}, f, protocol=2)
    with pytest.raises(CheckpointError, match="weights_only"):
        load_clip(TINY, str(path), device="cpu")
    assert "pickle code ran" not in capsys.readouterr().out


def test_clear_errors(tmp_path: Path, tiny):
    with pytest.raises(CheckpointError, match="not found: .*missing.safetensors"):
        load_clip(TINY, str(tmp_path / "missing.safetensors"))
    with pytest.raises(UnknownModelError, match="unknown CLIP model 'ViT-Q-99'"):
        load_clip("ViT-Q-99", "")
    with pytest.raises(UnknownModelError, match="no pretrained tag 'nope'"):
        load_clip("ViT-B-32", "nope")
    with pytest.raises(UnknownModelError, match="near-tiny.*no pretrained tag 'nope'.*synthetic"):
        load_clip(TINY, "nope")
    other = tmp_path / "other.safetensors"
    from safetensors.torch import save_file

    save_file({"visual.proj": torch.zeros(3, 3)}, str(other))
    with pytest.raises(CheckpointError, match="does not fit"):
        load_clip(TINY, str(other))
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="cannot read checkpoint"):
        load_clip(TINY, str(garbage))


def test_hub_tag_offline_says_what_to_do(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(WeightsUnavailableError, match="local checkpoint file.*near-tiny") as info:
        load_clip("ViT-B-16", "openai", device="cpu")
    assert info.value.exit_code == 3


def test_runtime_selection():
    rt = select_runtime("cpu", "bf16")
    assert rt.device.type == "cpu" and rt.amp_dtype is None  # AMP on GPU only
    with rt.autocast():
        assert torch.ones(2, 2).matmul(torch.ones(2, 2)).dtype == torch.float32
    auto = select_runtime("auto", "auto")
    assert auto.device.type == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ClipError, match="no CUDA device"):
            select_runtime("cuda")
    with pytest.raises(ClipError, match="not a torch device"):
        select_runtime("gpu-please")


def test_text_embeddings_ensemble(tiny):
    names = ["red square", "blue circle", "green"]
    one = text_embeddings(tiny, names, ["a photo of a {}."])
    two = text_embeddings(tiny, names, ["a photo of a {}.", "a drawing of a {}."])
    assert one.shape == two.shape == (3, tiny.embed_dim)
    assert torch.allclose(two.norm(dim=1), torch.ones(3), atol=1e-5)
    assert not torch.allclose(one, two)
    assert text_embeddings(tiny, [], ["{}"]).shape == (0, tiny.embed_dim)
    encode = text_encoder(tiny, ["a photo of a {}."])
    np.testing.assert_array_equal(encode(names), one.numpy())


def test_clip_choice_remembers_the_run_model(run_dir: Path):
    store = RunStore(run_dir)
    defaults = load_config(None).clip
    assert clip_choice(store, defaults) == ("ViT-B-16", "openai")
    store.update_state(clip={"model": TINY, "pretrained": "/w/tiny.safetensors", "encoder": "x"})
    assert clip_choice(store, defaults) == (TINY, "/w/tiny.safetensors")
    told = load_config(None, {"clip.model": "ViT-B-32"}).clip
    assert clip_choice(store, told) == ("ViT-B-32", "openai")
    tiny_only = load_config(None, {"clip.model": TINY}).clip
    assert clip_choice(RunStore(run_dir / "fresh"), tiny_only) == (TINY, "synthetic")
    both = load_config(None, {"clip.model": TINY, "clip.pretrained": "x.pt"}).clip
    assert clip_choice(store, both) == (TINY, "x.pt")


def test_sparse_token_file_round_trip(tmp_path: Path):
    """Only the trained rows of the token table are stored; the rest is rebuilt from a seed."""
    model = load_clip(TINY, "", device="cpu", seed=3).model
    with torch.no_grad():
        model.token_embedding.weight.copy_(token_init(tuple(model.token_embedding.weight.shape), 7))
        model.token_embedding.weight[[5, 900]] += 1.0
    path = save_sparse_tokens(model, tmp_path / "s.safetensors", rows=[5, 900], init_seed=7)
    assert path.stat().st_size < 1_000_000  # vs ~14 MB for the full fp32 table
    loaded = load_clip(TINY, str(path), device="cpu")
    for key, value in model.state_dict().items():  # fp16 file
        torch.testing.assert_close(loaded.model.state_dict()[key], value, atol=2e-3, rtol=1e-3)
    table = loaded.model.token_embedding.weight
    assert torch.equal(table[6:900], model.token_embedding.weight[6:900])  # rebuilt exactly
    with pytest.raises(CheckpointError, match="differ from the seeded init"):
        save_sparse_tokens(model, tmp_path / "bad.safetensors", rows=[5], init_seed=7)


def test_shipped_synthetic_weights_load_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    clip = load_clip(TINY, "synthetic", device="cpu")
    assert clip.pretrained == "synthetic"  # the tag, not an install path: stable cache keys
    assert SHIPPED[(TINY, "synthetic")].stat().st_size < 2_000_000
    assert load_clip(TINY, "openai", device="cpu").model_id == clip.model_id  # config default
    assert clip.model_id != load_clip(TINY, "", device="cpu").model_id
