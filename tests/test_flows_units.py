"""Orchestration building blocks without a Prefect API: cache keys, result storage, task
runners, batching, the label sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from prefect.task_runners import ThreadPoolTaskRunner

from flows.runner import batches, configured, make_task_runner
from near_core.config import load_config
from near_core.store import RunStore
from tasks.caching import (
    RESULTS_SUBDIR,
    content_key,
    ids_digest,
    key_fn,
    mllm_params,
    result_storage,
    table_digest,
    weights_identity,
)


def test_ids_digest_ignores_order_and_duplicates():
    assert ids_digest(["b", "a", "a"]) == ids_digest(["a", "b"]) != ids_digest(["a"])


def test_mllm_key_ignores_operational_settings():
    base = load_config(None, {"mllm.model": "m"})
    moved = load_config(None, {"mllm.model": "m", "mllm.url": "http://replica:9/v1",
                               "mllm.concurrency": 64, "mllm.timeout_s": 5,
                               "mllm.start_server": True, "mllm.vllm_max_model_len": 8192,
                               "mllm.vllm_startup_timeout_s": 60})
    hotter = load_config(None, {"mllm.model": "m", "mllm.temperature": 1.3})
    assert mllm_params(base) == mllm_params(moved)
    assert mllm_params(base) != mllm_params(hotter)


def test_key_fn_uses_content_and_run_dir_not_run_id(tmp_path):
    fn = key_fn("stage", lambda p: [ids_digest(p["image_ids"])])
    a = fn(None, {"run_dir": str(tmp_path / "r"), "image_ids": ["x", "y"]})
    assert a == fn(object(), {"run_dir": str(tmp_path / "r"), "image_ids": ["y", "x"]})
    assert a != fn(None, {"run_dir": str(tmp_path / "other"), "image_ids": ["x", "y"]})
    assert a.startswith("stage-") and a == content_key(
        "stage", str((tmp_path / "r").resolve()), ids_digest(["x", "y"]))


def test_the_refine_key_follows_the_algorithms_code(tmp_path, monkeypatch):
    import importlib.util

    import tasks.refine as refine_tasks
    from near_core.config import NearConfig

    source = tmp_path / "algorithm_under_test.py"
    source.write_text("THRESHOLD = 0.5\n")
    spec = importlib.util.spec_from_file_location("algorithm_under_test", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(refine_tasks, "_ALGORITHM", (module,))
    params = {"run_dir": str(tmp_path / "run"), "encoder": "clip-x", "config": NearConfig()}
    key = key_fn("refine", refine_tasks._refine_key)
    before = key(None, params)
    assert key(None, params) == before
    source.write_text("THRESHOLD = 0.6\n")  # an upgraded algorithm, same answers and config
    assert key(None, params) != before


def test_weights_identity_tracks_checkpoint_file(tmp_path):
    ckpt = tmp_path / "w.safetensors"
    ckpt.write_bytes(b"1")
    first = weights_identity("near-tiny", str(ckpt), 0)
    ckpt.write_bytes(b"22")
    assert weights_identity("near-tiny", str(ckpt), 0) != first
    assert weights_identity("near-tiny", "", 0) != weights_identity("near-tiny", "", 1)
    assert weights_identity("ViT-B-16", "openai", 0) == weights_identity("ViT-B-16", "openai", 1)


def test_table_digest_follows_the_manifest(tmp_path):
    store = RunStore(tmp_path / "run")
    rows = [{"label_id": i, "name": f"n{i}", "aliases": [], "count": i} for i in range(3)]
    store.write("vocabulary", rows)
    first = table_digest(store, "vocabulary")
    assert table_digest(store, "vocabulary") == first  # reading changes nothing
    same_size = [dict(r, name=r["name"].upper()) for r in rows]
    store.write("vocabulary", same_size)
    assert table_digest(store, "vocabulary") != first  # a rewrite of equal size is seen
    store.append("images", [{"image_id": "a" * 64, "path": "x.jpg", "status": "ok"}])
    parts = table_digest(store, "images")
    store.append("images", [{"image_id": "b" * 64, "path": "y.jpg", "status": "ok"}])
    assert table_digest(store, "images") != parts


def test_result_storage(tmp_path):
    cfg = load_config(None)
    assert result_storage(cfg, tmp_path) == tmp_path.resolve() / RESULTS_SUBDIR
    assert (tmp_path / RESULTS_SUBDIR).is_dir()
    other = tmp_path / "shared-results"
    assert result_storage(load_config(None, {"orchestration.result_storage": str(other)}),
                          tmp_path) == other
    slug = load_config(None, {"orchestration.result_storage": "s3-bucket/near-results"})
    assert result_storage(slug, tmp_path) == "s3-bucket/near-results"


def test_task_runner_from_config():
    threads = make_task_runner(load_config(None).orchestration)
    assert isinstance(threads, ThreadPoolTaskRunner)
    dask = make_task_runner(load_config(None, {"orchestration.task_runner": "dask",
                                               "orchestration.dask_workers": 3}).orchestration)
    assert type(dask).__name__ == "DaskTaskRunner"
    assert dask.cluster_kwargs["n_workers"] == 3


def _all_tasks() -> dict:
    """Every Prefect task of the tasks package, by name."""
    import importlib
    import pkgutil

    from prefect import Task

    import tasks

    found = {}
    for mod in pkgutil.iter_modules(tasks.__path__):
        module = importlib.import_module(f"tasks.{mod.name}")
        found |= {t.name: t for t in vars(module).values() if isinstance(t, Task)}
    return found


def test_config_retries_reach_every_flaky_task_and_only_those(tmp_path):
    """Flaky tasks (MLLM calls, file I/O) get orchestration.retries/retry_delay_s as the flows
    run them; deterministic tasks get none."""
    found = _all_tasks()
    assert {"ingest", "label", "discover", "embed", "refine", "train", "relabel",
            "report"} <= set(found)
    cfg = load_config(None, {"orchestration.retries": 7, "orchestration.retry_delay_s": 2.0},
                      env={})
    for name, task in found.items():
        run = configured(task, cfg, str(tmp_path))
        flaky = name in {"ingest", "label", "discover"}
        assert run.retries == (7 if flaky else 0), name
        if flaky:
            assert run.retry_delay_seconds[:3] == [2.0, 4.0, 8.0], name
    off = load_config(None, {"orchestration.retries": 0}, env={})
    assert configured(found["ingest"], off, str(tmp_path)).retries == 0


def test_summary_dict_is_json_ready_with_the_line():
    from near_core.ingest import IngestSummary
    from tasks.summaries import summary_dict

    s = IngestSummary(scanned=3, ok=2, rejected=1, new=2, new_ids=["b", "a"])
    d = summary_dict(s, ok_ids=["a", "b"])
    assert d["line"] == s.line() and d["new_ids"] == ["b", "a"] and d["ok_ids"] == ["a", "b"]
    assert d["scanned"] == 3


def test_batches_sorted_and_bounded():
    assert batches(["c", "a", "b", "d", "e"], 2) == [["a", "b"], ["c", "d"], ["e"]]
    assert batches([], 3) == []


def test_serve_needs_a_run_for_the_inbox():
    from deployments.serve import ServeError, build_deployments, build_parser

    with pytest.raises(ServeError, match="--relabel-run"):
        build_deployments(build_parser().parse_args(["--inbox", "x"]))


def test_serve_needs_an_api():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from deployments.serve import main
    from near_core.errors import EXIT_UNAVAILABLE, PrefectUnavailable

    with temporary_settings({PREFECT_API_URL: None}), \
            pytest.raises(PrefectUnavailable, match="PREFECT_API_URL") as info:
        main([])
    assert info.value.exit_code == EXIT_UNAVAILABLE


def test_prefect_yaml_deployments_point_at_the_flows():
    import importlib

    import yaml

    spec = yaml.safe_load((Path(__file__).parents[1] / "deployments" / "prefect.yaml").read_text())
    names = {}
    for dep in spec["deployments"]:
        path, _, attr = dep["entrypoint"].partition(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        names[dep["name"]] = getattr(module, attr).name
    assert names == {"pipeline": "near-pipeline", "relabel-inbox": "near-relabel",
                     "label": "near-label"}
