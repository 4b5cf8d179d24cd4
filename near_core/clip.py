"""CLIP models: loading by name + pretrained tag or local checkpoint, devices, text embeddings.

``load_clip(name, pretrained)`` returns a :class:`Clip` (model, eval/train transforms, tokenizer,
runtime and a stable ``model_id``). ``pretrained`` is one of:

* an open_clip pretrained tag (``"openai"``, ``"laion2b_s34b_b88k"``...), fetched from the hub
  as open_clip does (fails with :class:`WeightsUnavailableError` when offline);
* a local checkpoint file: ``.safetensors`` (preferred) or a torch file read with
  ``weights_only=True`` (never unrestricted pickle);
* ``""``: random weights, seeded (tests, benchmarks, ``near-tiny``).

The package ships a tiny architecture named ``near-tiny`` (about 4 M parameters, 32x32 pixels)
so every stage runs on CPU in seconds; :func:`save_weights` writes any model's weights to a
safetensors file that ``load_clip(name, path)`` reads back like a real checkpoint.
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


def default_pretrained(name: str, pretrained: str, *, explicit: bool) -> str:
    """The pretrained value to use: a default tag the architecture lacks (``near-tiny`` has
    no tags) becomes random weights when the user did not ask for that tag explicitly."""
    if explicit or not pretrained or is_checkpoint_path(pretrained):
        return pretrained
    oc = open_clip_module()
    if name in oc.list_models() and not oc.list_pretrained_tags_by_model(name):
        log.warning("model %s has no pretrained tags; using seeded random weights", name)
        return ""
    return pretrained


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
    file = None
    if pretrained and is_checkpoint_path(pretrained):
        file = Path(pretrained).expanduser()
        if not file.is_file():
            raise CheckpointError(f"CLIP checkpoint file not found: {file}")
    elif pretrained:
        tags = oc.list_pretrained_tags_by_model(name)
        if pretrained not in tags:
            known = ", ".join(tags) if tags else "none: pass a local checkpoint file or ''"
            raise UnknownModelError(
                f"CLIP model {name!r} has no pretrained tag {pretrained!r} (known tags: {known})"
            )
    with seeded(seed), warnings.catch_warnings():
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
        pretrained=str(file) if file else pretrained,
        model=model,
        preprocess=pre,
        train_preprocess=train_pre,
        tokenizer=oc.get_tokenizer(name),
        runtime=runtime,
        model_id=model_id(name, model),
    )


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
