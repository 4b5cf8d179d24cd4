"""Training checkpoints: one :class:`CheckpointState`, written and read here only.

``latest.pt`` / ``best.pt`` hold the model, optimizer/scheduler/scaler, the refinement state,
every rank's RNG state and the history; ``--resume`` restores all of it.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from near_core.clip import Runtime
from near_core.errors import NearError
from near_core.store import atomic_write_bytes

CHECKPOINT_FORMAT = 2


class TrainError(NearError):
    """Training cannot start or continue (missing inputs, diverged, bad checkpoint)."""


@dataclass
class CheckpointState:
    """Everything a run needs to continue exactly after ``epoch`` epochs.

    ``weights`` (N, C) / ``sample_weight`` (N,) / ``clean_prob`` (N,) are the refinement
    targets of the N training images ``image_ids``; ``names`` the C classes; ``rng`` one RNG
    state per rank (``world`` ranks).
    """

    epoch: int
    model: dict[str, Tensor]
    optim: dict[str, Any]
    weights: Tensor
    sample_weight: Tensor
    clean_prob: Tensor
    best: float
    history: list[dict[str, Any]]
    rng: list[dict[str, Any]]
    world: int
    image_ids: list[str]
    names: list[str]
    mode: str

    def save(self, path: Path) -> None:
        """Write atomically (a kill mid-write leaves the previous file)."""
        payload = {"format": CHECKPOINT_FORMAT} | {f.name: getattr(self, f.name) for f in fields(self)}
        buf = io.BytesIO()
        torch.save(payload, buf)
        atomic_write_bytes(path, buf.getvalue())

    @classmethod
    def load(cls, path: Path) -> CheckpointState:
        """Read with ``weights_only=True``; raises :class:`TrainError` on anything else."""
        try:
            raw = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as exc:
            raise TrainError(f"cannot read checkpoint {path}: {type(exc).__name__}: {exc}") from None
        if not isinstance(raw, dict) or raw.get("format") != CHECKPOINT_FORMAT:
            raise TrainError(
                f"{path} is not a near training checkpoint (format {CHECKPOINT_FORMAT})"
            )
        missing = [f.name for f in fields(cls) if f.name not in raw]
        if missing:
            raise TrainError(f"checkpoint {path} lacks {missing}")
        return cls(**{f.name: raw[f.name] for f in fields(cls)})


def load_checkpoint(path: Path) -> CheckpointState:
    """The :class:`CheckpointState` in ``path``."""
    return CheckpointState.load(Path(path))


def rng_state(rt: Runtime) -> dict[str, Any]:
    """This process's torch / python (/ CUDA) RNG state."""
    state: dict[str, Any] = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if rt.is_cuda:
        state["cuda"] = torch.cuda.get_rng_state(rt.device)
    return state


def set_rng_state(state: dict[str, Any], rt: Runtime) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])
    if rt.is_cuda and "cuda" in state:
        torch.cuda.set_rng_state(state["cuda"], rt.device)


def write_metrics(path: Path, history: list[dict[str, Any]]) -> None:
    """``metrics.csv``: one row per epoch."""
    buf = io.StringIO()
    if history:
        writer = csv.DictWriter(buf, fieldnames=list(history[0]))
        writer.writeheader()
        writer.writerows(history)
    atomic_write_bytes(path, buf.getvalue().encode())
