"""Prefect flows under prefect_test_harness: the pipeline end to end, its caches (counted at
the MLLM server and in the run store), standalone stage flows, failure and resume, Dask."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.testing.utilities import prefect_test_harness

from flows.ingest import ingest_stage
from flows.label import label_flow
from flows.pipeline import pipeline_flow
from flows.refine import embed_stage, refine_flow
from flows.relabel import relabel_flow, relabel_stage
from flows.runner import flow_config
from flows.train import train_flow
from near_cli.main import main as cli_main
from near_core.clip import TINY, load_clip, save_weights
from near_core.config import read_resolved
from near_core.ingest import current_images
from near_core.report.summary import HELD_OUT_VIEW, MLLM_VIEW, REFINED_VIEW
from near_core.store import RunStore
from near_core.testing.mllm_server import MLLMServer
from near_core.testing.synthetic import make_dataset
from near_core.train.data import held_out_ids
from tasks.gpu import ensure_gpu_limit
from tasks.report import artifact_prefix

FAST = [
    "mllm.category=bird species",
    "mllm.max_retries=1",
    "mllm.backoff_base_s=0",
    "mllm.timeout_s=10",
    "clip.workers=0",
    "train.workers=0",
    "train.epochs=3",
    "report.sacc=false",
    "orchestration.label_batch=4",
    "orchestration.retries=1",
    "orchestration.retry_delay_s=0",
]
STAGES = {"label", "embed", "refine", "train", "relabel"}


@pytest.fixture(scope="module")
def harness():
    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="module")
def mllm():
    with MLLMServer() as server:
        yield server


@pytest.fixture(scope="module")
def weights(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("weights") / "near-tiny.safetensors"
    return save_weights(load_clip(TINY, "", device="cpu", seed=0).model, path)


def run_pipeline(source: Path, run_dir: Path, url: str, model: str, weights: Path,
                 *extra: str, **kw):
    return pipeline_flow(
        source=str(source), run_dir=str(run_dir), mllm_url=url, model=model, clip_model=TINY,
        clip_pretrained=str(weights), label_budget=12, truth="folder",
        overrides=[*FAST, *extra], **kw)


def task_states(flow_run_id) -> dict[str, list[str]]:
    """Task name -> state names of one flow run's task runs."""
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    out: dict[str, list[str]] = {}
    for r in runs:
        out.setdefault(r.name.rsplit("-", 1)[0], []).append(r.state.name)
    return out


def parts(run_dir: Path, table: str) -> int:
    return len(RunStore(run_dir).files(table))


@pytest.fixture(scope="module")
def first_run(harness, mllm, weights, tmp_path_factory):
    """One pipeline run on 24 images (4 classes), MLLM budget 12."""
    base = tmp_path_factory.mktemp("pipeline")
    make_dataset(base / "src", n_classes=4, per_class=6, seed=3)
    state = run_pipeline(base / "src", base / "run", mllm.url, mllm.model, weights,
                         return_state=True)
    return base, state.result(), mllm.stats()["requests"]


def test_pipeline_end_to_end(first_run):
    base, result, requests = first_run
    store = RunStore(base / "run")
    ok = set(current_images(store)["image_id"].to_pylist())
    assert len(ok) == 24
    answered = set(store.read("answers")["image_id"].to_pylist())
    assert len(answered) == 12 and answered <= ok
    assert result["label"]["requests_sent"] == requests > 0
    predicted = set(store.read("predictions")["image_id"].to_pylist())
    assert predicted == ok  # every ok image ends with a prediction
    assert result["relabel"]["predicted"] == 24
    assert Path(result["report"]["path"]).is_file()
    assert result["report"]["metrics"]["n"] == 24
    # refine leaves out the run's validation slice, and the report scores refined labels
    # against the MLLM only where refine used the answers (the slice has its own row)
    held = held_out_ids(store, read_resolved(base / "run" / "config.toml"))
    unused = {c["image_id"] for c in store.read("candidates").to_pylist() if not c["weights"]}
    assert held and unused & answered == held
    rows = {r["labels"]: r["images"] for r in result["report"]["by_source"]}
    assert rows[MLLM_VIEW] == rows[REFINED_VIEW] == 12 - len(held)
    assert rows[HELD_OUT_VIEW] == len(held)


def test_pipeline_artifacts(first_run):
    base, _, _ = first_run
    prefix = artifact_prefix(str(base / "run"))
    with get_client(sync_client=True) as client:
        keys = {a.key for a in client.read_artifacts() if a.key}
    for name in ("summary", "vocabulary", "label-quality", "cost", "metrics"):
        assert f"{prefix}-{name}" in keys


def test_rerun_hits_caches(first_run, mllm, weights):
    base, _, requests = first_run
    run = base / "run"
    before = {t: parts(run, t) for t in ("answers", "embeddings", "predictions")}
    state = run_pipeline(base / "src", run, mllm.url, mllm.model, weights, return_state=True)
    assert state.is_completed()
    assert mllm.stats()["requests"] == requests  # zero MLLM requests
    assert {t: parts(run, t) for t in before} == before  # zero embeddings/predictions recomputed
    states = task_states(state.state_details.flow_run_id)
    for stage in STAGES:
        assert states[stage] and set(states[stage]) == {"Cached"}, (stage, states)


def test_added_images_go_to_clip_only(first_run, mllm, weights):
    base, _, _ = first_run
    run = base / "run"
    make_dataset(base / "more", n_classes=4, per_class=1, seed=11)
    shutil.copytree(base / "more", base / "src" / "added")
    requests = mllm.stats()["requests"]
    result = run_pipeline(base / "src", run, mllm.url, mllm.model, weights)
    assert mllm.stats()["requests"] == requests
    assert result["relabel"]["predicted"] == 4
    store = RunStore(run)
    assert set(store.read("predictions")["image_id"].to_pylist()) == set(
        current_images(store)["image_id"].to_pylist())


def test_stage_flows_alone(first_run, mllm, weights, tmp_path):
    """near-label, near-refine, near-train on the pipeline's run: served from the cache;
    near-relabel on an inbox: only new images, then nothing."""
    base, _, _ = first_run
    run = str(base / "run")
    requests = mllm.stats()["requests"]
    label = label_flow(run_dir=run, mllm_url=mllm.url, model=mllm.model, label_budget=12,
                       overrides=FAST)
    assert label["labeled"] == 12 and mllm.stats()["requests"] == requests
    refine = refine_flow(run_dir=run, overrides=FAST)
    assert refine["vocabulary"] > 0 and refine["from_cache"]
    train = train_flow(run_dir=run, overrides=FAST)
    assert Path(train["bundle"]).is_dir() and train["from_cache"]
    inbox = tmp_path / "inbox"
    make_dataset(inbox, n_classes=2, per_class=2, seed=21)
    first = relabel_flow(inbox=str(inbox), run_dir=run, overrides=FAST)
    assert first["new_images"] == 4 and first["predicted"] == 4
    again = relabel_flow(inbox=str(inbox), run_dir=run, overrides=FAST)
    assert again["new_images"] == 0 and again["predicted"] == 0


def test_mllm_down_fails_clearly_and_rerun_resumes(harness, mllm, weights, tmp_path, capsys):
    """`near run` against an MLLM server that is down for the whole retry window: the flow
    fails, the CLI says which server and exits 3; the rerun reuses what was persisted."""
    make_dataset(tmp_path / "src", n_classes=2, per_class=4, seed=5)
    run = tmp_path / "run"
    with MLLMServer() as dead:
        url, model = dead.url, dead.model
    argv = ["run", str(tmp_path / "src"), "--run", str(run), "--mllm-url", url, "--model", model,
            "--clip-model", TINY, "--clip-pretrained", str(weights), "--label-budget", "12"]
    argv += [a for o in FAST for a in ("--set", o)]
    assert cli_main(argv) == 3
    err = capsys.readouterr().err
    assert f"MLLM server at {url} cannot be reached" in err, err
    embedded = parts(run, "embeddings")
    assert embedded >= 1  # embeddings were persisted before the flow failed
    state = run_pipeline(tmp_path / "src", run, mllm.url, mllm.model, weights, return_state=True)
    assert state.is_completed()
    assert parts(run, "embeddings") == embedded
    assert set(task_states(state.state_details.flow_run_id)["embed"]) == {"Cached"}


def test_gpu_limit_serialises_model_loading(harness, caplog):
    """Two holders of the GPU limit (1 slot) never overlap; the waiting one says what it
    waits for and who holds the slot, and frees nothing of a live holder."""
    import logging
    import threading
    import time

    from near_core.config import OrchestrationConfig
    from tasks.gpu import ensure_gpu_limit, gpu_slot, holder_prefix

    cfg = OrchestrationConfig(gpu_limit="near-gpu-test", gpu_slots=1)
    ensure_gpu_limit(cfg)
    ensure_gpu_limit(cfg)  # idempotent
    with get_client(sync_client=True) as client:
        assert client.read_global_concurrency_limit_by_name("near-gpu-test").limit == 1
    spans: dict[str, tuple[float, float]] = {}
    inside = threading.Event()

    def hold(name: str) -> None:
        with gpu_slot(cfg, what=name):
            inside.set()
            start = time.monotonic()
            time.sleep(3)
            spans[name] = (start, time.monotonic())

    threads = [threading.Thread(target=hold, args=(f"model {i}",)) for i in range(2)]
    with caplog.at_level(logging.INFO, logger="tasks.gpu"):
        threads[0].start()
        assert inside.wait(60)  # model 0 holds the slot before model 1 asks
        threads[1].start()
        for t in threads:
            t.join(120)
    assert len(spans) == 2
    assert spans["model 0"][1] <= spans["model 1"][0]
    # model 1's first wait names its holder (model 0 may itself wait a moment for a slot
    # the server has not yet freed: "held by 0 of 1 slot(s) taken, no live holder seen yet")
    waits = [r.getMessage() for r in caplog.records if "waiting" in r.getMessage()
             and "to load model 1;" in r.getMessage()]
    assert waits and "to load model 1; held by model 0 (pid" in waits[0]
    assert not any("released" in r.getMessage() for r in caplog.records)
    with get_client(sync_client=True) as client:  # the heartbeats are gone with their holders
        assert not [v for v in client.read_variables()
                    if v.name.startswith(holder_prefix("near-gpu-test"))]


@pytest.mark.slow
def test_near_demo(harness, tmp_path, capsys):
    """The README's main-job command: offline, simulated MLLM said plainly, report written."""
    assert cli_main(["demo", "--out", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    assert "SIMULATED" in out and "near run SOURCE --run RUN_DIR --mllm-url" in out
    assert "cACC" in out
    assert (tmp_path / "demo" / "run" / "report.html").is_file()


def test_dask_task_runner_two_workers(harness, mllm, tmp_path):
    """The label flow's batches on a local Dask cluster of 2 worker processes."""
    from flows.runner import make_task_runner
    from near_core.config import OrchestrationConfig

    make_dataset(tmp_path / "src", n_classes=2, per_class=6, seed=8)
    runner = make_task_runner(OrchestrationConfig(task_runner="dask", dask_workers=2))
    before = mllm.stats()["requests"]
    result = label_flow.with_options(task_runner=runner)(
        run_dir=str(tmp_path / "run"), source=str(tmp_path / "src"), mllm_url=mllm.url,
        model=mllm.model, overrides=FAST)
    assert result["batches"] == 3 and result["labeled"] == 12
    assert mllm.stats()["requests"] - before == result["requests_sent"] >= 12
    answers = RunStore(tmp_path / "run").read("answers")
    assert len(set(answers["image_id"].to_pylist())) == 12



@flow(name="near-test-embed-relabel")
def embed_relabel_flow(run_dir: str, inbox: str, overrides: list[str]) -> tuple[dict, dict]:
    """The embed and relabel stages of near-refine / near-relabel after ingesting ``inbox``, in
    one flow run (one Dask cluster)."""
    cfg = flow_config(run_dir, None, None, overrides)
    ensure_gpu_limit(cfg.orchestration)
    ok_ids = ingest_stage(run_dir, inbox, cfg)["ok_ids"]
    return embed_stage(run_dir, ok_ids, cfg), relabel_stage(run_dir, ok_ids, cfg)


def test_shards_on_dask_match_one_task_on_threads(first_run, tmp_path):
    """Embed and relabel on 20-image shards over a local Dask cluster of 2 single-threaded
    worker processes give the embeddings and predictions of one task on the thread runner; a
    rerun after one added image recomputes only that image's shards."""
    pytest.importorskip("prefect_dask", reason="prefect-dask (a project dependency) is missing")
    from flows.runner import make_task_runner
    from near_core.config import OrchestrationConfig
    from near_core.embed import load_embeddings
    from near_core.shards import shard_bits

    base, _, _ = first_run
    inbox = tmp_path / "inbox"
    make_dataset(inbox, n_classes=2, per_class=2, seed=31)
    dask = make_task_runner(OrchestrationConfig(task_runner="dask", dask_workers=2))
    # two shards, one per worker at the same time (a limit of two slots of its own)
    sharded = ["orchestration.shard_size=20", "orchestration.gpu_limit=near-gpu-dask-test",
               "orchestration.gpu_slots=2"]
    out = {}
    for name, opts, extra in (("threads", {}, []), ("dask", {"task_runner": dask}, sharded)):
        run = tmp_path / name
        shutil.copytree(base / "run", run,
                        ignore=shutil.ignore_patterns("embeddings", "predictions", ".prefect"))
        embed, relabel = embed_relabel_flow.with_options(**opts)(
            run_dir=str(run), inbox=str(inbox), overrides=[*FAST, *extra])
        store = RunStore(run)
        ids, vectors = load_embeddings(store, embed["encoder"])
        preds = store.read("predictions").sort_by("image_id")
        out[name] = embed, relabel, dict(zip(ids, vectors, strict=True)), preds
        assert embed["embedded"] == embed["total"] == len(ids) == preds.num_rows
        assert relabel["predicted"] == preds.num_rows and not relabel["failed"]
    (embed_1, relabel_1, vec_1, pred_1), (embed_d, relabel_d, vec_d, pred_d) = out.values()
    assert embed_1["shards"] == relabel_1["shards"] == 1
    assert embed_d["shards"] == relabel_d["shards"] > 1
    assert len(RunStore(tmp_path / "dask").files("predictions")) == relabel_d["shards"]
    assert vec_1.keys() == vec_d.keys()
    for iid, v in vec_1.items():
        np.testing.assert_allclose(vec_d[iid], v, atol=1e-5)
    for col in ("image_id", "label", "topk_labels", "low_confidence"):
        assert pred_1[col].to_pylist() == pred_d[col].to_pylist(), col
    np.testing.assert_allclose(np.array(pred_1["topk_scores"].to_pylist()),
                               np.array(pred_d["topk_scores"].to_pylist()), atol=1e-5)

    # one more image (same shard count): only its shard misses the embed cache
    n = len(vec_d)
    assert shard_bits(n, 20) == shard_bits(n + 1, 20)
    make_dataset(tmp_path / "one", n_classes=1, per_class=1, seed=41)
    shutil.copytree(tmp_path / "one", inbox / "one")
    embed, relabel = embed_relabel_flow(run_dir=str(tmp_path / "dask"), inbox=str(inbox),
                                        overrides=[*FAST, *sharded])
    assert (embed["embedded"], embed["shards"] - embed["cached_shards"]) == (1, 1)
    assert (relabel["predicted"], relabel["shards"] - relabel["cached_shards"]) == (1, 1)
