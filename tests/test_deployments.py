"""End to end against a real `prefect server start` on loopback: serve the deployments
(deployments/serve.py main), trigger a parameterised pipeline run through the REST API as the
UI does, then let the scheduled relabel deployment pick up only the images added to an inbox;
with discovery, the scheduled deployment grows the classifier by the inbox's unseen classes
within the label budget, and its next scheduled run sends nothing."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from near_core.clip import TINY, load_clip, save_weights
from near_core.ingest import current_images
from near_core.store import RunStore
from near_core.testing.mllm_server import MLLMServer
from near_core.testing.synthetic import make_dataset
from tasks.report import artifact_prefix
from tests.discover_helpers import BUDGET, NEW, bundles, copy_run, state
from tests.orchestration_helpers import (
    PrefectServer,
    artifacts_of,
    create_run,
    deployment_id,
    prefect_env,
    prefect_server,
    stop_process,
    wait_run,
)

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
CONFIG = """
[mllm]
category = "bird species"
max_retries = 1
[clip]
workers = 0
[train]
workers = 0
epochs = 3
[report]
sacc = false
[orchestration]
label_batch = 8
retries = 1
retry_delay_s = 0
"""


@contextlib.contextmanager
def serving(server: PrefectServer, log: Path, *args: str):
    """`near serve deployments` (deployments.serve.main) as a subprocess; SIGTERM at exit."""
    code = "import sys; from deployments.serve import main; sys.exit(main(sys.argv[1:]))"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=REPO,
                                env=prefect_env(server.home, server.api),
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            stop_process(proc)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with prefect_server(tmp_path_factory.mktemp("prefect-home")) as s:
        yield s


def flow_runs(client, dep: str, states: list[str], run_dir: Path) -> list[dict]:
    """Flow runs of deployment ``dep`` on ``run_dir`` (the module's tests share the server and
    the deployment's name) in one of ``states`` (state types), oldest first."""
    r = client.post("/flow_runs/filter", json={"flow_runs": {
        "deployment_id": {"any_": [dep]}, "state": {"type": {"any_": states}}},
        "sort": "START_TIME_ASC"})
    r.raise_for_status()
    return [run for run in r.json()
            if run["parameters"].get("run_dir") == str(run_dir.resolve())]


def completed_relabels(client, dep: str) -> dict[str, dict]:
    """Completed runs of the relabel deployment: flow run id -> its relabel artifact's row."""
    r = client.post("/flow_runs/filter", json={"flow_runs": {
        "deployment_id": {"any_": [dep]}, "state": {"type": {"any_": ["COMPLETED"]}}}})
    r.raise_for_status()
    out = {}
    for run in r.json():
        arts = artifacts_of(client, run["id"])
        data = next(a["data"] for k, a in arts.items() if k.endswith("-relabel"))
        out[run["id"]] = (json.loads(data) if isinstance(data, str) else data)[0]
    return out


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(2)
    raise TimeoutError(what)


def test_served_pipeline_and_scheduled_inbox_relabel(server, tmp_path):
    make_dataset(tmp_path / "src", n_classes=3, per_class=6, seed=4)
    weights = save_weights(load_clip(TINY, "", device="cpu", seed=0).model,
                           tmp_path / "tiny.safetensors")
    cfg = tmp_path / "near.toml"
    cfg.write_text(CONFIG)
    run_dir = tmp_path / "run"
    client = server.client()

    with MLLMServer() as mllm:
        # 1. serve the three deployments; trigger the pipeline as the UI's "Run" does
        with serving(server, tmp_path / "serve1.log", "--config", str(cfg)):
            pipeline = deployment_id(client, "near-pipeline/pipeline")
            deployment_id(client, "near-label/label")
            deployment_id(client, "near-relabel/relabel-inbox")
            params = {"source": str(tmp_path / "src"), "run_dir": str(run_dir),
                      "mllm_url": mllm.url, "model": mllm.model, "clip_model": TINY,
                      "clip_pretrained": str(weights), "label_budget": 9, "truth": "folder"}
            run_id = create_run(client, pipeline, params)
            run = wait_run(client, run_id, timeout=400)
        assert run["state_type"] == "COMPLETED", (tmp_path / "serve1.log").read_text()[-3000:]
        assert run["parameters"]["label_budget"] == 9
        assert mllm.stats()["requests"] >= 9

    store = RunStore(run_dir)
    ok = set(current_images(store)["image_id"].to_pylist())
    assert len(ok) == 18
    assert set(store.read("predictions")["image_id"].to_pylist()) == ok
    assert (run_dir / "report.html").is_file()
    keys = set(artifacts_of(client, run_id))
    prefix = artifact_prefix(str(run_dir))
    assert {f"{prefix}-{k}" for k in ("summary", "vocabulary", "cost", "metrics")} <= keys

    # 2. the relabel deployment on a schedule: only images added since its last run
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with serving(server, tmp_path / "serve2.log", "--config", str(cfg), "--inbox", str(inbox),
                 "--relabel-run", str(run_dir), "--interval", "5"):
        dep = deployment_id(client, "near-relabel/relabel-inbox")
        for batch, n in (("batch1", 3), ("batch2", 2)):
            staged = tmp_path / f"staged-{batch}"
            make_dataset(staged, n_classes=1, per_class=n, seed=30 + n)
            seen = set(completed_relabels(client, dep))
            staged.rename(inbox / batch)  # the whole batch appears at once

            def new_rows(seen=seen, n=n):
                rows = [r for i, r in completed_relabels(client, dep).items() if i not in seen]
                return rows if sum(r["predicted"] for r in rows) >= n else None

            rows = wait_for(new_rows, timeout=240, what=f"a scheduled relabel run for {batch}")
            # the runs since the batch arrived predicted exactly its images, nothing older
            assert sum(r["predicted"] for r in rows) == n, rows
            assert sum(r["new_images"] for r in rows) == n, rows
    log = (tmp_path / "serve2.log").read_text()
    assert not re.search(r"Traceback", log), log[-3000:]
    predictions = store.read("predictions")
    assert set(predictions["image_id"].to_pylist()) == set(
        current_images(store)["image_id"].to_pylist())
    assert predictions.num_rows == 18 + 5  # nothing predicted twice


DISCOVER_CONFIG = """
[mllm]
category = "bird species"
max_retries = 1
backoff_base_s = 0
[clip]
workers = 0
[train]
workers = 0
[orchestration]
retries = 1
retry_delay_s = 0
"""


def test_scheduled_inbox_relabel_discovers_new_classes(server, discovery_run, tmp_path):
    """`near serve deployments --inbox ... --discover --label-budget N`: the relabel
    deployment's interval schedule runs on an inbox batch holding 2 classes the run never
    saw; the first scheduled run adds them within the budget, the next sends nothing."""
    run_dir = copy_run(discovery_run, tmp_path / "run")
    parent = state(run_dir)["train"]["model_version"]
    inbox = tmp_path / "inbox"
    shutil.copytree(discovery_run.parent / "batch", inbox / "batch")
    cfg = tmp_path / "near.toml"
    cfg.write_text(DISCOVER_CONFIG)
    client = server.client()
    log = tmp_path / "serve.log"
    with MLLMServer() as mllm:
        with serving(server, log, "--config", str(cfg), "--inbox", str(inbox), "--relabel-run",
                     str(run_dir), "--interval", "5", "--discover", "--label-budget",
                     str(BUDGET), "--mllm-url", mllm.url, "--model", mllm.model):
            dep = deployment_id(client, "near-relabel/relabel-inbox")
            done = wait_for(lambda: (lambda r: r if len(r) >= 2 else None)(
                flow_runs(client, dep, ["COMPLETED"], run_dir)), timeout=300,
                what="two scheduled relabel runs")
        spent = mllm.stats()["requests"]
    assert not flow_runs(client, dep, ["FAILED", "CRASHED"], run_dir), log.read_text()[-3000:]
    assert all(r["auto_scheduled"] for r in done)  # the scheduler made them, not a trigger
    assert all(r["parameters"]["discover"] and r["parameters"]["label_budget"] == BUDGET
               for r in done)
    first, second = (artifacts_of(client, r["id"]) for r in done[:2])
    prefix = artifact_prefix(str(run_dir))
    found = first[f"{prefix}-discovery"]["data"]
    assert f"MLLM requests: {spent}" in found and 0 < spent <= BUDGET
    assert "already examined: 0 MLLM requests" in second[f"{prefix}-discovery"]["data"]
    grown = state(run_dir)["discovered"]
    record = json.loads((run_dir / "discovery" / f"{grown['model_version']}.json").read_text())
    assert record["parent_version"] == parent and record["mllm_requests"] == spent
    assert record["classes_added"] and set(record["classes_added"]) <= NEW
    assert len(bundles(run_dir)) == 1  # the second scheduled run trained nothing
    relabeled = [json.loads(a["data"]) if isinstance(a["data"], str) else a["data"]
                 for a in (first[f"{prefix}-relabel"], second[f"{prefix}-relabel"])]
    assert relabeled[0][0]["model_version"] == grown["model_version"]
    assert relabeled[0][0]["new_images"] == 64 and relabeled[1][0]["new_images"] == 0
    assert relabeled[1][0]["predicted"] == 0
