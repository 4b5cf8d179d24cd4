"""torchrun DDP on CPU (2 gloo processes) matches a single-process run with the same global
batch; replicas stay identical; refinement is consistent across ranks."""

from __future__ import annotations

import gc
import json
import os
import weakref
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
from clip_fixtures import build_run, tiny_checkpoint

from near_core.config import load_config
from near_core.distributed import close_distributed
from near_core.store import RunStore
from near_core.train import launch, load_checkpoint, train, train_argv, write_launch_config

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_torchrun_two_processes_match_single_process(tmp_path: Path):
    ckpt = tiny_checkpoint(tmp_path / "tiny.safetensors")
    run = tmp_path / "run"
    build_run(run, tmp_path / "images", ckpt, per_class=8, noise=0.3)  # 32 images
    settings = {"train.mode": "finetune", "train.batch_size": 16, "train.workers": 0,
                "train.epochs": 2, "train.refine_after": 1, "train.augment": False,
                "train.lr": 0.1, "train.encoder_lr": 1e-4, "clip.device": "cpu"}
    ddp_out, single_out = tmp_path / "ddp", tmp_path / "single"
    cfg_file = write_launch_config(load_config(None, settings | {"train.out": str(ddp_out)}),
                                   tmp_path / "cfg")
    argv = train_argv(run, cfg_file)
    env = {"PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "OMP_NUM_THREADS": "1"}
    assert launch(argv, nproc=2, env=env, timeout=600) == 0

    summary = json.loads((ddp_out / "summary.json").read_text())
    assert summary["world_size"] == 2
    hashes = summary["replica_hashes"]
    assert len(hashes) == 2 and hashes[0] == hashes[1]

    torch.set_num_threads(1)
    train(RunStore(run), load_config(None, settings | {"train.out": str(single_out)}))
    a, b = load_checkpoint(ddp_out / "latest.pt"), load_checkpoint(single_out / "latest.pt")
    assert a.epoch == b.epoch == 2
    for key, value in b.model.items():
        torch.testing.assert_close(a.model[key], value, atol=1e-4, rtol=1e-3, msg=key)
    torch.testing.assert_close(a.weights, b.weights, atol=1e-3, rtol=1e-3)
    assert [h["refined"] for h in a.history] == [1, 1]
    for ha, hb in zip(a.history, b.history, strict=True):
        assert ha["train_loss"] == pytest.approx(hb["train_loss"], rel=1e-3)
    assert len(a.rng) == 2  # every rank's RNG state is checkpointed


def test_closing_frees_the_ddp_wrapper_before_the_group_goes():
    """A DDP wrapper in a reference cycle (a process's first wrapper sits in one) holds the
    group's work; closing collects it while the interpreter is whole (left to shutdown, a
    rank aborted once in CI)."""
    dist.init_process_group("gloo", rank=0, world_size=1, store=dist.HashStore())
    enabled = gc.isenabled()
    gc.disable()
    try:
        net = torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(3, 2))
        net(torch.randn(4, 3)).sum().backward()
        net.cycle = [net]
        ref = weakref.ref(net)
        del net
        assert ref() is not None  # only the collector frees it
        close_distributed(clean=True)
        assert ref() is None and not dist.is_initialized()
    finally:
        if enabled:
            gc.enable()
        if dist.is_initialized():
            dist.destroy_process_group()
