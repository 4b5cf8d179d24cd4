"""Config: file < env < CLI precedence, validation errors naming the field, dump."""

from __future__ import annotations

import tomllib
import typing

import pytest
from pydantic import BaseModel, ValidationError

from near_core.config import (
    NONE,
    ConfigError,
    NearConfig,
    dump_config,
    load_config,
    read_resolved,
    resolve,
)


def test_defaults_validate():
    cfg = load_config(env={})
    assert isinstance(cfg, NearConfig) and cfg.mllm.samples == 1


def test_precedence_file_env_cli(tmp_path):
    f = tmp_path / "near.toml"
    f.write_text('[mllm]\nconcurrency = 4\nsamples = 2\nmodel = "from-file"\n')
    env = {"NEAR_MLLM__CONCURRENCY": "8", "NEAR_MLLM__MODEL": "from-env", "NEAR_MLLM_API_KEY": "s"}
    cfg = load_config(f, {"mllm.model": "from-cli", "mllm.url": None}, env=env)
    assert (cfg.mllm.samples, cfg.mllm.concurrency, cfg.mllm.model) == (2, 8, "from-cli")
    cfg = load_config(f, ["mllm.concurrency=16", "clip.templates=['a {}']"], env=env)
    assert cfg.mllm.concurrency == 16 and cfg.clip.templates == ["a {}"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"overrides": {"mllm.bogus": 1}}, r"mllm\.bogus \(from command line\): unknown key"),
        ({"overrides": ["mllm.samples=many"]}, r"mllm\.samples \(from command line\): Input should"),
        ({"env": {"NEAR_MLLM__SAMPLES": "0"}}, r"mllm\.samples \(from env NEAR_MLLM__SAMPLES\)"),
        ({"overrides": {"clip.templates": ["no slot"]}}, r"clip\.templates.*slot"),
        ({"overrides": ["novalue"]}, "section.key=value"),
    ],
)
def test_invalid_values_name_the_field(kwargs, match):
    kwargs.setdefault("env", {})
    with pytest.raises(ConfigError, match=match):
        load_config(None, kwargs.get("overrides"), env=kwargs["env"])


def test_file_errors(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "none.toml", env={})
    bad = tmp_path / "bad.toml"
    bad.write_text("[mllm\n")
    with pytest.raises(ConfigError, match="bad.toml is not valid TOML"):
        load_config(bad, env={})
    typo = tmp_path / "typo.toml"
    typo.write_text("[mlm]\nurl='x'\n")
    with pytest.raises(ConfigError, match=rf"mlm \(from file {typo}\): unknown key"):
        load_config(typo, env={})


def test_dump_round_trips(tmp_path):
    cfg = load_config(None, {"mllm.samples": 3, "clip.pretrained": ""}, env={})
    path = dump_config(cfg, tmp_path / "run")
    assert path.name == "config.toml"
    again = load_config(path, env={})
    assert again == cfg
    assert tomllib.loads(path.read_text())["mllm"]["samples"] == 3


def _fields() -> list[tuple[str, str]]:
    """Every (section, field) of NearConfig; ("", name) for a top-level scalar."""
    out = []
    for section, info in NearConfig.model_fields.items():
        sub = info.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            out += [(section, name) for name in sub.model_fields]
        else:
            out.append(("", section))
    return out


def _candidates(annotation, default) -> list:
    """Values other than ``default`` that a field of type ``annotation`` may take, in order of
    preference (None first where the type accepts None and the default is not None)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is typing.Literal:
        return [a for a in args if a != default]
    if type(None) in typing.get_args(annotation):
        base = args[0]
        return [None] if default is not None else _candidates(base, None)
    if annotation is bool:
        return [not default]
    if annotation is int:
        d = default or 0
        return [d + 1, d * 2 + 3]
    if annotation is float:
        d = default or 0.0
        return [d / 2 if d else 0.25, d * 2 + 1.5]
    if annotation is str:
        return [f"{default or ''}-x"]
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if typing.get_origin(item) is typing.Annotated:  # list[Annotated[float, Field(gt=0)]]
            item = typing.get_args(item)[0]
        return [[0.5], [0.25, 1.0]] if item is float else [["x {}"], ["x"]]
    raise AssertionError(f"no test value for a field of type {annotation}")


def _non_default(section: str, name: str):
    """The first candidate value NearConfig accepts for the field."""
    model = NearConfig.model_fields[section].annotation if section else NearConfig
    info = model.model_fields[name]
    for value in _candidates(info.annotation, info.get_default(call_default_factory=True)):
        try:
            model.model_validate({name: value})
        except ValidationError:
            continue
        return value
    raise AssertionError(f"{section}.{name}: no non-default test value validates")


@pytest.mark.parametrize(("section", "name"), _fields(), ids=lambda v: v or "top")
def test_dump_round_trips_every_field(tmp_path, section, name):
    """A non-default value of each field (None where the field accepts None and defaults to
    something else) survives dump_config -> read_resolved exactly."""
    value = _non_default(section, name)
    key = f"{section}.{name}" if section else name
    cfg = NearConfig.model_validate({section: {name: value}} if section else {name: value})
    back = read_resolved(dump_config(cfg, tmp_path))
    assert back == cfg
    assert (getattr(getattr(back, section), name) if section else getattr(back, name)) == value, key


def test_none_is_written_as_none_text_and_read_from_every_source(tmp_path):
    cfg = resolve(None, ["mllm.vllm_max_model_len=none"], env={})
    assert cfg.mllm.vllm_max_model_len is None
    path = dump_config(cfg, tmp_path)
    data = tomllib.loads(path.read_text())
    assert data["mllm"]["vllm_max_model_len"] == NONE
    assert "support_cap" not in data["refine"]  # None by default: left out
    assert read_resolved(path) == cfg
    env = resolve(None, env={"NEAR_MLLM__VLLM_MAX_MODEL_LEN": "none"})
    assert env.mllm.vllm_max_model_len is None
    with pytest.raises(ConfigError, match=r"mllm\.samples \(from command line\)"):
        resolve(None, ["mllm.samples=none"], env={})  # not a field that accepts None


def test_hash_depends_on_sections():
    a = load_config(None, {"mllm.samples": 3}, env={})
    b = load_config(None, {"mllm.samples": 4}, env={})
    assert a.hash("clip") == b.hash("clip") and a.hash("mllm") != b.hash("mllm")


def test_resolve_flags_beat_set_and_unset_flags_are_ignored(tmp_path):
    f = tmp_path / "near.toml"
    f.write_text('[mllm]\nmodel = "from-file"\nsamples = 2\n')
    cfg = resolve(f, ["mllm.model=from-set", "mllm.samples=3"],
                  flags={"mllm.model": "from-flag", "mllm.samples": None}, env={})
    assert (cfg.mllm.model, cfg.mllm.samples) == ("from-flag", 3)
    with pytest.raises(ConfigError, match=r"mllm\.samples \(from command line\)"):
        resolve(None, flags={"mllm.samples": 0}, env={})


def test_read_resolved_applies_nothing_again(tmp_path, monkeypatch):
    cfg = resolve(None, flags={"mllm.samples": 3}, env={"NEAR_CLIP__MODEL": "near-tiny"})
    path = dump_config(cfg, tmp_path / "run")
    monkeypatch.setenv("NEAR_CLIP__MODEL", "ViT-L-14")  # a reader's environment is not applied
    assert read_resolved(path) == cfg == read_resolved(path.parent)
    assert read_resolved(path).clip.model == "near-tiny"
