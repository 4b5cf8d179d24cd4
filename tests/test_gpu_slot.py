"""A `near run` killed with SIGKILL while it holds the `near-gpu` slot does not block the next
run on the same Prefect database: on a real `prefect server start` (the lease expires and the
server frees it) and on the local ephemeral API (no lease sweep: the waiting run finds the
holder dead and frees the slot itself)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from near_core.clip import TINY, load_clip, save_weights
from near_core.testing.mllm_server import MLLMServer
from near_core.testing.synthetic import make_dataset
from tests.orchestration_helpers import prefect_env, prefect_server

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
FAST = ["mllm.category=bird species", "mllm.max_retries=1", "clip.workers=0", "train.workers=0",
        "train.epochs=2", "report.sacc=false", "orchestration.retry_delay_s=0"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("gpu-slot")
    make_dataset(base / "src", n_classes=2, per_class=4, seed=4)
    weights = save_weights(load_clip(TINY, "", device="cpu", seed=0).model,
                           base / "near-tiny.safetensors")
    with MLLMServer() as mllm:
        yield base, weights, mllm


def near_run(inputs, run_dir: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    """`near run` on the tiny set as a subprocess in its own session (killed as a group)."""
    base, weights, mllm = inputs
    argv = [sys.executable, "-m", "near_cli", "run", str(base / "src"), "--run", str(run_dir),
            "--mllm-url", mllm.url, "--model", mllm.model, "--clip-model", TINY,
            "--clip-pretrained", str(weights), "--label-budget", "8",
            *(a for o in FAST for a in ("--set", o))]
    with open(log, "wb") as out:
        return subprocess.Popen(argv, cwd=REPO, env=env | {"PYTHONPATH": str(REPO)},
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def held_slots(api: str | None, home: Path) -> int:
    """Active slots of `near-gpu` (REST on a server; the ephemeral API's SQLite database)."""
    if api:
        r = httpx.get(f"{api}/v2/concurrency_limits/near-gpu", timeout=10)
        return r.json()["active_slots"] if r.status_code == 200 else 0
    import sqlite3

    if not (home / "prefect.db").is_file():
        return 0
    with contextlib.closing(sqlite3.connect(home / "prefect.db", timeout=30)) as db, \
            contextlib.suppress(sqlite3.OperationalError):  # tables not created yet
        row = db.execute("select active_slots from concurrency_limit_v2 where name = "
                         "'near-gpu'").fetchone()
        return row[0] if row else 0
    return 0


def kill_while_holding(proc: subprocess.Popen, api: str | None, home: Path, log: Path) -> None:
    deadline = time.monotonic() + 400
    while held_slots(api, home) < 1:
        assert proc.poll() is None, f"the run ended before it held the slot:\n{log.read_text()}"
        assert time.monotonic() < deadline, "the run never held the GPU slot"
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its children (ephemeral API, training)
    proc.wait()
    assert held_slots(api, home) == 1  # the slot leaked with its holder


def kill_then_rerun(inputs, tmp_path, env: dict[str, str], api: str | None, home: Path) -> str:
    """Kill a run while it holds the slot, run the next one; returns the next one's log."""
    killed = near_run(inputs, tmp_path / "killed", env, tmp_path / "killed.log")
    try:
        kill_while_holding(killed, api, home, tmp_path / "killed.log")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(killed.pid, signal.SIGKILL)
    log = tmp_path / "next.log"
    nxt = near_run(inputs, tmp_path / "next", env, log)
    try:
        assert nxt.wait(timeout=600) == 0, log.read_text()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(nxt.pid, signal.SIGKILL)
    assert (tmp_path / "next" / "report.html").is_file()
    return log.read_text()


@pytest.mark.prefect_server
def test_killed_holder_frees_the_slot_on_a_server(inputs, tmp_path):
    with prefect_server(tmp_path / "prefect") as server:
        kill_then_rerun(inputs, tmp_path, prefect_env(server.home, server.api), server.api,
                        server.home)


def test_killed_holder_frees_the_slot_on_the_ephemeral_api(inputs, tmp_path):
    home = tmp_path / "prefect"
    env = prefect_env(home, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="300")
    log = kill_then_rerun(inputs, tmp_path, env, None, home)
    # the waiting run freed the slot of the dead run itself, and said so
    assert "released 1 slot(s) of the GPU limit 'near-gpu' whose holder is gone" in log
