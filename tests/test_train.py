"""NeaR training on CLIP (near-tiny, colour images, 30% noisy labels): learning, refinement,
checkpoints, exact resume after a kill, NaN guard."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from clip_fixtures import build_run, tiny_checkpoint

from near_core.clip import TINY, load_clip
from near_core.config import load_config
from near_core.objective import NearObjective
from near_core.store import RunStore
from near_core.train import (
    TrainError,
    load_checkpoint,
    torchrun_command,
    train,
    write_launch_config,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def noisy_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("noisy")
    ckpt = tiny_checkpoint(root / "tiny.safetensors")
    info = build_run(root / "run", root / "images", ckpt, per_class=12, noise=0.3)
    return root / "run", info


def _overrides(out: Path, **kw) -> dict:
    base = {"train.out": str(out), "train.batch_size": 16, "train.workers": 0,
            "train.lr": 0.1, "train.encoder_lr": 1e-4, "train.refine_after": 3,
            "train.augment": False, "train.epochs": 6, "train.mode": "finetune"}
    return base | kw


def _accuracy(labels, ids, truth) -> float:
    return float(np.mean([lab == truth[i] for lab, i in zip(labels, ids, strict=True)]))


@pytest.mark.parametrize("mode", ["finetune", "head"])
def test_training_refines_noisy_labels(noisy_run, tmp_path: Path, mode: str):
    run, info = noisy_run
    out = tmp_path / "out"
    result = train(RunStore(run), load_config(None, _overrides(out, **{"train.mode": mode})))
    noisy_acc = _accuracy([info["noisy"][i] for i in info["ids"]], info["ids"], info["truth"])
    assert 0.6 < noisy_acc < 0.8
    losses = [h["train_loss"] for h in result.history]
    assert losses[-1] < 0.6 * losses[0]
    assert _accuracy(result.labels, result.image_ids, info["truth"]) >= noisy_acc + 0.05
    assert any(h["refined"] for h in result.history)
    with open(out / "metrics.csv") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["epoch"]) for r in rows] == list(range(1, 7))
    assert {"train_loss", "set_loss", "clean_frac", "lr", "images_per_s"} <= set(rows[0])
    assert load_config(out / "config.toml").train.mode == mode
    assert (out / "best.pt").is_file() and (out / "bundle" / "visual.safetensors").is_file()
    labels = RunStore(out).read("labels")
    assert labels.num_rows == len(info["ids"])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["world_size"] == 1 and summary["model_version"] == result.model_version
    assert RunStore(run).state()["train"]["bundle"] == str(out / "bundle")


def test_locking_of_towers(noisy_run, tmp_path: Path):
    run, _ = noisy_run
    cfg = load_config(None, _overrides(tmp_path / "out", **{
        "train.epochs": 1, "train.unlocked_blocks": 1, "train.unlock_text": True,
        "train.encoder_lr": 1e-3}))
    train(RunStore(run), cfg)
    after = load_checkpoint(tmp_path / "out" / "latest.pt").model
    before = load_clip(TINY, RunStore(run).state()["clip"]["pretrained"], device="cpu")
    init = {f"clip.{k}": v for k, v in before.model.state_dict().items()}

    def changed(key: str) -> bool:
        return not torch.equal(after[key], init[key])

    assert not changed("clip.visual.conv1.weight")  # locked: early image blocks
    assert not changed("clip.visual.transformer.resblocks.0.mlp.c_fc.weight")
    assert changed("clip.visual.transformer.resblocks.1.mlp.c_fc.weight")  # last block
    assert changed("clip.visual.proj")
    assert changed("clip.transformer.resblocks.0.mlp.c_fc.weight")  # text tower unlocked
    assert (tmp_path / "out" / "bundle" / "head.safetensors").is_file()


def test_existing_checkpoint_needs_resume(noisy_run, tmp_path: Path):
    run, _ = noisy_run
    cfg = load_config(None, _overrides(tmp_path / "out", **{"train.mode": "head",
                                                            "train.epochs": 1}))
    train(RunStore(run), cfg)
    with pytest.raises(TrainError, match="--resume"):
        train(RunStore(run), cfg)
    again = train(RunStore(run), cfg, resume=True)  # finished run: nothing left to train
    assert len(again.history) == 1


def test_nan_guard_stops_a_diverged_run(noisy_run, tmp_path: Path, monkeypatch):
    run, _ = noisy_run

    def nan_loss(self, logits, weights, sample_weight=None):
        return logits.sum(-1) * float("nan")

    monkeypatch.setattr(NearObjective, "loss", nan_loss)
    cfg = load_config(None, _overrides(tmp_path / "out", **{"train.mode": "head",
                                                            "train.max_nonfinite": 2}))
    with pytest.raises(TrainError, match="diverged: 2 consecutive non-finite"):
        train(RunStore(run), cfg)


@pytest.mark.slow
def test_resume_after_kill_equals_uninterrupted(noisy_run, tmp_path: Path):
    run, _ = noisy_run
    kw = {"train.augment": True, "train.epochs": 3, "train.refine_after": 1}
    killed, straight = tmp_path / "killed", tmp_path / "straight"
    cfg_file = write_launch_config(load_config(None, _overrides(killed, **kw)), tmp_path / "cfg")
    env = os.environ | {"PYTHONPATH": str(REPO), "OMP_NUM_THREADS": str(torch.get_num_threads())}
    proc = subprocess.Popen([sys.executable, "-m", "near_core.train", "--run", str(run), "--config",
                             str(cfg_file)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not (killed / "latest.pt").exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stopped_at = load_checkpoint(killed / "latest.pt").epoch
    assert 1 <= stopped_at < 3  # killed mid-run

    resumed = train(RunStore(run), load_config(None, _overrides(killed, **kw)), resume=True)
    full = train(RunStore(run), load_config(None, _overrides(straight, **kw)))
    assert [h["epoch"] for h in resumed.history] == [1, 2, 3]
    a = load_checkpoint(killed / "latest.pt")
    b = load_checkpoint(straight / "latest.pt")
    for key, value in b.model.items():
        torch.testing.assert_close(a.model[key], value, atol=1e-5, rtol=1e-4, msg=key)
    torch.testing.assert_close(a.weights, b.weights, atol=1e-5, rtol=1e-4)
    assert resumed.labels == full.labels
    assert abs(resumed.history[-1]["train_loss"] - full.history[-1]["train_loss"]) < 1e-4


def test_torchrun_command():
    one = torchrun_command(["--run-dir", "R"], nproc=2)
    assert one[1:5] == ["-m", "torch.distributed.run", "--nproc-per-node=2", "--standalone"]
    assert one[-4:] == ["-m", "near_core.train", "--run-dir", "R"]
    multi = torchrun_command(["--run-dir", "R"], nproc=8, nnodes=2, node_rank=1,
                             rdzv_endpoint="node0:29500")
    assert "--node-rank=1" in multi and "--rdzv-endpoint=node0:29500" in multi
    assert torchrun_command(["--run", "R"], nproc=2)[-2:] == ["--run-dir", "R"]
    with pytest.raises(TrainError, match="rdzv_endpoint"):
        torchrun_command([], nproc=8, nnodes=2)
