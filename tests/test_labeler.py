"""The label stage over a run store: faults, cache, resume after SIGKILL, import/export, CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pyarrow as pa
import pytest

from near_cli.common import EXIT_OK, EXIT_PARTIAL, EXIT_UNAVAILABLE
from near_cli.main import main
from near_core.config import MLLMConfig
from near_core.ingest import ingest
from near_core.mllm import (
    MLLMRequestError,
    MLLMUnavailable,
    export_batch,
    import_answers,
    label_images,
    sample_for_labeling,
)
from near_core.mllm.labeler import STATE_CATEGORY
from near_core.store import RunStore
from near_core.testing.mllm_server import Faults, MLLMServer, ok_counts
from near_core.testing.synthetic import make_dataset

KEY = ["image_id", "model", "prompt_version", "params_hash", "sample_idx"]
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def images_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("birds")
    make_dataset(out, n_classes=12, per_class=4, seed=2)
    return out


@pytest.fixture
def store(run_dir: Path, images_dir: Path) -> RunStore:
    s = RunStore(run_dir)
    ingest(images_dir, s)
    return s


def cfg_for(server: MLLMServer, **kw) -> MLLMConfig:
    opts = {"url": server.url, "model": server.model, "category": "bird species",
            "concurrency": 8, "timeout_s": 2.0, "max_retries": 4, "backoff_base_s": 0.01,
            "backoff_max_s": 0.05, "flush_interval_s": 0.05} | kw
    return MLLMConfig(**opts)


def raw_rows(store: RunStore) -> pa.Table:
    """Every stored row of every part, without de-duplication."""
    return store.read("answers", dedupe=False)


def ok_keys(table: pa.Table) -> list[tuple]:
    rows = table.filter(pa.compute.equal(table["status"], "ok")).select(KEY).to_pylist()
    return [tuple(r.values()) for r in rows]


def test_sample_for_labeling_is_seeded_stable_and_bounded() -> None:
    ids = [f"{i:04x}" for i in range(200)]
    pick = sample_for_labeling(ids, 50, seed=1)
    assert len(pick) == 50 and pick == sorted(pick) and set(pick) <= set(ids)
    assert pick == sample_for_labeling(list(reversed(ids)), 50, seed=1)
    assert pick != sample_for_labeling(ids, 50, seed=2)
    grown = sample_for_labeling([*ids, *(f"new{i}" for i in range(20))], 50, seed=1)
    assert len(set(pick) & set(grown)) >= 40  # additions displace few chosen images
    assert sample_for_labeling(ids, None, seed=1) == sorted(ids)


def test_thirty_percent_faults_end_labeled_or_failed_never_duplicated(store: RunStore) -> None:
    # slow answers stay far under the client timeout, even on a loaded 2-core machine: a 200
    # sent after the client timed out would count as delivered (a CI run saw 0.1 s + load > 0.5 s)
    faults = Faults(rate=0.3, seed=4, retry_after_s=0.05, hang_s=4, slow_s=0.1)
    with MLLMServer(faults=faults) as server:
        cfg = cfg_for(server, samples=2, max_retries=2, timeout_s=2.0)
        first = label_images(store, cfg)
        n_images = first.images
        assert n_images == 48 and first.labeled + first.failed_images == n_images
        assert first.samples + first.failures == 2 * n_images
        table = store.read("answers")
        assert table.num_rows == 2 * n_images  # every key stored: ok or failed with an error
        failed = table.filter(pa.compute.equal(table["status"], "failed"))
        assert all(failed["error"].to_pylist())
        keys = ok_keys(raw_rows(store))
        assert len(keys) == len(set(keys))
        # rerun until complete: only failed keys are sent again, no ok key is ever repeated
        for _ in range(5):
            again = label_images(store, cfg)
            if again.complete:
                break
        assert again.complete and again.cached == n_images - (again.labeled - again.cached)
        keys = ok_keys(raw_rows(store))
        assert len(keys) == len(set(keys)) == 2 * n_images
        assert max(ok_counts(server.stats()).values()) == 1  # one successful request per image


def test_rerun_is_a_cache_hit_and_more_samples_ask_only_for_the_new_ones(store: RunStore) -> None:
    with MLLMServer() as server:
        first = label_images(store, cfg_for(server))
        assert first.complete and first.requests_sent == 48 and first.samples == 48
        assert first.tokens > 0 and first.requests_per_s > 0
        again = label_images(store, cfg_for(server))
        assert again.requests_sent == 0 and again.cached == 48 and again.complete
        assert server.stats()["requests"] == 48
        more = label_images(store, cfg_for(server, samples=3))
        assert more.requests_sent == 48 and more.samples == 96
        table = store.read("answers")
        assert sorted(Counter(table["sample_idx"].to_pylist()).items()) == [(0, 48), (1, 48),
                                                                            (2, 48)]


def test_failed_rows_are_retried_by_the_next_run(store: RunStore) -> None:
    with MLLMServer(faults=Faults(rate=1.0, kinds=("500",))) as server:
        bad = label_images(store, cfg_for(server, max_retries=0))
        assert bad.labeled == 0 and bad.failed_images == 48 and not bad.complete
        assert "HTTP 500" in next(iter(bad.errors))
        server.set_faults(rate=0.0)
        good = label_images(store, cfg_for(server))
        assert good.complete and good.requests_sent == 48
    table = store.read("answers")
    assert set(table["status"].to_pylist()) == {"ok"}
    assert raw_rows(store).num_rows == 96  # the failed rows stay in their parts, superseded


def test_prompt_change_is_a_new_cache_key(store: RunStore, tmp_path: Path) -> None:
    template = tmp_path / "short.txt"
    template.write_text("Which {category} is this?")
    with MLLMServer() as server:
        label_images(store, cfg_for(server))
        other = label_images(store, cfg_for(server, prompt=str(template)))
        assert other.requests_sent == 48 and other.prompt_version.startswith("short-")
        template.write_text("Which {category} is shown?")
        edited = label_images(store, cfg_for(server, prompt=str(template)))
        assert edited.requests_sent == 48 and edited.prompt_version != other.prompt_version
    assert len(set(store.read("answers")["prompt_version"].to_pylist())) == 3


def test_category_is_inferred_once(store: RunStore) -> None:
    with MLLMServer() as server:
        first = label_images(store, cfg_for(server, category=None, category_images=3))
        assert first.category == "bird species" and store.state()[STATE_CATEGORY] == "bird species"
        assert server.stats()["requests"] == 48 + 3
        second = label_images(store, cfg_for(server, category=None))
        assert second.requests_sent == 0 and server.stats()["requests"] == 51


def test_label_budget_and_choice_requery(store: RunStore) -> None:
    vocab = ["Tufted Puffin", "Horned Puffin", "Laysan Albatross", "Indigo Bunting"]
    with MLLMServer() as server:
        budget = label_images(store, cfg_for(server, label_budget=10))
        assert budget.images == 10 and budget.requests_sent == 10
        some = store.read("answers")["image_id"].to_pylist()[:5]
        requery = label_images(store, cfg_for(server), image_ids=some, choices=vocab)
        assert requery.images == 5 and requery.requests_sent == 5
        with pytest.raises(Exception, match="not ok images"):
            label_images(store, cfg_for(server), image_ids=["nope"])
    table = store.read("answers")
    labels = table.filter(pa.compute.equal(table["params_hash"], requery.params_hash))
    assert set(labels["label"].to_pylist()) <= set(vocab)


def test_wrong_model_stops_the_run_without_rows(store: RunStore) -> None:
    with MLLMServer() as server:
        with pytest.raises(MLLMRequestError, match="does not exist") as info:
            label_images(store, cfg_for(server, model="wrong-model"))
        assert info.value.status == 404
        assert server.stats()["requests"] <= 2 * 8  # stopped early, no retries
    assert store.read("answers").num_rows == 0


def test_unreachable_server(store: RunStore) -> None:
    cfg = MLLMConfig(url="http://127.0.0.1:9/v1", model="m", category="bird species")
    with pytest.raises(MLLMUnavailable):
        label_images(store, cfg)


def test_server_killed_mid_run_is_survived(store: RunStore) -> None:
    server = MLLMServer(latency_s=0.05, max_concurrency=4).start()
    port = int(server.root_url.rsplit(":", 1)[1])
    cfg = cfg_for(server, concurrency=4, max_retries=1)

    def kill_later() -> None:
        while server.stats()["requests"] < 12:
            time.sleep(0.01)
        server.stop()

    threading.Thread(target=kill_later, daemon=True).start()
    with pytest.raises(MLLMUnavailable, match="mid-run") as info:
        label_images(store, cfg)
    saved = store.read("answers")
    assert info.value.summary.samples == (saved["status"].to_pylist().count("ok"))
    with MLLMServer(port=port) as again:
        done = label_images(store, cfg_for(again, concurrency=4))
        assert done.complete and done.cached >= 8
    keys = ok_keys(raw_rows(store))
    assert len(keys) == len(set(keys)) == 48


def _serve_batch(server: MLLMServer, batch_in: Path, batch_out: Path) -> None:
    """What `vllm run-batch` does: run each request line, write the output lines."""
    with httpx.Client(timeout=30) as http, open(batch_out, "w") as out:
        for line in batch_in.read_text().splitlines():
            req = json.loads(line)
            resp = http.post(f"{server.root_url}{req['url']}", json=req["body"])
            out.write(json.dumps({"id": "batch-x", "custom_id": req["custom_id"], "error": None,
                                  "response": {"status_code": resp.status_code,
                                               "request_id": "r", "body": resp.json()}}) + "\n")


def test_export_then_import_round_trip_is_a_cache_hit(store: RunStore, tmp_path: Path) -> None:
    batch_in, batch_out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    with MLLMServer() as server:
        cfg = cfg_for(server, samples=2, label_budget=20)
        assert export_batch(store, cfg, batch_in) == 20
        first = json.loads(batch_in.read_text().splitlines()[0])
        assert first["url"] == "/v1/chat/completions" and first["body"]["n"] == 2
        assert first["body"]["response_format"]["type"] == "json_schema"
        _serve_batch(server, batch_in, batch_out)
        imp = import_answers(store, batch_out)
        assert (imp.records, imp.rows, imp.ok, imp.unmatched) == (20, 40, 40, 0)
        after = label_images(store, cfg)
        assert after.requests_sent == 0 and after.complete
        assert export_batch(store, cfg, batch_in) == 0 and batch_in.read_text() == ""


def test_import_findr_json_and_foreign_batch_ids(store: RunStore, tmp_path: Path,
                                                 images_dir: Path) -> None:
    rel = sorted(p.relative_to(images_dir).as_posix() for p in images_dir.rglob("*.jpg"))
    findr = {
        rel[0]: {"model_main": "qwen/qwen2.5-vl-72b-instruct", "model_main_success": True,
                 "model_main_response": "The bird in the image is a **Tufted Puffin** "
                                        "(*Fratercula cirrhata*).",
                 "guessed_classnames": {"1": "Tufted Puffin"}},
        rel[1]: {"model_main": "qwen", "model_main_success": False, "model_main_response": ""},
        "999.Nothing/missing.jpg": {"model_main_response": "A bird."},
    }
    path = tmp_path / "birds_qwen.json"
    path.write_text(json.dumps(findr))
    imp = import_answers(store, path)
    assert (imp.records, imp.ok, imp.failed, imp.unmatched) == (3, 1, 1, 1)
    assert imp.examples == ["999.Nothing/missing.jpg"]
    table = store.read("answers")
    row = table.filter(pa.compute.equal(table["status"], "ok")).to_pylist()[0]
    assert row["label"] == "Tufted Puffin" and row["model"] == "qwen/qwen2.5-vl-72b-instruct"
    assert row["prompt_version"] == "imported"

    foreign = tmp_path / "foreign.jsonl"
    body = {"model": "gpt", "choices": [{"message": {"content": "Horned Puffin"}}]}
    foreign.write_text(
        json.dumps({"custom_id": rel[2], "response": {"status_code": 200, "body": body}}) + "\n"
        + json.dumps({"custom_id": rel[3], "response": {"status_code": 500, "body": {
            "error": {"message": "boom"}}}, "error": None}) + "\n")
    imp2 = import_answers(store, foreign)
    assert (imp2.records, imp2.ok, imp2.failed, imp2.unmatched) == (2, 1, 1, 0)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    with pytest.raises(Exception, match="bad.jsonl:1"):
        import_answers(store, bad)


# ----------------------------------------------------------------------------- CLI
def _cli(run_dir: Path, url: str, *extra: str) -> list[str]:
    return ["label", "--run", str(run_dir), "--mllm-url", url, "--model", "near-test-mllm",
            "--category", "bird species", "--set", "mllm.backoff_base_s=0.01", *extra]


def test_cli_exit_codes(store: RunStore, capsys: pytest.CaptureFixture) -> None:
    with MLLMServer(faults=Faults(rate=1.0, kinds=("503",))) as server:
        assert main(_cli(store.root, server.url, "--set", "mllm.max_retries=0")) == EXIT_PARTIAL
        assert "48 failed" in capsys.readouterr().out
        server.set_faults(rate=0.0)
        assert main(_cli(store.root, server.url, "--samples", "2")) == EXIT_OK
        out = capsys.readouterr().out
        assert "48 labeled" in out and "requests/s" in out and "cached" in out
    assert main(_cli(store.root, "http://127.0.0.1:9/v1", "--samples", "3")) == EXIT_UNAVAILABLE
    assert "cannot be reached" in capsys.readouterr().err


def test_cli_without_images_says_to_ingest(run_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(_cli(run_dir, "http://127.0.0.1:9/v1")) == 2
    assert "near ingest" in capsys.readouterr().err


def test_sigkill_mid_run_then_rerun_loses_and_repeats_nothing(store: RunStore) -> None:
    concurrency = 4
    with MLLMServer(latency_s=0.15, max_concurrency=concurrency) as server:
        cmd = [sys.executable, "-m", "near_cli.main",
               *_cli(store.root, server.url, "--concurrency", str(concurrency),
                     "--set", "mllm.flush_interval_s=0")]
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=os.environ | {"PYTHONPATH": str(REPO)})
        deadline = time.monotonic() + 120
        while server.stats()["by_status"].get("200", 0) < 16 and time.monotonic() < deadline:
            assert proc.poll() is None, "the labeling process ended before it was killed"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = store.read("answers")
        assert 0 < killed.num_rows < 48
        before = {r["image_id"]: r["created_at"] for r in killed.to_pylist()}

        summary = label_images(store, cfg_for(server, concurrency=concurrency))
        assert summary.complete and summary.cached == len(before)
        served = ok_counts(server.stats())
    final = store.read("answers")
    keys = ok_keys(raw_rows(store))
    assert final.num_rows == 48 and len(keys) == len(set(keys)) == 48
    # no stored row was lost or re-requested
    assert all(before[r["image_id"]] == r["created_at"] for r in final.to_pylist()
               if r["image_id"] in before)
    # only work in flight at the kill went out twice: requests the server had answered but the
    # client had not yet received, and answers received but not yet in a committed part (the
    # group-commit write under way); the 16+ answers stored before the kill were not repeated
    repeated = sum(n - 1 for n in served.values())
    assert repeated <= 2 * concurrency


def test_cli_export_and_import(store: RunStore, tmp_path: Path,
                               capsys: pytest.CaptureFixture) -> None:
    batch_in, batch_out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    base = ["label", "--run", str(store.root), "--model", "near-test-mllm",
            "--category", "bird species", "--label-budget", "6"]
    assert main([*base, "--export-batch", str(batch_in)]) == EXIT_OK
    assert "6 pending requests" in capsys.readouterr().out
    with MLLMServer() as server:
        _serve_batch(server, batch_in, batch_out)
    assert main([*base, "--import", str(batch_out)]) == EXIT_OK
    assert "6 answer rows (6 ok, 0 failed)" in capsys.readouterr().out
    assert store.read("answers").num_rows == 6
    assert main([*base, "--import", str(tmp_path / "missing.jsonl")]) == 2



def test_start_server_is_not_used_when_a_server_answers(store: RunStore) -> None:
    with MLLMServer(model="m") as server:
        summary = label_images(store, cfg_for(server, start_server=True, vllm_python="/nonexistent"))
    assert summary.complete


def test_start_server_without_vllm_is_a_clear_unavailable_error(store: RunStore) -> None:
    from near_core.mllm.serve import VLLMError, free_port

    cfg = MLLMConfig(url=f"http://127.0.0.1:{free_port()}/v1", model="m", start_server=True,
                     vllm_python=sys.executable, vllm_model_path="/nonexistent-model")
    with pytest.raises(VLLMError) as err:
        label_images(store, cfg)
    assert err.value.exit_code == EXIT_UNAVAILABLE
    assert store.read("answers").num_rows == 0


def test_training_sample_is_kept_when_images_are_added(tmp_path: Path) -> None:
    from near_core.mllm.labeler import training_sample

    store = RunStore(tmp_path)
    ids = [f"{i:03d}" for i in range(20)]
    first = training_sample(store, ids, 5, seed=0)
    assert len(first) == 5
    more = ids + [f"new{i}" for i in range(50)]
    assert training_sample(store, more, 5, seed=0) == first  # new images go to CLIP only
    assert training_sample(store, more, None, seed=0) == sorted(more)  # no budget: all
    assert len(training_sample(store, more, 7, seed=0)) == 7
    assert training_sample(store, first[1:], 7, seed=0) != first  # a new key draws anew
