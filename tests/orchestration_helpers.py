"""Test helpers for the orchestration tests: a real `prefect server start` on loopback, the
REST calls the Prefect UI makes, and small datasets."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from near_core.mllm.serve import free_port

BIN = Path(sys.executable).parent
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def prefect_env(home: Path, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment for Prefect processes of a test: own PREFECT_HOME, analytics off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "OMP_NUM_THREADS": "1",
    }
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env | extra


@dataclass
class PrefectServer:
    """A running `prefect server start`; ``api`` is its REST base URL (.../api)."""

    proc: subprocess.Popen
    api: str
    home: Path

    def client(self) -> httpx.Client:
        return _RetryingClient(base_url=self.api, timeout=30)


class _RetryingClient(httpx.Client):
    """An httpx client that retries what the Prefect server marks retryable (429, 502, 503:
    e.g. its SQLite database locked under load), with backoff, as Prefect's own client does."""

    RETRY = frozenset({429, 502, 503})

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        response = super().send(request, **kwargs)
        for delay in (0.5, 1.0, 2.0, 4.0, 8.0):
            if response.status_code not in self.RETRY:
                break
            response.close()
            time.sleep(delay)
            response = super().send(request, **kwargs)
        return response


@contextlib.contextmanager
def prefect_server(home: Path, *, startup_s: float = 180.0) -> Iterator[PrefectServer]:
    """Start `prefect server start` on a free loopback port; stop it by SIGTERM."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = prefect_env(
        home,
        PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2",
        PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
    )
    log = open(home / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + startup_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited: {(home / 'server.log').read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("prefect server did not become healthy")
            time.sleep(0.5)
        yield PrefectServer(proc, api, home)
    finally:
        stop_process(proc)
        log.close()


def stop_process(proc: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM, wait, then SIGKILL."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def deployment_id(client: httpx.Client, name: str, *, timeout: float = 120) -> str:
    """Id of deployment ``flow/deployment`` once it is registered."""
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(f"/deployments/name/{name}")
        if r.status_code == 200:
            return r.json()["id"]
        if time.monotonic() > deadline:
            raise TimeoutError(f"deployment {name} not registered")
        time.sleep(1)


def create_run(client: httpx.Client, deployment: str, parameters: dict[str, Any]) -> str:
    """Create a flow run of a deployment as the UI's 'Run' button does; returns its id."""
    r = client.post(f"/deployments/{deployment}/create_flow_run", json={"parameters": parameters})
    r.raise_for_status()
    return r.json()["id"]


def wait_run(client: httpx.Client, run_id: str, *, timeout: float = 240) -> dict[str, Any]:
    """The flow run once its state is terminal."""
    deadline = time.monotonic() + timeout
    while True:
        run = client.get(f"/flow_runs/{run_id}").json()
        if run["state_type"] in TERMINAL:
            return run
        if time.monotonic() > deadline:
            raise TimeoutError(f"flow run {run_id} still {run['state_type']}")
        time.sleep(1)


def artifacts_of(client: httpx.Client, run_id: str) -> dict[str, dict[str, Any]]:
    """Artifacts of a flow run by key."""
    r = client.post("/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run_id]}}})
    r.raise_for_status()
    return {a["key"]: a for a in r.json() if a.get("key")}
