"""The synthetic image set and the loopback OpenAI-compatible test server."""

from __future__ import annotations

import base64
import io
import json
import os
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

from near_core.testing.mllm_server import (
    Behaviour,
    Faults,
    MLLMServer,
    fetch_stats,
    ok_counts,
    spawn_server,
)
from near_core.testing.synthetic import (
    CLASSES,
    MAX_CLASSES,
    SPECIES,
    class_names,
    class_of_image,
    make_dataset,
    render,
    siblings,
)

_HTTP = httpx.Client(timeout=30)
SCHEMA = {"type": "object", "properties": {"label": {"type": "string"}}, "required": ["label"]}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    return make_dataset(tmp_path_factory.mktemp("synth"), n_classes=12, per_class=3, seed=3)


def _body(path: Path, model: str = "near-test-mllm", **extra) -> dict:
    uri = "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode()
    return {"model": model, "max_tokens": 64, "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": uri}},
        {"type": "text", "text": "What is the exact bird species in this image?"}]}]} | extra


# ----------------------------------------------------------------------------- synthetic
def test_make_dataset_is_deterministic_and_cub_like(tmp_path: Path) -> None:
    a = make_dataset(tmp_path / "a", n_classes=5, per_class=2, seed=7)
    b = make_dataset(tmp_path / "b", n_classes=5, per_class=2, seed=7)
    c = make_dataset(tmp_path / "c", n_classes=5, per_class=2, seed=8)
    assert len(a) == 10 and [n for _, n in a] == [n for _, n in b]
    assert [p.read_bytes() for p, _ in a] == [p.read_bytes() for p, _ in b]
    assert [p.read_bytes() for p, _ in a] != [p.read_bytes() for p, _ in c]
    assert len({p.read_bytes() for p, _ in a}) == 10  # no duplicate content
    assert a[0][0].parent.name == "001.Tufted_Puffin" and a[0][1] == "Tufted Puffin"
    assert "Horned Puffin" in siblings("Tufted Puffin")


@pytest.mark.parametrize(
    "kwargs", [{"n_classes": 0, "per_class": 1}, {"n_classes": MAX_CLASSES + 1, "per_class": 1},
               {"n_classes": 2, "per_class": 0}])
def test_make_dataset_rejects_bad_sizes(tmp_path: Path, kwargs: dict) -> None:
    with pytest.raises(ValueError):
        make_dataset(tmp_path, seed=0, **kwargs)


def test_class_decodes_after_jpeg_and_resize(tmp_path: Path) -> None:
    items = make_dataset(tmp_path, n_classes=len(SPECIES), per_class=2, seed=1, size=96)
    for path, name in items:
        img = Image.open(path)
        assert class_of_image(img) == name
        for side, quality in ((48, 60), (300, 85)):
            buf = io.BytesIO()
            img.resize((side, side), Image.BILINEAR).save(buf, "JPEG", quality=quality)
            assert class_of_image(Image.open(io.BytesIO(buf.getvalue()))) == name


def test_class_names_keep_sibling_groups() -> None:
    assert class_names(4) == ["Tufted Puffin", "Horned Puffin", "Atlantic Puffin",
                              "Rhinoceros Auklet"]
    names = class_names(1000)
    assert names[:64] == [s.name for s in SPECIES] and len(set(names)) == 1000
    assert names[64] == "White-winged White-capped Redbird"
    assert siblings(names[64]) == names[65:68]  # same body and head, another wing colour
    assert len({c.name for c in CLASSES}) == MAX_CLASSES >= 1000


def test_every_class_decodes_back_after_jpeg() -> None:
    """All 1,120 classes, two images each: one re-encoded as JPEG at 64 px, one resized to
    48 px at JPEG quality 60 (a client's downscale)."""
    wrong = []
    for ci, sp in enumerate(CLASSES):
        rng = np.random.default_rng([11, ci])
        for side, quality in ((64, 95), (48, 60)):
            buf = io.BytesIO()
            render(sp, rng).resize((side, side), Image.BILINEAR).save(buf, "JPEG",
                                                                       quality=quality)
            got = class_of_image(Image.open(io.BytesIO(buf.getvalue())))
            if got != sp.name:
                wrong.append((sp.name, side, got))
    assert wrong == []


# ----------------------------------------------------------------------------- server
def test_server_endpoints_and_answers(dataset: list[tuple[Path, str]]) -> None:
    with MLLMServer(model="m", version="0.32.0") as server:
        assert _HTTP.get(f"{server.root_url}/health").status_code == 200
        assert _HTTP.get(f"{server.root_url}/version").json() == {"version": "0.32.0"}
        assert _HTTP.get(f"{server.url}/models").json()["data"][0]["id"] == "m"
        named = 0
        for path, name in dataset:
            r = _HTTP.post(f"{server.url}/chat/completions",
                           json=_body(path, "m", n=3, temperature=1.0))
            data = r.json()
            assert r.status_code == 200 and len(data["choices"]) == 3
            assert data["usage"]["prompt_tokens"] > 0
            named += sum(name in c["message"]["content"] for c in data["choices"])
        assert named >= 0.5 * 3 * len(dataset)  # mostly right, with noise
        assert len(ok_counts(server.stats())) == len(dataset)


def test_server_names_a_parametric_class(tmp_path: Path) -> None:
    path, name = tmp_path / "bird.jpg", CLASSES[-1].name
    render(CLASSES[-1], np.random.default_rng(2)).save(path, "JPEG", quality=95)
    right = Behaviour(p_correct=1.0, p_sibling=0.0, p_generic=0.0, p_refusal=0.0)
    with MLLMServer(behaviour=right) as server:
        r = _HTTP.post(f"{server.url}/chat/completions", json=_body(path, n=4))
        assert all(name in c["message"]["content"] for c in r.json()["choices"])


def test_structured_outputs_follow_the_emulated_version(dataset: list[tuple[Path, str]]) -> None:
    path, name = dataset[0]
    choices = ["Tufted Puffin", "Horned Puffin", "Indigo Bunting"]
    rf = {"type": "json_schema", "json_schema": {"name": "a", "schema": SCHEMA}}
    with MLLMServer(version="0.32.0") as new, MLLMServer(version="0.11.0") as old:
        def ask(server: MLLMServer, **extra) -> str:
            r = _HTTP.post(f"{server.url}/chat/completions", json=_body(path, **extra))
            return r.json()["choices"][0]["message"]["content"]

        assert set(json.loads(ask(new, response_format=rf))) == {"label"}
        assert ask(new, structured_outputs={"choice": choices}) in choices
        assert set(json.loads(ask(new, structured_outputs={"json": SCHEMA}))) == {"label"}
        # the removed guided_* fields are ignored by new vLLM (free text), honoured by old
        with pytest.raises(json.JSONDecodeError):
            json.loads(ask(new, guided_json=SCHEMA))
        assert ask(old, guided_choice=choices) in choices
        assert set(json.loads(ask(old, guided_json=SCHEMA))) == {"label"}


def test_errors_look_like_vllm(dataset: list[tuple[Path, str]]) -> None:
    path, _ = dataset[0]
    with MLLMServer(max_model_len=100, api_key="sk-test-1") as server:
        url = f"{server.url}/chat/completions"
        auth = {"Authorization": "Bearer sk-test-1"}
        assert _HTTP.post(url, json=_body(path)).status_code == 401
        r = _HTTP.post(url, json=_body(path, "nope"), headers=auth)
        assert r.status_code == 404 and "does not exist" in r.json()["error"]["message"]
        r = _HTTP.post(url, json=_body(path, max_tokens=1000), headers=auth)
        assert r.status_code == 400 and r.json()["error"]["param"] == "max_tokens"
        bad = _body(path)
        bad["messages"][0]["content"][0]["image_url"]["url"] = "data:image/jpeg;base64,AAAA"
        r = _HTTP.post(url, json=bad, headers=auth)
        assert r.status_code == 400 and "Failed to load image" in r.json()["error"]["message"]
        assert server.stats()["by_status"] == {"401": 1, "404": 1, "400": 2}


def test_queued_faults_hit_the_next_requests(dataset: list[tuple[Path, str]]) -> None:
    path, _ = dataset[0]
    with MLLMServer(faults=Faults(retry_after_s=2.5, hang_s=0.2)) as server:
        server.queue_faults(["429", "500", "503", "malformed", "empty", "drop", "hang"])
        url = f"{server.url}/chat/completions"
        r = _HTTP.post(url, json=_body(path))
        assert r.status_code == 429 and r.headers["Retry-After"] == "2.5"
        assert _HTTP.post(url, json=_body(path)).status_code == 500
        assert _HTTP.post(url, json=_body(path)).status_code == 503
        r = _HTTP.post(url, json=_body(path))
        with pytest.raises(json.JSONDecodeError):
            json.loads(r.content)
        assert _HTTP.post(url, json=_body(path)).json()["choices"] == []
        for _ in range(2):  # drop, then a hang that ends without a response
            with pytest.raises(httpx.RemoteProtocolError):
                _HTTP.post(url, json=_body(path))
        assert _HTTP.post(url, json=_body(path)).status_code == 200
        stats = server.stats()
        assert stats["requests"] == 8
        assert stats["by_fault"] == {k: 1 for k in
                                     ("429", "500", "503", "malformed", "empty", "drop", "hang")}


def test_fault_draws_are_reproducible(dataset: list[tuple[Path, str]]) -> None:
    def run() -> dict:
        with MLLMServer(faults=Faults(rate=0.5, kinds=("500", "429"), seed=11,
                                      retry_after_s=0)) as server:
            for path, _ in dataset:
                _HTTP.post(f"{server.url}/chat/completions", json=_body(path))
            return server.stats()["per_image"]

    first = run()
    assert first == run()
    faulted = sum(1 for v in first.values() if "ok" not in v)
    assert 0 < faulted < len(dataset)


def test_faults_and_stats_over_http(dataset: list[tuple[Path, str]]) -> None:
    path, _ = dataset[0]
    with MLLMServer() as server:
        r = _HTTP.post(f"{server.root_url}/_near/faults", json={"rate": 1.0, "kinds": ["503"]})
        assert r.status_code == 200 and server.set_faults().rate == 1.0
        assert _HTTP.post(f"{server.url}/chat/completions", json=_body(path)).status_code == 503
        assert fetch_stats(server.url) == server.stats()
        bad = _HTTP.post(f"{server.root_url}/_near/faults", json={"kinds": ["meteor"]})
        assert bad.status_code == 400
        _HTTP.post(f"{server.root_url}/_near/reset")
        assert server.stats()["requests"] == 0


def test_concurrency_cap_bounds_work_in_progress(dataset: list[tuple[Path, str]]) -> None:
    import concurrent.futures as cf

    with MLLMServer(latency_s=0.1, max_concurrency=2) as server:
        with cf.ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(
                lambda p: _HTTP.post(f"{server.url}/chat/completions", json=_body(p[0]),
                                     timeout=30).status_code, dataset[:8]))
        assert codes == [200] * 8
        assert server.stats()["max_in_flight"] == 2


def test_subprocess_server_prints_its_url(dataset: list[tuple[Path, str]]) -> None:
    repo = Path(__file__).resolve().parents[1]
    env = os.environ | {"PYTHONPATH": str(repo)}  # this checkout, whatever is installed
    with spawn_server("--model", "sub", "--fault-rate", "0", env=env) as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        r = _HTTP.post(f"{url}/chat/completions", json=_body(dataset[0][0], "sub"))
        assert r.status_code == 200
        assert fetch_stats(url)["by_status"] == {"200": 1}
