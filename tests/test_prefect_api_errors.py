"""Commands that need the Prefect API, against a closed loopback port: exit code 3 and a short
message that says what to do, no traceback (README "Exit codes")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from near_core.errors import EXIT_UNAVAILABLE
from near_core.mllm.serve import free_port

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", [
    ["serve", "deployments"],
    # a valid CLIP choice, so that the preflight of the configuration passes and the run
    # reaches the Prefect API
    ["run", "{source}", "--run", "{run}", "--clip-model", "near-tiny"],
])
def test_closed_prefect_api_exits_3_without_traceback(tmp_path, command):
    source = tmp_path / "images"
    source.mkdir()
    argv = [a.format(source=source, run=tmp_path / "run") for a in command]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect"), "PYTHONPATH": str(REPO),
            "PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api",  # nothing listens
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    proc = subprocess.run([sys.executable, "-m", "near_cli", *argv], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == EXIT_UNAVAILABLE, out
    assert "Traceback" not in out and len(out.strip().splitlines()) <= 3, out
    assert "PREFECT_API_URL" in out and "prefect server start" in out


def test_a_service_lost_mid_command_exits_3_without_traceback(monkeypatch, capsys):
    """A connection error raised deep inside a command (the Prefect API went away mid-run)
    becomes exit code 3 and one line, as every other unreachable service."""
    import httpx

    from near_cli import main as cli
    from near_cli.commands import ingest

    def lost(_args):
        try:
            raise httpx.ConnectError("[Errno 111] Connection refused")
        except httpx.ConnectError as exc:
            raise RuntimeError("wrapped by a library") from exc

    monkeypatch.setattr(ingest, "run", lost)
    assert cli.main(["ingest", "src", "--run", "run"]) == EXIT_UNAVAILABLE
    err = capsys.readouterr().err
    assert "ConnectError" in err and "Traceback" not in err and len(err.splitlines()) == 1
