"""Check a whole configuration before the first MLLM request is paid for.

:func:`check_config` validates what can be checked cheaply and offline-safe: the CLIP
architecture and its weights (tag, shipped file or checkpoint file, by the same rule every
stage loads them with, :func:`near_core.clip.resolve_pretrained`), the CLIP device, that hub
weights can be had when the hub is off (``HF_HUB_OFFLINE``), and, when the MLLM server
answers, that it serves ``mllm.model``. A server that does not answer is not an error here
(``mllm.start_server`` may start it, and a rerun served from the cache needs none); the label
stage reports it before sending anything.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import httpx

from near_core.clip import (
    ClipError,
    UnknownModelError,
    WeightsUnavailableError,
    open_clip_module,
    read_state_dict,
    resolve_pretrained,
    select_runtime,
    weights_file,
)
from near_core.config import NearConfig
from near_core.errors import NearError

log = logging.getLogger(__name__)


class PreflightError(NearError):
    """The configuration cannot work; nothing was sent to the MLLM."""

    exit_code = 2


def check_clip(cfg: NearConfig) -> str:
    """Validate the CLIP model, its weights and device; returns the resolved ``pretrained``.

    Raises ClipError subclasses (unknown model or tag, missing or unreadable checkpoint,
    hub weights unavailable offline) with a message that says what to pass."""
    clip = cfg.clip
    if clip.model not in open_clip_module().list_models():
        raise UnknownModelError(
            f"unknown CLIP model {clip.model!r} (clip.model / --clip-model); e.g. near-tiny, "
            "ViT-B-16, ViT-B-32"
        )
    pretrained = resolve_pretrained(clip.model, clip.pretrained)
    file = weights_file(clip.model, pretrained)
    if file is not None:
        read_state_dict(file)  # readable tensors (a header read for safetensors, cheap)
    elif pretrained:
        _check_hub_weights(clip.model, pretrained)
    select_runtime(clip.device, clip.precision)
    return pretrained


def _check_hub_weights(name: str, tag: str) -> None:
    """With the hub switched off, hub weights must already be in the local cache."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() not in ("1", "true", "yes", "on"):
        return
    from open_clip.pretrained import get_pretrained_cfg

    parts = ((get_pretrained_cfg(name, tag) or {}).get("hf_hub") or "").strip("/").split("/")
    if len(parts) < 2:
        return  # weights from a plain URL: nothing cheap to check
    repo, sub = "/".join(parts[:2]), "/".join(parts[2:])
    from huggingface_hub import try_to_load_from_cache

    for filename in ("open_clip_model.safetensors", "open_clip_pytorch_model.bin"):
        found = try_to_load_from_cache(repo, f"{sub}/{filename}" if sub else filename)
        if isinstance(found, str) and Path(found).is_file():
            return
    raise WeightsUnavailableError(
        f"CLIP weights {name}/{tag} are not in the local hub cache and HF_HUB_OFFLINE is set: "
        "pass a local checkpoint file (--clip-pretrained PATH), or --clip-model near-tiny "
        "--clip-pretrained synthetic"
    )


def check_mllm(cfg: NearConfig, *, timeout_s: float = 3.0) -> None:
    """When the MLLM server answers ``GET /models`` with a model list, it must serve
    ``mllm.model``; raises PreflightError naming what it serves. Unreachable: logged only."""
    m = cfg.mllm
    key = os.environ.get(m.api_key_env)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        resp = httpx.get(m.url.rstrip("/") + "/models", timeout=timeout_s, headers=headers)
    except httpx.HTTPError as exc:
        log.info("preflight: MLLM server %s does not answer yet (%s)", m.url, type(exc).__name__)
        return
    if resp.status_code != 200:
        return
    try:
        served = [str(d["id"]) for d in resp.json()["data"]]
    except (ValueError, KeyError, TypeError):
        return
    if served and m.model not in served:
        raise PreflightError(
            f"MLLM server {m.url} does not serve model {m.model!r} (it serves: "
            f"{', '.join(served[:8])}); pass --model with one of them (mllm.model)"
        )


def check_config(cfg: NearConfig, *, mllm: bool = True) -> None:
    """Everything a run needs that can be checked before the first MLLM request.

    Raises a NearError whose message says what to pass (CLIP errors keep their own class and
    exit code; a bad value becomes :class:`PreflightError`)."""
    try:
        check_clip(cfg)
    except WeightsUnavailableError:
        raise
    except ClipError as exc:
        raise PreflightError(f"preflight: {exc}") from None
    if mllm:
        check_mllm(cfg)
