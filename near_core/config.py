"""One typed configuration object for every stage.

Values are resolved in this order, later wins::

    defaults  <  TOML file  <  environment (NEAR_<SECTION>__<FIELD>)  <  command-line overrides

:func:`resolve` is the one resolver (the CLI calls it once per command, flows once per flow
run) and returns a validated :class:`NearConfig`; any problem (unknown key, wrong type, bad
path) raises :class:`ConfigError` whose message names the dotted field and where the value came
from. :func:`dump_config` writes the resolved config as TOML (``RUN_DIR/config.toml``) and
:func:`read_resolved` reads such a file back as it is (subprocesses such as training).

TOML has no null: a field that accepts None takes the string ``"none"`` (:data:`NONE`) for it,
in a file, ``--set`` or the environment, and :func:`dump_config` writes a None so where the
field's default is not None (a None whose default is None is left out), so that dump -> read
gives back exactly the config that was written.
"""

from __future__ import annotations

import json
import os
import tomllib
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import tomli_w
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from near_core.errors import NearError

ENV_PREFIX = "NEAR_"
CONFIG_FILENAME = "config.toml"
#: how a None is written where TOML needs a value (files, ``--set``, the environment)
NONE = "none"


class ConfigError(NearError, ValueError):
    """A configuration value is invalid; the message names the field and its source."""


def _accepts_none(annotation: Any) -> bool:
    return type(None) in typing.get_args(annotation)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="before")
    @classmethod
    def _none_from_text(cls, value: Any, info: ValidationInfo) -> Any:
        """:data:`NONE` is None for every field that accepts None (TOML has no null)."""
        if value == NONE and _accepts_none(cls.model_fields[info.field_name].annotation):
            return None
        return value


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
    flush_interval_s: float = Field(
        0.2, ge=0, description="Answers wait at most this long before they are appended to "
        "the run store (a killed run loses the requests in flight and about this much work)."
    )
    category_images: int = Field(
        3, ge=1, le=16, description="Images asked (meta prompt) to infer mllm.category once."
    )
    start_server: bool = Field(
        False, description="Start `vllm serve` when no server answers at `url`."
    )
    vllm_python: str | None = Field(
        None, description="Python of the venv holding vLLM (for `near serve mllm`)."
    )
    vllm_model_path: str | None = Field(
        None,
        description="Local model directory (or hub id) vLLM serves under the name `model`; "
        "None serves `model` itself.",
    )
    vllm_max_model_len: int | None = Field(
        4096, gt=0, description="vLLM --max-model-len (prompt + answer tokens); None: model's."
    )
    vllm_serve_args: list[str] = Field(
        default_factory=list, description="Extra `vllm serve` flags, e.g. ['--dtype', 'bfloat16']."
    )
    vllm_startup_timeout_s: float = Field(
        900.0, gt=0, description="How long a started vLLM server may take to answer /health."
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
    part_rows: int = Field(
        4096, gt=0, description="Embeddings per Parquet part (crash granularity of `near embed`)."
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
    """Vocabulary canonicalisation and NeaR candidate sets / head-mode refinement.

    The one source of the refinement knobs, their defaults (the quality benchmark's
    recommendation, BENCHMARKS.md "Refine") and docs: :class:`near_core.near.RefineOptions`
    is derived from these fields, less :attr:`STAGE_FIELDS` (which only the refine stage
    reads).
    """

    STAGE_FIELDS: ClassVar[tuple[str, ...]] = ("encoder", "text_init")
    k: int = Field(5, ge=1, description="Neighbours per image for candidate sets.")
    centre: bool = Field(
        True, description="Refine in the centred embedding space (the mean embedding, and the "
        "mean name text vector, subtracted before normalising), as training does: CLIP "
        "embeddings share a large common component that flattens cosine differences between "
        "sibling classes (BENCHMARKS.md \"Regimes\")."
    )
    own_weight: float = Field(
        0.5, ge=0.0, le=1.0, description="Share of an image's own answers in its initial weights."
    )
    smooth_k: int = Field(
        2, ge=0, description="Features are averaged with this many nearest neighbours (0: off)."
    )
    smooth_self_power: float = Field(
        4.0, ge=0.0, description="Per-name smoothing weight: the images of a name are smoothed "
        "with min(1, r) ** (smooth_self_power x the held-out factor) times the trust, r = the "
        "name's images' match with themselves over their match with the name's other images "
        "(1 / ((n - 1) x their mean cosine)); 0: every image at the trust's weight. 4 keeps "
        "separated siblings of 5-10 images a class at signal 0.7 above the kNN-3 vote and "
        "costs the simulated singletons 6 of 480 images (BENCHMARKS.md 'Refine: a per-name "
        "smoothing weight (branch vote2)').",
    )
    text_k: int = Field(
        3, ge=0, description="Closest class-name text embeddings added to each candidate set."
    )
    text_weight: float = Field(0.1, ge=0.0, description="Initial weight of text-matched names.")
    variant_weight: float = Field(
        0.6, ge=0.0, description="Initial weight of the near-identical variants of an image's "
        "own names (differ by a year or one word) added to its candidate set (0: off).",
    )
    scale: float = Field(20.0, gt=0, description="Cosine classifier logit scale s.")
    support_power: float = Field(
        3.0, ge=0.0, description="beta of the label-support prior beta*log(min(n_c, cap))."
    )
    support_cap: float | None = Field(
        None,
        gt=0,
        description="Support above which names are equally credible (None: max(support_cap_min, "
        "0.75 * answered images / groups of near-identical names), about a class's size).",
    )
    support_cap_min: float = Field(
        3.0, gt=0, description="Smallest support cap when support_cap is None (names below it "
        "yield to names with more support).",
    )
    evidence_power: float = Field(
        0.5, ge=0.0, description="Weight of the initial label evidence log(w0 + floor) in logits."
    )
    evidence_floor: float = Field(
        0.01, gt=0.0, description="Floor of the evidence term (names outside the candidate set)."
    )
    iterations: int = Field(20, ge=1, description="Refinement rounds (GMM split + update).")
    noisy_topk: int | None = Field(
        10, ge=1, description="Noisy images' targets (the sharpened prediction) keep the "
        "prediction's top names, so that targets stay sparse and refinement linear in images "
        "(None: all names, the dense method; the default changes no measured label, "
        "BENCHMARKS.md 'Refine at scale').",
    )
    shortlist: int | None = Field(
        32, ge=1, description="Names each image is scored on between full passes: its "
        "candidates, the names its targets weigh and the top names of the last full pass, "
        "so that a round costs images x shortlist, not images x names (None: every round "
        "scores every name; off when there are fewer names than this; BENCHMARKS.md "
        "'Shortlists and an IVF index').",
    )
    full_pass_every: int = Field(
        10, ge=1, description="Rounds between two full passes over every name (with shortlist).",
    )
    threshold: float = Field(0.5, ge=0.0, le=1.0, description="P(clean) above which clean.")
    temperature: float = Field(0.5, gt=0.0, description="Sharpening of noisy pseudo-labels.")
    noisy_weight: float = Field(0.5, ge=0.0, le=1.0, description="Weight of noisy samples.")
    momentum: float = Field(0.5, ge=0.0, lt=1.0, description="Blend of old targets into new.")
    strip_words: list[str] = Field(
        default_factory=list,
        description="Generic words dropped around names, e.g. ['bird', 'dog'].",
    )
    agreement_full: float = Field(
        0.2,
        ge=0.0,
        description="Neighbour-label agreement (kappa over the kNN graph, less agreement_z "
        "standard errors) from which neighbours get their full influence; below it the neighbours' "
        "share, smoothing, logit scale and support prior shrink towards the image's own "
        "answers (0: always full).",
    )
    agreement_z: float = Field(
        2.0, ge=0.0, description="Standard errors taken off the agreement kappa (chance level)."
    )
    holdout: float = Field(
        0.2, ge=0.0, lt=1.0, description="Share of the answered images whose answers are held "
        "out to choose how strongly the geometry acts: the answers of the rest are refined at "
        "each of holdout_factors x the strength the agreement statistics give and left as "
        "they are, and the labelling whose class means best predict the held-out answers is "
        "used; at full strength, they also decide whether each image is scored without its own "
        "share in its names' class vectors (0: off, the statistics' strength alone, the own "
        "share kept; BENCHMARKS.md 'Refine: the strength chosen on held-out answers', 'Refine: "
        "class vectors without the image's own share').",
    )
    holdout_min: int = Field(
        30, ge=1, description="Fewest held-out images for that check: with fewer in one share "
        "the strength stays full and every share decides only the own share; with fewer "
        "answered images than this, the check is skipped (full strength, own share kept).",
    )
    holdout_factors: list[Annotated[float, Field(gt=0.0)]] = Field(
        default_factory=lambda: [0.1, 1.0], description="Multiples of the statistics' strength "
        "tried on the held-out answers, besides 0 (the images' own answers).",
    )
    holdout_folds: int = Field(
        3, ge=1, description="Disjoint held-out shares over which the factors are compared "
        "when full strength does not clearly beat the answers (1: one share; classes of fewer "
        "than about 5 answered images use every share, 1 / holdout).",
    )
    holdout_z: float = Field(
        1.0, ge=0.0, description="A stronger factor within this many standard errors of the "
        "best held-out score is used instead of it.",
    )
    agreement_k: int = Field(
        5, ge=1, description="Neighbours per image in the agreement statistic (fixed, so that "
        "agreement_full means the same whatever k is)."
    )
    encoder: str | None = Field(
        None, description="Embeddings encoder to use (None: the run's only/most recent one)."
    )
    text_init: bool = Field(
        True,
        description="Use the run's CLIP text tower (clip.templates) for class vectors and "
        "text-matched candidates when the embeddings come from that CLIP.",
    )


class TrainConfig(_Section):
    """NeaR training (head mode on cached embeddings, or CLIP fine-tuning)."""

    mode: Literal["auto", "head", "finetune"] = Field(
        "auto", description="head: frozen encoder, class vectors trained on the cached "
        "embeddings; finetune: the image tower's last unlocked_blocks train too (images "
        "decoded every epoch); auto (default): finetune when the CLIP device is a GPU, head on "
        "CPU. Measured (BENCHMARKS.md \"Regimes\"/\"CLIP\"): with an informative tower the "
        "head reaches what fine-tuning reaches on unseen images at a fraction of the CPU time "
        "(65 vs 1,845 images/s); fine-tuning pays with a weak tower (random near-tiny: 0.57-0.70 "
        "vs 0.34-0.39) and is seconds per epoch on a GPU. Force one with `near train --mode`, "
        "`--set train.mode=...` or NEAR_TRAIN__MODE. The held-out guard keeps a fine-tuned "
        "tower only when it beats the prototype classifiers of the original tower."
    )
    validation_fraction: float = Field(
        0.2, ge=0.0, lt=1.0, description="Share of the MLLM-named images held out of training "
        "(seeded) to check each stage's agreement with the MLLM (RUN/validation.json); 0: none."
    )
    validation_min: int = Field(
        8, ge=0, description="Fewest held-out images (at most half the named ones), if any."
    )
    knn_k: int = Field(
        5, ge=1, description="Neighbours of the kNN vote classifier, a validation stage the "
        "bundle keeps when it agrees with the MLLM clearly more often than the prototype "
        "classifiers on the held-out slice (a weak tower that splits classes into clumps, "
        "BENCHMARKS.md \"A random tower\")."
    )
    epochs: int = Field(10, ge=1)
    raw_weight: float = Field(
        0.5, ge=0.0, le=1.0, description="Share of each image's own MLLM answers in its training "
        "target; the rest comes from the refined candidate weights (refine)."
    )
    batch_size: int = Field(
        64, ge=1, description="Global batch (split evenly across DDP processes)."
    )
    lr: float = Field(
        1e-3, gt=0, description="Peak learning rate of the class vectors (they start at the "
        "prototypes of the targets; 1e-2 over-fits the noise of a few hundred named images, "
        "BENCHMARKS.md \"Regimes\")."
    )
    encoder_lr: float = Field(1e-5, gt=0, description="Peak learning rate of unlocked towers.")
    weight_decay: float = Field(0.05, ge=0, description="AdamW decay of unlocked tower weights.")
    warmup_steps: float = Field(
        0.1, ge=0, description="Linear LR warm-up: steps, or a fraction of all steps when < 1."
    )
    min_lr_ratio: float = Field(0.0, ge=0, le=1, description="Cosine schedule floor / peak LR.")
    grad_clip: float = Field(1.0, ge=0, description="Max global gradient norm; 0 disables.")
    refine_after: int = Field(
        2, ge=0, description="Epochs of warm-up on the initial candidate weights before the "
        "per-epoch GMM refinement starts."
    )
    unlocked_blocks: int = Field(
        2, ge=-1, description="finetune: image-tower blocks trained (last N, with final norm "
        "and projection); -1 trains the whole tower, 0 only the class vectors."
    )
    unlock_text: bool = Field(
        False, description="finetune: class vectors come from the trainable text tower "
        "(prompt templates) instead of free vectors initialised from it."
    )
    augment: bool = Field(
        True, description="finetune: random resized crops (and colour jitter when "
        "color_jitter > 0) of the training images."
    )
    aug_scale_min: float = Field(
        0.9, gt=0, le=1, description="Smallest random-crop area (open_clip's default; 0.5 "
        "halved the fine-tuned accuracy on 32 px birds, BENCHMARKS.md \"Regimes\").")
    color_jitter: float = Field(
        0.0, ge=0, description="Colour jitter strength; 0 (default) disables: colour is a class "
        "cue in fine-grained data (plumage), and 0.2 cost accuracy (BENCHMARKS.md \"Regimes\")."
    )
    workers: int = Field(2, ge=0, description="DataLoader worker processes per rank.")
    max_nonfinite: int = Field(
        20, ge=1, description="NaN guard: abort after this many consecutive non-finite steps."
    )
    out: str | None = Field(None, description="Checkpoint directory; default RUN_DIR/train.")
    seed: int = 0


class RelabelConfig(_Section):
    """CLIP-only labeling of new images."""

    batch_size: int = Field(64, ge=1)
    top_k: int = Field(5, ge=1)
    low_confidence: float = Field(
        0.3, ge=0.0, le=1.0, description="Predictions scoring below are flagged for re-query."
    )
    bundle: str | None = Field(
        None, description="Classifier bundle directory; default the run's last trained bundle."
    )
    part_rows: int = Field(4096, gt=0, description="Predictions per Parquet part.")


class OrchestrationConfig(_Section):
    """Prefect execution settings."""

    task_runner: Literal["threads", "dask"] = "threads"
    dask_workers: int = Field(2, ge=1)
    dask_address: str | None = Field(
        None, description="Scheduler address of an existing Dask cluster (dask runner only)."
    )
    max_workers: int = Field(4, ge=1, description="Threads of the default task runner.")
    label_batch: int = Field(256, ge=1, description="Images per label task (one MLLM batch).")
    shard_size: int = Field(
        10_000, ge=1, description="Images per embed / relabel task: the ok images are cut into "
        "hash-assigned shards (near_core.shards; about half to all of this many each) mapped "
        "over the task runner, each cached on its own ids.",
    )
    train_nproc: int = Field(
        1, ge=1, description="Training processes (torchrun --nproc-per-node when > 1)."
    )
    retries: int = Field(3, ge=0, description="Retries of flaky tasks (MLLM calls, file I/O).")
    retry_delay_s: float = Field(
        10.0, ge=0, description="First retry delay; doubles on each retry (with jitter)."
    )
    result_storage: str | None = Field(
        None,
        description="Task result storage: a path, or a saved Prefect storage block slug; "
        "default RUN_DIR/.prefect/results.",
    )
    gpu_limit: str = Field(
        "near-gpu", min_length=1, description="Global concurrency limit held while a model is loaded."
    )
    gpu_slots: int = Field(1, ge=1, description="Slots of the GPU limit (GPUs on the machine).")
    gpu_lease_s: float = Field(
        60.0, ge=60, description="Lease of a GPU slot (Prefect's minimum: 60), renewed while its "
        "holder lives: the slot of a killed run is free again within about this long (plus a "
        "15 s sweep or poll; twice as long on a restarted server).",
    )


class ReportConfig(_Section):
    """The HTML report."""

    thumbs_per_class: int = Field(12, ge=0, description="Gallery thumbnails per class.")
    thumb_size: int = Field(96, ge=16, le=512, description="Thumbnail longest side in pixels.")
    max_classes: int = Field(200, ge=1, description="Classes shown with a gallery.")
    sacc: bool = Field(
        True,
        description="sACC with the offline MiniLM sentence encoder (metrics extra); "
        "false: exact-name match stands in.",
    )


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
    report: ReportConfig = Field(default_factory=ReportConfig)

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


def resolve(
    path: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
    *,
    flags: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> NearConfig:
    """Resolve the configuration: the one place every command and flow gets its config from.

    Later wins: defaults < the TOML file ``path`` < environment ``NEAR_<SECTION>__<FIELD>``
    < ``overrides`` (``--set``) < ``flags`` (a command's own flags).

    Args:
        path: a TOML file, or None for defaults only.
        overrides: ``--set`` values, either ``{"mllm.url": "..."}`` or ``["mllm.url=...", ...]``
            strings (values parsed as TOML when possible).
        flags: dotted keys -> values of a command's (or flow's) own options; ``None`` values
            are unset options and ignored, as are ``None`` values in a mapping ``overrides``.
        env: the environment to read ``NEAR_<SECTION>__<FIELD>`` from (``os.environ`` default).

    Raises:
        ConfigError: naming the dotted field and where its value came from.
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
    if overrides is not None and not isinstance(overrides, Mapping):
        overrides = parse_assignments(overrides)
    for layer in (overrides or {}, flags or {}):
        for dotted, value in layer.items():
            if value is not None:
                _set_dotted(tree, dotted, value, sources, "command line")
    try:
        return NearConfig.model_validate(tree)
    except ValidationError as exc:
        raise ConfigError(_format_errors(exc, sources)) from None


def load_config(
    path: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> NearConfig:
    """:func:`resolve` without command flags (kept for callers and tests)."""
    return resolve(path, overrides, env=env)


def _format_errors(exc: ValidationError, sources: Mapping[str, str]) -> str:
    lines = []
    for err in exc.errors():
        dotted = ".".join(str(x) for x in err["loc"])
        src = sources.get(dotted) or next(
            (v for k, v in sources.items() if k.startswith(dotted + ".")), None
        )
        where = f" (from {src})" if src else ""
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        lines.append(f"config error in {dotted}{where}: {msg}")
    return "\n".join(lines)


def toml_data(model: BaseModel, *, exclude_unset: bool = False) -> dict[str, Any]:
    """``model`` (a :class:`NearConfig` or one section) as TOML-ready data, the one way a config
    is written: JSON values, a None left out where the field's default is None and written as
    :data:`NONE` where it is not. ``exclude_unset``: only the fields given a value."""
    data = model.model_dump(mode="json", exclude_unset=exclude_unset)
    out: dict[str, Any] = {}
    for name, value in data.items():
        field = type(model).model_fields[name]
        if isinstance(value, dict) and isinstance(getattr(model, name), BaseModel):
            value = toml_data(getattr(model, name), exclude_unset=exclude_unset)
        elif value is None:
            if field.get_default(call_default_factory=True) is None:
                continue
            value = NONE
        out[name] = value
    return out


def dump_config(config: NearConfig, run_dir: str | os.PathLike[str]) -> Path:
    """Write the resolved config to ``run_dir/config.toml`` atomically; return its path.

    The file is complete (every field, defaults included; a None as :func:`toml_data` writes
    it): :func:`read_resolved` gives back the same config, whatever the environment of the
    reader.
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    data = toml_data(config)
    target = run_dir / CONFIG_FILENAME
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    os.replace(tmp, target)
    return target


def train_out(
    run_dir: str | os.PathLike[str], cfg: TrainConfig, *, key: str | None = None
) -> Path:
    """The training output folder (checkpoints, metrics.csv, bundle): ``train.out`` when set,
    else ``RUN_DIR/train`` (the one default), in its subfolder ``key`` when given (the Prefect
    task keys it on the training inputs, so that a rerun resumes only its own checkpoints)."""
    if cfg.out:
        return Path(cfg.out)
    base = Path(run_dir) / "train"
    return base / key if key else base


def read_resolved(path: str | os.PathLike[str]) -> NearConfig:
    """The config written by :func:`dump_config` (a file, or the folder holding
    ``config.toml``), as it is: no environment or override is applied again, so every
    process of a run (torchrun ranks, Prefect workers) sees the config the run resolved."""
    p = Path(path)
    return resolve(p / CONFIG_FILENAME if p.is_dir() else p, env={})
