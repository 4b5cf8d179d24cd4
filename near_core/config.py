"""One typed configuration object for every stage.

Values are resolved in this order, later wins::

    defaults  <  TOML file  <  environment (NEAR_<SECTION>__<FIELD>)  <  command-line overrides

``load_config`` returns a validated :class:`NearConfig`; any problem (unknown key, wrong type,
bad path) raises :class:`ConfigError` whose message names the dotted field and where the value
came from. ``dump_config`` writes the resolved config as TOML into a run directory.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import tomli_w
from near_core.errors import NearError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ENV_PREFIX = "NEAR_"
CONFIG_FILENAME = "config.toml"


class ConfigError(NearError, ValueError):
    """A configuration value is invalid; the message names the field and its source."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class IngestConfig(_Section):
    """Image discovery and verification."""

    max_pixels: int = Field(
        100_000_000, gt=0, description="Images with more pixels are rejected as oversize."
    )
    max_file_bytes: int = Field(
        512 * 1024**2, gt=0, description="Files larger than this are rejected unread."
    )
    workers: int = Field(0, ge=0, description="Decode threads; 0 picks min(8, 2 x CPUs).")
    part_rows: int = Field(2000, gt=0, description="Rows per Parquet part (crash granularity).")
    follow_symlinks: bool = True


class MLLMConfig(_Section):
    """The OpenAI-compatible MLLM server that names the training images (label stage)."""

    url: str = Field("http://127.0.0.1:8000/v1", description="Base URL of the OpenAI API.")
    model: str = Field("Qwen/Qwen2.5-VL-7B-Instruct", min_length=1)
    api_key_env: str = Field(
        "NEAR_MLLM_API_KEY", description="Environment variable holding the API key (never logged)."
    )
    api_key_secret: str | None = Field(
        None, description="Name of a Prefect Secret block holding the API key (flows only)."
    )
    category: str | None = Field(
        None, description="What the images show, e.g. 'bird species'; inferred when unset."
    )
    prompt: str = Field("name", description="Prompt template name (near_core/mllm/prompts).")
    samples: int = Field(1, ge=1, le=32, description="Answers per image (n).")
    temperature: float = Field(0.7, ge=0.0, le=2.0)
    max_tokens: int = Field(256, gt=0)
    concurrency: int = Field(16, ge=1, le=1024)
    timeout_s: float = Field(120.0, gt=0)
    max_retries: int = Field(5, ge=0)
    backoff_base_s: float = Field(0.5, ge=0)
    backoff_max_s: float = Field(30.0, ge=0)
    image_max_side: int = Field(768, ge=28)
    structured_output: bool = True
    label_budget: int | None = Field(
        None, ge=1, description="At most this many images are sent to the MLLM (seeded sample)."
    )
    start_server: bool = Field(
        False, description="Start `vllm serve` when no server answers at `url`."
    )
    vllm_python: str | None = Field(
        None, description="Python of the venv holding vLLM (for `near serve mllm`)."
    )


class ClipConfig(_Section):
    """The CLIP model used for embeddings, fine-tuning and relabeling."""

    model: str = Field("ViT-B-16", min_length=1)
    pretrained: str = Field(
        "openai",
        description="open_clip pretrained tag, a local checkpoint file, or '' for random weights.",
    )
    device: str = Field("auto", description="'auto', 'cpu', 'cuda', 'cuda:N'.")
    precision: Literal["auto", "fp32", "bf16", "fp16"] = "auto"
    batch_size: int = Field(64, ge=1)
    workers: int = Field(2, ge=0)
    templates: list[str] = Field(
        default_factory=lambda: ["a photo of a {}.", "a close-up photo of a {}."],
        description="Prompt templates for class text embeddings; '{}' is the class name.",
    )

    @field_validator("templates")
    @classmethod
    def _templates_have_slot(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one template is needed")
        for t in value:
            if "{}" not in t:
                raise ValueError(f"template {t!r} has no '{{}}' slot for the class name")
        return value


class RefineConfig(_Section):
    """Vocabulary canonicalisation and NeaR candidate sets / head-mode refinement."""

    k: int = Field(10, ge=1, description="Neighbours per image for candidate sets.")
    strip_words: list[str] = Field(
        default_factory=list,
        description="Generic words dropped around names, e.g. ['bird', 'dog'].",
    )


class TrainConfig(_Section):
    """NeaR training (head mode on cached embeddings, or CLIP fine-tuning)."""

    mode: Literal["head", "finetune"] = "head"
    epochs: int = Field(10, ge=1)
    batch_size: int = Field(64, ge=1)
    lr: float = Field(1e-3, gt=0)
    seed: int = 0


class RelabelConfig(_Section):
    """CLIP-only labeling of new images."""

    batch_size: int = Field(64, ge=1)
    top_k: int = Field(5, ge=1)
    low_confidence: float = Field(
        0.3, ge=0.0, le=1.0, description="Predictions scoring below are flagged for re-query."
    )


class OrchestrationConfig(_Section):
    """Prefect execution settings."""

    task_runner: Literal["threads", "dask"] = "threads"
    dask_workers: int = Field(2, ge=1)
    max_workers: int = Field(4, ge=1)


class NearConfig(_Section):
    """The whole configuration; one section per stage."""

    seed: int = 0
    ingest: IngestConfig = Field(default_factory=IngestConfig)
    mllm: MLLMConfig = Field(default_factory=MLLMConfig)
    clip: ClipConfig = Field(default_factory=ClipConfig)
    refine: RefineConfig = Field(default_factory=RefineConfig)
    train: TrainConfig = Field(default_factory=TrainConfig)
    relabel: RelabelConfig = Field(default_factory=RelabelConfig)
    orchestration: OrchestrationConfig = Field(default_factory=OrchestrationConfig)

    def hash(self, *sections: str) -> str:
        """A stable short hash of the given sections (all when none), for cache keys."""
        import hashlib

        data = self.model_dump(mode="json")
        if sections:
            data = {s: data[s] for s in sections}
        blob = json.dumps(data, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _parse_scalar(text: str) -> Any:
    """Parse an env/CLI value as a TOML value when it is one, else keep the string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """``["mllm.url=http://x", "mllm.samples=3"]`` -> ``{"mllm.url": "http://x", ...}``."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"override {item!r} must look like section.key=value")
        out[key.strip()] = _parse_scalar(raw.strip())
    return out


def _set_dotted(tree: dict[str, Any], dotted: str, value: Any, sources: dict[str, str], src: str):
    parts = [p for p in dotted.split(".") if p]
    if not parts:
        raise ConfigError(f"empty config key from {src}")
    node = tree
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"config key {dotted!r} ({src}): {part!r} is not a section")
        node = child
    node[parts[-1]] = value
    sources[".".join(parts)] = src


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, dotted + ".")
        else:
            yield dotted, value


def _env_overrides(env: Mapping[str, str]) -> list[tuple[str, Any]]:
    sections = set(NearConfig.model_fields)
    out = []
    for name, raw in sorted(env.items()):
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, field = name[len(ENV_PREFIX) :].partition("__")
        section = section.lower()
        if section not in sections:
            continue  # NEAR_* variables that are not config (e.g. NEAR_MLLM_API_KEY)
        out.append((f"{section}.{field.lower().replace('__', '.')}", _parse_scalar(raw), name))
    return out


def load_config(
    path: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> NearConfig:
    """Resolve the configuration.

    Args:
        path: a TOML file, or None for defaults only.
        overrides: command-line values, either ``{"mllm.url": "..."}`` or
            ``["mllm.url=...", ...]`` strings (values parsed as TOML when possible).
            ``None`` values in a mapping are ignored (an unset CLI flag).
        env: the environment to read ``NEAR_<SECTION>__<FIELD>`` from (``os.environ`` default).
    """
    tree: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if path is not None:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {p}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {p} cannot be read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {p} is not valid TOML: {exc}") from None
        for dotted, value in _flatten(data):
            _set_dotted(tree, dotted, value, sources, f"file {p}")
    for dotted, value, var in _env_overrides(os.environ if env is None else env):
        _set_dotted(tree, dotted, value, sources, f"env {var}")
    if overrides is not None:
        if not isinstance(overrides, Mapping):
            overrides = parse_assignments(overrides)
        for dotted, value in overrides.items():
            if value is not None:
                _set_dotted(tree, dotted, value, sources, "command line")
    try:
        return NearConfig.model_validate(tree)
    except ValidationError as exc:
        raise ConfigError(_format_errors(exc, sources)) from None


def _format_errors(exc: ValidationError, sources: Mapping[str, str]) -> str:
    lines = []
    for err in exc.errors():
        dotted = ".".join(str(x) for x in err["loc"])
        src = sources.get(dotted)
        where = f" (from {src})" if src else ""
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        else:
            msg = err["msg"]
        lines.append(f"config error in {dotted}{where}: {msg}")
    return "\n".join(lines)


def dump_config(config: NearConfig, run_dir: str | os.PathLike[str]) -> Path:
    """Write the resolved config to ``run_dir/config.toml`` atomically; return its path."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    data = config.model_dump(mode="json", exclude_none=True)
    target = run_dir / CONFIG_FILENAME
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    os.replace(tmp, target)
    return target
