"""Classifier bundle: everything needed to label images, in one directory.

Layout::

    BUNDLE/
      visual.safetensors   image-tower weights of the CLIP model
      head.safetensors     class_vectors (C, D) float32 (L2-normalised), log_scale (),
                           center (D,) subtracted from image features before normalising
      vocabulary.json      [{"label_id": int, "name": str}, ...] in class-vector row order
      preprocess.json      open_clip preprocessing (size, mean, std, interpolation, ...)
      config.json          model name, weights source, model_version, training config;
                           lineage of a bundle grown by discovery (near_core.discover):
                           parent_version and classes_added (absent in other bundles)
      versions.json        near-pipeline, torch, open_clip, python versions at save time
      knn.safetensors      only when the bundle keeps the kNN vote classifier
                           (near_core.vote): features (M, D) float32 centred and normalised,
                           labels (M,) int64 rows of vocabulary.json, k (); the head votes
                           with them and class_vectors hold their class means

``load_bundle(dir)`` needs none of the training run. ``model_version`` is a hash of the weight
files (the vote memory included), so predictions of two bundles never share a key unless the
weights are identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from near_core.clip import (
    CheckpointError,
    ClipError,
    Runtime,
    open_clip_module,
    read_state_dict,
    seeded,
    select_runtime,
)
from near_core.objective import CosineHead
from near_core.vote import VoteHead, VoteMemory

FILES = (
    "visual.safetensors",
    "head.safetensors",
    "vocabulary.json",
    "preprocess.json",
    "config.json",
    "versions.json",
)
#: the optional file of a bundle that keeps the kNN vote classifier
VOTE_FILE = "knn.safetensors"


class BundleError(ClipError):
    """A bundle directory is missing, incomplete or inconsistent."""


class ClipClassifier(nn.Module):
    """Image tower + cosine head: ``(B, 3, H, W)`` images -> ``(B, C)`` logits. The head sees
    L2-normalised features, as in training (its ``center`` lives in that space)."""

    def __init__(self, visual: nn.Module, head: CosineHead):
        super().__init__()
        self.visual = visual
        self.head = head

    def forward(self, images: Tensor) -> Tensor:
        return self.head(F.normalize(self.visual(images), dim=-1))


@dataclass
class Bundle:
    """A loaded classifier. ``names[c]`` is the class of logit ``c``."""

    classifier: ClipClassifier
    names: list[str]
    label_ids: list[int]
    preprocess: Any
    preprocess_cfg: dict[str, Any]
    runtime: Runtime
    config: dict[str, Any]

    @property
    def model_version(self) -> str:
        return self.config["model_version"]

    @property
    def kind(self) -> str:
        """``knn`` when the bundle votes with its named images, else ``cosine``."""
        return "knn" if isinstance(self.classifier.head, VoteHead) else "cosine"

    @property
    def parent_version(self) -> str | None:
        """model_version of the bundle this one was grown from (None: trained from scratch)."""
        return self.config.get("parent_version")

    @property
    def classes_added(self) -> list[str]:
        """Names this bundle added to its parent's (empty without a parent)."""
        return list(self.config.get("classes_added") or [])

    @torch.no_grad()
    def features(self, images: Tensor) -> Tensor:
        """``(B, 3, H, W)`` preprocessed images -> ``(B, D)`` image-tower outputs, the head's
        input (CPU fp32)."""
        from near_core.embed import to_device

        rt = self.runtime
        with rt.autocast():
            feats = self.classifier.visual(to_device(images, rt))
        return feats.float().cpu()

    @torch.no_grad()
    def probs(self, images: Tensor) -> Tensor:
        """``(B, 3, H, W)`` preprocessed images -> ``(B, C)`` class probabilities (CPU fp32)."""
        from near_core.data import to_device

        rt = self.runtime
        with rt.autocast():
            logits = self.classifier(to_device(images, rt))
        return torch.softmax(logits.float(), dim=-1).cpu()

    def topk(self, probs: Tensor, k: int) -> tuple[list[list[str]], Tensor]:
        """Names ``(B, k')`` and scores ``(B, k')`` of the ``k' = min(k, C)`` best classes."""
        scores, idx = probs.topk(min(k, probs.shape[1]), dim=-1)
        return [[self.names[j] for j in row] for row in idx.tolist()], scores


def _versions() -> dict[str, str]:
    import open_clip

    from near_core import __version__

    return {
        "near-pipeline": __version__,
        "torch": torch.__version__,
        "open_clip": open_clip.__version__,
        "python": platform.python_version(),
    }


def save_bundle(
    out: str | os.PathLike[str],
    *,
    model_name: str,
    weights_source: str,
    visual: nn.Module,
    class_vectors: Tensor,
    log_scale: Tensor | float,
    center: Tensor | None = None,
    names: Sequence[str],
    label_ids: Sequence[int],
    preprocess_cfg: dict[str, Any],
    train_config: dict[str, Any] | None = None,
    parent_version: str | None = None,
    classes_added: Sequence[str] = (),
    memory: VoteMemory | None = None,
) -> Path:
    """Write a bundle directory atomically (built beside ``out``, then renamed into place).

    ``class_vectors`` is (C, D); ``names``/``label_ids`` have C entries. Returns ``out``.
    ``parent_version``/``classes_added``: lineage of a bundle grown from another one (kept in
    config.json only when a parent is given).
    """
    from safetensors.torch import save

    out = Path(out)
    if class_vectors.shape[0] != len(names) or len(names) != len(label_ids):
        raise BundleError(
            f"bundle: {class_vectors.shape[0]} class vectors, {len(names)} names, "
            f"{len(label_ids)} label ids"
        )
    visual_state = {k: v.detach().cpu().contiguous().clone() for k, v in visual.state_dict().items()}
    head_state = {
        "class_vectors": F.normalize(class_vectors.detach().float().cpu(), dim=-1).contiguous(),
        "log_scale": torch.as_tensor(log_scale, dtype=torch.float32).detach().cpu().reshape(()),
        "center": (torch.zeros(class_vectors.shape[1]) if center is None
                   else center.detach().float().cpu().contiguous().clone()),
    }
    blobs = {"visual.safetensors": save(visual_state), "head.safetensors": save(head_state)}
    if memory is not None:
        if not memory.fits(len(names)):
            raise BundleError(f"bundle: vote memory labels outside the {len(names)} classes")
        blobs[VOTE_FILE] = save({
            "features": memory.features.detach().float().cpu().contiguous(),
            "labels": memory.labels.detach().long().cpu().contiguous(),
            "k": torch.tensor(int(memory.k))})
    digest = hashlib.sha256(b"".join(blobs.values())).hexdigest()
    vocab = [{"label_id": int(i), "name": str(n)} for i, n in zip(label_ids, names, strict=True)]
    config = {
        "model_name": model_name,
        "weights_source": weights_source,
        "model_version": f"{model_name}-{digest[:12]}",
        "created_at": datetime.now(UTC).isoformat(),
        "train": train_config or {},
    }
    if parent_version is not None:
        config |= {"parent_version": parent_version, "classes_added": [str(n) for n in classes_added]}
    texts = {
        "vocabulary.json": vocab,
        "preprocess.json": preprocess_cfg,
        "config.json": config,
        "versions.json": _versions(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        for name, blob in blobs.items():
            (tmp / name).write_bytes(blob)
        for name, data in texts.items():
            (tmp / name).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BundleError(f"bundle file {path} cannot be read: {exc}") from None


def read_bundle_info(path: str | os.PathLike[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``(config, vocabulary)`` of a bundle directory, without loading any weights."""
    path = Path(path)
    if not path.is_dir():
        raise BundleError(f"classifier bundle not found: {path} (train one with `near train`)")
    missing = [f for f in FILES if not (path / f).is_file()]
    if missing:
        raise BundleError(f"bundle {path} is incomplete: missing {', '.join(missing)}")
    return _read_json(path / "config.json"), _read_json(path / "vocabulary.json")


def _vote_memory(path: Path, shape: torch.Size) -> VoteMemory:
    """The vote memory of bundle ``path`` whose class vectors have ``shape`` (C, D)."""
    state = read_state_dict(path / VOTE_FILE)
    feats, labels, k = state.get("features"), state.get("labels"), state.get("k")
    if feats is None or labels is None or k is None:
        raise BundleError(f"bundle {path}: {VOTE_FILE} needs features, labels and k")
    if feats.dim() != 2 or feats.shape[1] != shape[1] or labels.shape != (feats.shape[0],):
        raise BundleError(f"bundle {path}: {VOTE_FILE} features {tuple(feats.shape)} and labels "
                          f"{tuple(labels.shape)} do not fit class vectors {tuple(shape)}")
    memory = VoteMemory(feats.float(), labels.long(), int(k))
    if not memory.fits(shape[0]):
        raise BundleError(f"bundle {path}: {VOTE_FILE} labels outside the {shape[0]} classes")
    if memory.k < 1:
        raise BundleError(f"bundle {path}: {VOTE_FILE} k must be at least 1")
    return memory


def load_bundle(
    path: str | os.PathLike[str], *, device: str = "auto", precision: str = "auto"
) -> Bundle:
    """Load a bundle directory written by :func:`save_bundle`."""
    from open_clip.transform import PreprocessCfg, image_transform_v2

    path = Path(path)
    config, vocab = read_bundle_info(path)
    pre_cfg = _read_json(path / "preprocess.json")
    oc = open_clip_module()
    name = config.get("model_name")
    if name not in oc.list_models():
        raise BundleError(f"bundle {path}: unknown CLIP architecture {name!r}")
    with seeded(0):  # the random init is overwritten; seeding keeps the caller's RNG intact
        model = oc.create_model(name, pretrained=None, device="cpu")
    try:
        model.visual.load_state_dict(read_state_dict(path / "visual.safetensors"), strict=True)
    except RuntimeError as exc:
        raise BundleError(f"bundle {path}: visual weights do not fit {name}: {exc}") from None
    head_state = read_state_dict(path / "head.safetensors")
    vectors = head_state.get("class_vectors")
    if vectors is None or vectors.shape[0] != len(vocab):
        raise CheckpointError(f"bundle {path}: class vectors do not match vocabulary.json")
    scale = float(head_state["log_scale"].exp())
    if (path / VOTE_FILE).is_file():
        head = VoteHead(_vote_memory(path, vectors.shape), n_classes=len(vocab), scale=scale,
                        center=head_state.get("center"))
    else:
        head = CosineHead(vectors, scale=scale, center=head_state.get("center"))
    runtime = select_runtime(device, precision)
    classifier = ClipClassifier(model.visual, head).to(runtime.device).eval()
    if runtime.is_cuda:
        classifier = classifier.to(memory_format=torch.channels_last)
    pre = {k: tuple(v) if isinstance(v, list) else v for k, v in pre_cfg.items()}
    return Bundle(
        classifier=classifier,
        names=[v["name"] for v in vocab],
        label_ids=[int(v["label_id"]) for v in vocab],
        preprocess=image_transform_v2(PreprocessCfg(**pre), is_train=False),
        preprocess_cfg=pre_cfg,
        runtime=runtime,
        config=config,
    )
