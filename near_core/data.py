"""Image datasets and loaders shared by embedding, training and relabeling.

* :class:`ImageDataset` -- ``(image_id, path)`` items -> ``(image (3, H, W), index, error)``.
* :class:`FeatureDataset` -- cached ``(N, D)`` embeddings -> ``(features (D,), index, "")``.
* :func:`make_loader` / :func:`to_device` -- one DataLoader recipe for every stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from near_core.clip import Runtime
from near_core.ingest import load_rgb


class ImageDataset(Dataset):
    """``items[i] = (image_id, path)`` -> ``(image (3, H, W) float, i, error)``.

    An unreadable image yields a zero tensor and a non-empty ``error`` string instead of
    raising, so one bad file never stops a batch.
    """

    def __init__(self, items: Sequence[tuple[str, str]], transform: Any, image_size: int):
        self.items = list(items)
        self.transform = transform
        self.image_size = image_size

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int, str]:
        _, path = self.items[i]
        try:
            return self.transform(load_rgb(path)), i, ""
        except Exception as exc:  # decoding errors of every kind: reported, not raised
            blank = torch.zeros(3, self.image_size, self.image_size)
            return blank, i, f"{type(exc).__name__}: {exc}"[:300]


def image_size(preprocess_cfg: dict[str, Any]) -> int:
    """Side of the square model input of an open_clip preprocessing config."""
    size = preprocess_cfg["size"]
    return int(size[0] if isinstance(size, (list, tuple)) else size)


def make_loader(
    dataset: Dataset,
    runtime: Runtime,
    *,
    batch_size: int,
    workers: int,
    sampler: Sampler | None = None,
    drop_last: bool = False,
) -> DataLoader:
    """A DataLoader with ``workers`` processes and pinned memory on GPU. Worker seeds come
    from torch's global RNG, so a restored RNG state replays the same augmentations."""
    return DataLoader(
        dataset,
        batch_size=batch_size,
        sampler=sampler,
        shuffle=False,
        num_workers=workers,
        pin_memory=runtime.is_cuda,
        drop_last=drop_last,
    )


def to_device(images: torch.Tensor, runtime: Runtime) -> torch.Tensor:
    """Move a batch to the runtime's device (channels-last on GPU)."""
    if runtime.is_cuda:
        return images.to(runtime.device, non_blocking=True, memory_format=torch.channels_last)
    return images


class FeatureDataset(Dataset):
    """Cached embeddings as a dataset: ``i -> (features (D,), i, "")``."""

    def __init__(self, features: torch.Tensor):
        self.features = features

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int, str]:
        return self.features[i], i, ""
