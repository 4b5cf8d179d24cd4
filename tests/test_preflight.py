"""Preflight: a configuration that cannot work stops before the first MLLM request."""

from __future__ import annotations

from pathlib import Path

import pytest

from near_cli.main import main as cli_main
from near_core.clip import TINY, resolve_pretrained
from near_core.config import load_config
from near_core.preflight import PreflightError, check_clip, check_config, check_mllm
from near_core.testing.mllm_server import MLLMServer
from near_core.testing.synthetic import make_dataset


@pytest.fixture(scope="module")
def mllm():
    with MLLMServer() as server:
        yield server


def _cfg(**values):
    return load_config(None, {k.replace("__", "."): v for k, v in values.items()})


def test_near_tiny_default_tag_means_the_shipped_weights():
    assert resolve_pretrained(TINY, "openai") == "synthetic"
    assert check_clip(_cfg(clip__model=TINY)) == "synthetic"
    assert check_clip(_cfg(clip__model=TINY, clip__pretrained="")) == ""


def test_bad_tag_and_missing_checkpoint_say_what_to_pass(tmp_path: Path):
    with pytest.raises(PreflightError, match="no pretrained tag 'laion'.*synthetic.*--clip-pretrained"):
        check_config(_cfg(clip__model=TINY, clip__pretrained="laion"), mllm=False)
    missing = tmp_path / "gone.safetensors"
    with pytest.raises(PreflightError, match=f"not found: {missing}"):
        check_config(_cfg(clip__model=TINY, clip__pretrained=str(missing)), mllm=False)
    with pytest.raises(PreflightError, match="unknown CLIP model 'ViT-Q-9'"):
        check_config(_cfg(clip__model="ViT-Q-9"), mllm=False)
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"not a checkpoint")
    with pytest.raises(PreflightError, match="cannot read checkpoint"):
        check_config(_cfg(clip__model=TINY, clip__pretrained=str(garbage)), mllm=False)


def test_mllm_must_serve_the_model_when_it_answers(mllm):
    check_mllm(_cfg(mllm__url=mllm.url, mllm__model=mllm.model))
    with pytest.raises(PreflightError, match=f"does not serve model 'other/model'.*{mllm.model}"):
        check_mllm(_cfg(mllm__url=mllm.url, mllm__model="other/model"))
    with MLLMServer() as dead:
        url = dead.url
    check_mllm(_cfg(mllm__url=url), timeout_s=1.0)  # not up yet: the label stage reports it


@pytest.mark.parametrize("pretrained", ["openai-typo", "missing.safetensors"])
def test_near_run_stops_before_any_mllm_request(mllm, tmp_path: Path, capsys, pretrained):
    make_dataset(tmp_path / "src", n_classes=2, per_class=2, seed=0)
    mllm.reset_stats()
    argv = ["run", str(tmp_path / "src"), "--run", str(tmp_path / "run"), "--mllm-url", mllm.url,
            "--model", mllm.model, "--clip-model", TINY, "--clip-pretrained",
            str(tmp_path / pretrained) if pretrained.endswith(".safetensors") else pretrained]
    assert cli_main(argv) == 2
    err = capsys.readouterr().err
    assert "--clip-pretrained" in err or "not found" in err, err
    assert mllm.stats()["requests"] == 0


def test_pipeline_flow_checks_first(mllm, tmp_path: Path):
    """The flow itself (deployments call it without the CLI) checks before ingesting."""
    from flows.pipeline import pipeline_flow

    make_dataset(tmp_path / "src", n_classes=2, per_class=2, seed=0)
    mllm.reset_stats()
    with pytest.raises(PreflightError, match="no pretrained tag 'nope'"):
        pipeline_flow.fn(source=str(tmp_path / "src"), run_dir=str(tmp_path / "run"),
                         mllm_url=mllm.url, model=mllm.model, clip_model=TINY,
                         clip_pretrained="nope")
    assert mllm.stats()["requests"] == 0
