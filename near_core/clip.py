"""CLIP models: loading by name + pretrained tag or local checkpoint, devices, text embeddings.

``load_clip(name, pretrained)`` returns a :class:`Clip` (model, eval/train transforms, tokenizer,
runtime and a stable ``model_id``). ``pretrained`` is one of:

* an open_clip pretrained tag (``"openai"``, ``"laion2b_s34b_b88k"``...), fetched from the hub
  as open_clip does (fails with :class:`WeightsUnavailableError` when offline);
* a local checkpoint file: ``.safetensors`` (preferred) or a torch file read with
  ``weights_only=True`` (never unrestricted pickle);
* ``"synthetic"`` (``near-tiny`` only): weights shipped in the package, pretrained
  contrastively on a generated bird world by :mod:`near_core.pretrain_synthetic`;
* ``""``: random weights, seeded (tests, benchmarks).

The package ships a tiny architecture named ``near-tiny`` (about 4 M parameters, 32x32 pixels)
so every stage runs on CPU in seconds; :func:`save_weights` writes any model's weights to a
safetensors file that ``load_clip(name, path)`` reads back like a real checkpoint.

One rule picks the weights, for every stage (:func:`resolve_pretrained`): the configuration's
default tag (``openai``) on an architecture that lacks it but ships default weights means those
(``near-tiny`` -> ``synthetic``); any other tag the architecture lacks is an error that says
what to pass.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from near_core.errors import NearError, UnavailableError

log = logging.getLogger(__name__)

TINY = "near-tiny"
CONFIG_DIR = Path(__file__).with_name("model_configs")
CHECKPOINT_SUFFIXES = (".safetensors", ".pt", ".pth", ".bin", ".ckpt")
_OFFLINE_HINT = "pass a local checkpoint file (--clip-pretrained PATH) or use --clip-model near-tiny"


class ClipError(NearError):
    """A CLIP model cannot be set up."""


class UnknownModelError(ClipError):
    """The model name or pretrained tag is not known to open_clip."""


class CheckpointError(ClipError):
    """A local checkpoint file is missing, unreadable or does not fit the architecture."""


class WeightsUnavailableError(ClipError, UnavailableError):
    """Pretrained weights cannot be fetched (offline, no hub access)."""


def open_clip_module():
    """open_clip with the package's model configs (``near-tiny``) registered once."""
    import open_clip

    if TINY not in open_clip.list_models():
        open_clip.add_model_config(CONFIG_DIR)
    return open_clip


def list_models() -> list[str]:
    """Architecture names that :func:`load_clip` accepts."""
    return open_clip_module().list_models()


# -- devices and precision ----------------------------------------------------------------
@dataclass(frozen=True)
class Runtime:
    """Where and how a model runs: device and the autocast dtype (None = fp32)."""

    device: torch.device
    amp_dtype: torch.dtype | None = None

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    def autocast(self) -> contextlib.AbstractContextManager:
        """Autocast on GPU with ``amp_dtype``; a disabled context (same code path) otherwise."""
        return torch.autocast(
            self.device.type, dtype=self.amp_dtype or torch.float32, enabled=self.amp_dtype is not None
        )

    def describe(self) -> str:
        prec = str(self.amp_dtype).removeprefix("torch.") if self.amp_dtype else "fp32"
        return f"{self.device} {prec}"


def select_runtime(device: str = "auto", precision: str = "auto") -> Runtime:
    """Pick the device ('auto': cuda when available) and the AMP dtype.

    ``precision`` 'auto' means bf16 on GPUs that support it, fp16 on older GPUs, fp32 on CPU;
    'bf16'/'fp16' on CPU fall back to fp32 (AMP is used on GPU only).
    """
    if device == "auto":
        dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    else:
        try:
            dev = torch.device(device)
        except RuntimeError as exc:
            raise ClipError(f"clip.device {device!r} is not a torch device: {exc}") from None
        if dev.type == "cuda" and not torch.cuda.is_available():
            raise ClipError(f"clip.device is {device!r} but no CUDA device is available")
    if dev.type != "cuda" or precision == "fp32":
        return Runtime(dev, None)
    if precision == "auto":
        bf16 = torch.cuda.is_bf16_supported()
        return Runtime(dev, torch.bfloat16 if bf16 else torch.float16)
    return Runtime(dev, {"bf16": torch.bfloat16, "fp16": torch.float16}[precision])


# -- loading ------------------------------------------------------------------------------
@dataclass
class Clip:
    """A loaded CLIP model with what is needed to use it.

    ``preprocess`` maps a PIL image to a (3, H, W) float tensor (eval); ``train_preprocess`` adds
    augmentations; ``tokenizer`` maps a list of strings to (N, context_length) token ids.
    """

    name: str
    pretrained: str
    model: Any
    preprocess: Any
    train_preprocess: Any
    tokenizer: Any
    runtime: Runtime
    model_id: str

    @property
    def embed_dim(self) -> int:
        return int(self.model.visual.output_dim)

    @property
    def preprocess_cfg(self) -> dict[str, Any]:
        """Image size, mean, std, interpolation, resize mode (JSON-able)."""
        cfg = dict(self.model.visual.preprocess_cfg)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in cfg.items()}


def is_checkpoint_path(pretrained: str) -> bool:
    """True when ``pretrained`` names a file rather than an open_clip tag."""
    return (
        os.sep in pretrained
        or "/" in pretrained
        or pretrained.endswith(CHECKPOINT_SUFFIXES)
        or Path(pretrained).is_file()
    )


SYNTHETIC = "synthetic"
WEIGHTS_DIR = Path(__file__).with_name("weights")
#: weights shipped in the package: (architecture, tag) -> file
SHIPPED: dict[tuple[str, str], Path] = {
    (TINY, SYNTHETIC): WEIGHTS_DIR / "near-tiny-synthetic.safetensors",
}
#: the tag an architecture uses when the configuration keeps its default tag
SHIPPED_DEFAULT: dict[str, str] = {TINY: SYNTHETIC}


def _config_default_tag() -> str:
    from near_core.config import ClipConfig

    return str(ClipConfig.model_fields["pretrained"].default)


def known_tags(name: str) -> list[str]:
    """open_clip's pretrained tags for ``name`` plus the package's shipped ones."""
    tags = list(open_clip_module().list_pretrained_tags_by_model(name))
    return tags + [tag for (arch, tag) in SHIPPED if arch == name and tag not in tags]


def resolve_pretrained(name: str, pretrained: str) -> str:
    """The one rule every stage uses to pick weights: ``pretrained`` as given ('' = random,
    a checkpoint file, a tag ``name`` has), or the architecture's shipped default when
    ``pretrained`` is the configuration's default tag and ``name`` lacks it. Raises
    UnknownModelError (saying what to pass) for any other tag ``name`` lacks."""
    if not pretrained or is_checkpoint_path(pretrained):
        return pretrained
    tags = known_tags(name)
    if pretrained in tags:
        return pretrained
    if pretrained == _config_default_tag() and name in SHIPPED_DEFAULT:
        log.info("CLIP %s has no %r weights; using the shipped %r weights", name, pretrained,
                 SHIPPED_DEFAULT[name])
        return SHIPPED_DEFAULT[name]
    known = ", ".join(tags) if tags else "none"
    raise UnknownModelError(
        f"CLIP model {name!r} has no pretrained tag {pretrained!r} (known tags: {known}); pass "
        f"--clip-pretrained with one of them, a local checkpoint file, or '' for random weights"
    )


def default_pretrained(name: str, pretrained: str, *, explicit: bool = False) -> str:
    """:func:`resolve_pretrained` (kept for callers; ``explicit`` no longer changes the rule:
    every stage resolves a value the same way)."""
    del explicit
    return resolve_pretrained(name, pretrained)


def load_clip(
    name: str,
    pretrained: str,
    *,
    device: str = "auto",
    precision: str = "auto",
    seed: int = 0,
    aug: dict[str, Any] | None = None,
) -> Clip:
    """Build the model ``name`` with weights from ``pretrained`` (tag, file or '' = random).

    ``aug`` is open_clip's AugmentationCfg as a dict (e.g. ``{"scale": (0.5, 1.0)}``) for the
    training transform. The model is fp32 on the selected device, in eval mode.
    Raises UnknownModelError, CheckpointError or WeightsUnavailableError with a clear message.
    """
    oc = open_clip_module()
    if name not in oc.list_models():
        close = [m for m in oc.list_models() if name.lower() in m.lower()][:8]
        hint = f" (similar: {', '.join(close)})" if close else f"; e.g. {TINY}, ViT-B-16, ViT-B-32"
        raise UnknownModelError(f"unknown CLIP model {name!r}{hint}")
    runtime = select_runtime(device, precision)
    pretrained = resolve_pretrained(name, pretrained)
    file = weights_file(name, pretrained)
    with seeded(seed), warnings.catch_warnings(), _quiet_random_init(file is not None):
        # open_clip warns that jitter items it did apply are "unused" (it checks too late)
        warnings.filterwarnings("ignore", message="Unused augmentation cfg items")
        try:
            model, train_pre, pre = oc.create_model_and_transforms(
                name,
                pretrained=None if file or not pretrained else pretrained,
                device="cpu",
                aug_cfg=aug,
            )
        except Exception as exc:  # open_clip/huggingface_hub raise many types when offline
            if pretrained and file is None:
                raise WeightsUnavailableError(
                    f"cannot get pretrained weights {name}/{pretrained} ({type(exc).__name__}: "
                    f"{str(exc)[:200]}); offline or no hub access: {_OFFLINE_HINT}"
                ) from None
            raise
    if file is not None:
        load_weights(model, file)
    model = model.to(runtime.device).eval()
    return Clip(
        name=name,
        pretrained=str(file) if file and (name, pretrained) not in SHIPPED else pretrained,
        model=model,
        preprocess=pre,
        train_preprocess=train_pre,
        tokenizer=oc.get_tokenizer(name),
        runtime=runtime,
        model_id=model_id(name, model),
    )


class _RandomInitFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "initialized randomly" not in record.getMessage()


@contextlib.contextmanager
def _quiet_random_init(active: bool) -> Iterator[None]:
    """Drop open_clip's "No pretrained weights loaded ... initialized randomly" warning while
    ``active`` (the weights are loaded from a local file right after creating the model)."""
    root, flt = logging.getLogger(), _RandomInitFilter()
    if active:
        root.addFilter(flt)
    try:
        yield
    finally:
        root.removeFilter(flt)


def weights_file(name: str, pretrained: str) -> Path | None:
    """The local file a resolved ``pretrained`` value reads (a checkpoint path or shipped
    weights), None for a hub tag or random weights. Raises CheckpointError when it is missing."""
    if (name, pretrained) in SHIPPED:
        file = SHIPPED[(name, pretrained)]
        if not file.is_file():
            raise CheckpointError(
                f"shipped weights {name}/{pretrained} missing at {file} (broken install?); "
                f"rebuild them with `python -m near_core.pretrain_synthetic --out {file}`"
            )
        return file
    if pretrained and is_checkpoint_path(pretrained):
        file = Path(pretrained).expanduser()
        if not file.is_file():
            raise CheckpointError(f"CLIP checkpoint file not found: {file}")
        return file
    return None


@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Seed torch for a deterministic random init without disturbing the caller's RNG."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def read_state_dict(path: str | os.PathLike[str]) -> dict[str, torch.Tensor]:
    """Tensors of a checkpoint file: safetensors, or torch with ``weights_only=True``.

    A ``{"state_dict": ...}`` wrapper and a DDP ``module.`` prefix are removed.
    """
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint file not found: {path}")
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            state = load_file(str(path), device="cpu")
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise CheckpointError(
            f"cannot read checkpoint {path}: {type(exc).__name__}: {str(exc)[:300]} "
            "(torch files are read with weights_only=True; convert others to .safetensors)"
        ) from None
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"checkpoint {path} does not hold a dict of tensors")
    if state and all(k.startswith("module.") for k in state):
        state = {k.removeprefix("module."): v for k, v in state.items()}
    return expand_sparse_tokens(state)


# -- compact token embeddings -------------------------------------------------------------
# A model trained on a small vocabulary changes only a few rows of its (49408, D) token
# embedding; the others keep a seeded init. Such a file stores the changed rows plus the init
# seed, and reading it rebuilds the full table (the shipped synthetic weights: 0.5 MB, not 7).
_TOKEN_KEY = "token_embedding.weight"
_SPARSE = "near.sparse_tokens"


def token_init(shape: tuple[int, int], seed: int) -> torch.Tensor:
    """A (vocab, width) token-embedding init, N(0, 0.02) as open_clip's, from ``seed`` alone."""
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=gen) * 0.02


def save_sparse_tokens(model: torch.nn.Module, path: str | os.PathLike[str], *,
                       rows: Sequence[int], init_seed: int) -> Path:
    """Write ``model``'s weights as fp16 safetensors keeping only ``rows`` of the token
    embedding; the other rows must equal ``token_init(shape, init_seed)`` (checked)."""
    from safetensors.torch import save

    from near_core.store import atomic_write_bytes

    state = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
    table = state.pop(_TOKEN_KEY).float()
    idx = torch.tensor(sorted(set(rows)), dtype=torch.long)
    rest = torch.ones(len(table), dtype=torch.bool)
    rest[idx] = False
    if not torch.equal(table[rest], token_init(tuple(table.shape), init_seed)[rest]):
        raise CheckpointError("token embedding rows outside `rows` differ from the seeded init")
    out = {k: v.half() if v.is_floating_point() else v for k, v in state.items()}
    out[f"{_SPARSE}.rows"] = idx
    out[f"{_SPARSE}.values"] = table[idx].half()
    out[f"{_SPARSE}.init"] = torch.tensor([init_seed, *table.shape], dtype=torch.long)
    path = Path(path)
    atomic_write_bytes(path, save(out))
    return path


def expand_sparse_tokens(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A state dict with the full token embedding rebuilt from a sparse one (else unchanged)."""
    if f"{_SPARSE}.init" not in state:
        return state
    state = dict(state)
    seed, vocab, width = state.pop(f"{_SPARSE}.init").tolist()
    rows, values = state.pop(f"{_SPARSE}.rows"), state.pop(f"{_SPARSE}.values")
    table = token_init((vocab, width), seed)
    table[rows] = values.float()
    state[_TOKEN_KEY] = table
    return state


def load_weights(model: torch.nn.Module, path: str | os.PathLike[str]) -> None:
    """Load a checkpoint file into ``model`` strictly; mismatches raise CheckpointError."""
    from open_clip.factory import convert_state_dict

    state = convert_state_dict(model, read_state_dict(path))
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise CheckpointError(
            f"checkpoint {path} does not fit this architecture: {str(exc)[:500]}"
        ) from None


def save_weights(model: torch.nn.Module, path: str | os.PathLike[str]) -> Path:
    """Write ``model``'s weights as safetensors (atomic); returns the path."""
    from safetensors.torch import save

    from near_core.store import atomic_write_bytes

    path = Path(path)
    state = {k: v.detach().to("cpu").contiguous().clone() for k, v in model.state_dict().items()}
    atomic_write_bytes(path, save(state))
    return path


def weights_hash(model: torch.nn.Module) -> str:
    """sha256 over the names, shapes, dtypes and bytes of the model's state dict."""
    h = hashlib.sha256()
    for key, tensor in sorted(model.state_dict().items()):
        t = tensor.detach().to("cpu").contiguous()
        h.update(f"{key}:{tuple(t.shape)}:{t.dtype}".encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def model_id(name: str, model: torch.nn.Module) -> str:
    """``<name>@<first 12 hex of the weights hash>``: the embeddings' encoder key."""
    return f"{name}@{weights_hash(model)[:12]}"


# -- text ---------------------------------------------------------------------------------
@torch.no_grad()
def text_embeddings(
    clip: Clip, names: Sequence[str], templates: Sequence[str], *, batch_size: int = 256
) -> torch.Tensor:
    """Class vectors: for each name, the normalised mean of the normalised text embeddings of
    every template filled with the name. Returns (len(names), D) float32 on the CPU."""
    model, rt = clip.model, clip.runtime
    if not names:
        return torch.zeros(0, clip.embed_dim)
    prompts = [t.format(name) for name in names for t in templates]
    embs = []
    for i in range(0, len(prompts), batch_size):
        tokens = clip.tokenizer(prompts[i : i + batch_size]).to(rt.device)
        with rt.autocast():
            embs.append(model.encode_text(tokens, normalize=True).float())
    per_template = torch.cat(embs).view(len(names), len(templates), -1)
    return torch.nn.functional.normalize(per_template.mean(1), dim=-1).cpu()


def text_encoder(clip: Clip, templates: Sequence[str]) -> Callable[[list[str]], np.ndarray]:
    """A callable ``names -> (len(names), D) float32 array`` of template-ensembled class
    embeddings (e.g. the ``text_encoder`` of :func:`near_core.near.refine_labels`)."""

    def encode(names: list[str]) -> np.ndarray:
        return text_embeddings(clip, names, templates).numpy()

    return encode
