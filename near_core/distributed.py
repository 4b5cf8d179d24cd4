"""DDP plumbing of training: process group from torchrun's environment, and the collectives
the NeaR refinement needs (per-sample rows gathered in sample order: losses and top-k
statistics, never (N, C); sums; objects).

Every function also works without a process group (world size 1), so training has one code
path for a single process and for torchrun.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
import torch.distributed as dist
from torch import Tensor

from near_core.clip import Runtime


@dataclass(frozen=True)
class DistInfo:
    """Rank and world size (world 1 = single process, no process group)."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def enabled(self) -> bool:
        return self.world > 1

    @property
    def main(self) -> bool:
        return self.rank == 0


def init_distributed(device: str) -> DistInfo:
    """Join the process group when torchrun set RANK/WORLD_SIZE (nccl on GPU, gloo on CPU)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistInfo()
    rank, local = int(os.environ["RANK"]), int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = torch.cuda.is_available() and not device.startswith("cpu")
    if not dist.is_initialized():
        if use_cuda:
            torch.cuda.set_device(local)
        dist.init_process_group("nccl" if use_cuda else "gloo")
    return DistInfo(rank=rank, world=world, local_rank=local)


def close_distributed(*, clean: bool) -> None:
    """Leave the process group (nothing without one). ``clean``: this rank got to the end
    without an error, so every rank waits for the others first.

    Garbage is collected before the group goes: DDP's wrapper sits in a reference cycle that
    holds the group's gloo work, and when the collector met it during interpreter shutdown
    the process aborted ("terminate called without an active exception", once in CI).
    """
    if not dist.is_initialized():
        return
    with contextlib.suppress(Exception):
        if clean:
            dist.barrier()
        gc.collect()
        dist.destroy_process_group()


def rank_runtime(rt: Runtime, info: DistInfo) -> Runtime:
    """The runtime on this rank's own GPU (``cuda:LOCAL_RANK``) under DDP; unchanged otherwise."""
    if info.enabled and rt.is_cuda:
        return Runtime(torch.device("cuda", info.local_rank), rt.amp_dtype)
    return rt


def gather_rows(values: Tensor, idx: Tensor, n: int, info: DistInfo) -> Tensor:
    """Rows ``values[j]`` of sample ``idx[j]`` from every rank -> ``(n, ...)`` in sample order
    (callers send O(K) numbers per sample: near_core.train.targets)."""
    if info.enabled:
        vs = [torch.empty_like(values) for _ in range(info.world)]
        js = [torch.empty_like(idx) for _ in range(info.world)]
        dist.all_gather(vs, values)
        dist.all_gather(js, idx)
        values, idx = torch.cat(vs), torch.cat(js)
    out = torch.zeros((n, *values.shape[1:]), dtype=values.dtype)
    out[idx.cpu()] = values.cpu()
    return out


def all_sum(values: Sequence[float], info: DistInfo, device: torch.device) -> list[float]:
    """Element-wise sum of ``values`` over all ranks."""
    t = torch.tensor(list(values), dtype=torch.float64, device=device)
    if info.enabled:
        dist.all_reduce(t)
    return t.tolist()


def gather_objects(obj: Any, info: DistInfo) -> list[Any]:
    """``obj`` of every rank, in rank order (``[obj]`` without DDP)."""
    if not info.enabled:
        return [obj]
    out: list[Any] = [None] * info.world
    dist.all_gather_object(out, obj)
    return out
