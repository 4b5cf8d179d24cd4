"""A real OpenAI-compatible MLLM server on loopback, with fault injection, for tests and demos.

It speaks HTTP like ``vllm serve`` does (``POST /v1/chat/completions``, ``GET /v1/models``,
``/health``, ``/version``) and answers from the image content: the class is decoded from the
pixels of a :mod:`near_core.testing.synthetic` image and named in the free-text style real
MLLMs use (markdown bold, Latin names in parentheses, preambles, candidate lists), with
realistic noise: sometimes a sibling class, a group-level name, another species, or a refusal.
Structured-output fields are honoured the way vLLM of the emulated version honours them
(``response_format`` json_schema, ``structured_outputs`` json/choice; the removed
``guided_json``/``guided_choice`` are ignored from version 0.12 on).

Faults on demand (:class:`Faults`): a fault rate and seed pick, per request, one of
``500``, ``503``, ``429`` (with ``Retry-After``), ``hang`` (no answer until ``hang_s``),
``drop`` (connection closed without a response), ``malformed`` (invalid JSON body with 200),
``empty`` (200 with no choices) and ``slow`` (extra latency). The choice is a pure function of
(seed, image, attempt number), so a run is reproducible whatever the request order. Faults can
also be queued to hit the next requests in order (:meth:`MLLMServer.queue_faults`).

Counters per status, per fault and per image are available from Python
(:meth:`MLLMServer.stats`) and over HTTP (``GET /_near/stats``); ``POST /_near/faults`` sets
faults and ``POST /_near/reset`` clears the counters. A concurrency cap and a fixed latency per
request model a server of known capacity (ideal throughput = cap / latency) for benchmarks.

Use it in-process as a context manager::

    with MLLMServer(faults=Faults(rate=0.3, seed=1)) as server:
        ...  # server.url == "http://127.0.0.1:PORT/v1"

or as a subprocess (prints its URL on the first stdout line, stops on SIGTERM)::

    python -m near_core.testing.mllm_server --port 0 --fault-rate 0.3 --latency 0.05
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import hashlib
import io
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image, UnidentifiedImageError

from near_core.testing.synthetic import SPECIES, class_of_image, siblings, species

FAULT_KINDS = ("500", "503", "429", "hang", "drop", "malformed", "empty", "slow")
DEFAULT_MODEL = "near-test-mllm"
IMAGE_TOKENS = 64


@dataclass
class Faults:
    """What goes wrong, how often. ``rate`` is the probability that a request hits a fault."""

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    seed: int = 0
    retry_after_s: float = 1.0
    hang_s: float = 30.0
    slow_s: float = 0.5

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kind(s) {sorted(unknown)}; known: {FAULT_KINDS}")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be in [0, 1], got {self.rate}")
        self.kinds = tuple(self.kinds)


@dataclass
class Behaviour:
    """How the simulated model answers (probabilities per sample, the rest is a random species)."""

    p_correct: float = 0.72
    p_sibling: float = 0.14
    p_generic: float = 0.04
    p_refusal: float = 0.04
    seed: int = 0


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


# ----------------------------------------------------------------------------- answers
_REFUSALS = (
    "I'm sorry, but I can't determine the exact species of this bird from the image.",
    "It is not possible to identify the exact bird species from this image with confidence.",
    "Unknown.",
    "I cannot identify this bird; the image does not show enough detail.",
)
_FEATURES = ("plumage", "bill shape", "head pattern", "colouring", "overall shape")


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _free_text(name: str, latin: str | None, alt: str, rng: random.Random) -> str:
    """``name`` phrased in one of the styles real MLLMs answer in (``alt``: a second guess)."""
    a = _article(name)
    latin_part = f" (*{latin}*)" if latin else ""
    feature = rng.choice(_FEATURES)
    styles = [
        f"The bird in the image is {a} **{name}**{latin_part}. It is recognizable by its "
        f"distinctive {feature}.",
        f"This appears to be {a} {name}{latin_part.replace('*', '')}.",
        f"**{name}**",
        name,
        f"Based on the {feature}, this bird is most likely {a} **{name}**, although it could "
        f"also be {_article(alt)} {alt}.",
        f"It could be one of the following:\n\n1. **{name}**\n2. **{alt}**",
        f"Let's look step by step. The body colour and the {feature} are typical of this "
        f"group.\n\nFinal answer: {name}",
    ]
    weights = [30, 15, 12, 10, 12, 8, 8]
    return rng.choices(styles, weights)[0]


def _pick_name(true_name: str, rng: random.Random, b: Behaviour) -> tuple[str | None, str | None]:
    """(name, latin) the model names for an image of ``true_name``; (None, None) = refusal."""
    u = rng.random()
    if u < b.p_correct:
        sp = species(true_name)
    elif u < b.p_correct + b.p_sibling:
        sp = species(rng.choice(siblings(true_name)))
    elif u < b.p_correct + b.p_sibling + b.p_generic:
        group_word = true_name.split()[-1]
        return group_word.lower(), None
    elif u < b.p_correct + b.p_sibling + b.p_generic + b.p_refusal:
        return None, None
    else:
        sp = rng.choice(SPECIES)
    return sp.name, (sp.latin if rng.random() < 0.6 else None)


def _answer(true_name: str, rng: random.Random, b: Behaviour, mode: dict[str, Any]) -> str:
    """One sample's text for an image of ``true_name`` under the output ``mode``."""
    if mode.get("meta"):
        return rng.choice(["bird species", "Bird species.", "**bird species**"])
    name, latin = _pick_name(true_name, rng, b)
    if "choice" in mode:
        choices = [str(c) for c in mode["choice"]] or [""]
        if name in choices:
            return name
        sib = [c for c in choices if c in siblings(true_name) or c == true_name]
        return rng.choice(sib or choices)
    if "json_key" in mode:
        return json.dumps({mode["json_key"]: name or "unknown"})
    if name is None:
        return rng.choice(_REFUSALS)
    alts = siblings(true_name) or [s.name for s in SPECIES]
    return _free_text(name, latin, rng.choice(alts), rng)


def _schema_key(schema: Any) -> str:
    """The first required (else first) property of a JSON schema; 'label' when none."""
    if isinstance(schema, dict):
        req = schema.get("required") or []
        if req:
            return str(req[0])
        props = schema.get("properties") or {}
        if props:
            return str(next(iter(props)))
    return "label"


# ----------------------------------------------------------------------------- server state
@dataclass
class _State:
    model: str
    version: str
    max_model_len: int
    api_key: str | None
    latency_s: float
    behaviour: Behaviour
    faults: Faults
    slots: threading.Semaphore | None
    max_concurrency: int | None
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    queued: list[str] = field(default_factory=list)
    by_status: Counter = field(default_factory=Counter)
    by_fault: Counter = field(default_factory=Counter)
    per_image: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    attempts: Counter = field(default_factory=Counter)
    requests: int = 0
    in_flight: int = 0
    max_in_flight: int = 0

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "requests": self.requests,
                "by_status": {str(k): v for k, v in self.by_status.items()},
                "by_fault": dict(self.by_fault),
                "per_image": {k: dict(v) for k, v in self.per_image.items()},
                "max_in_flight": self.max_in_flight,
                "faults": asdict(self.faults) | {"kinds": list(self.faults.kinds)},
            }

    def reset(self) -> None:
        with self.lock:
            self.by_status.clear()
            self.by_fault.clear()
            self.per_image.clear()
            self.attempts.clear()
            self.requests = 0
            self.max_in_flight = 0

    def draw_fault(self, image_key: str) -> tuple[str | None, int]:
        """(fault kind or None, attempt number of this image) for the next request."""
        with self.lock:
            attempt = self.attempts[image_key]
            self.attempts[image_key] += 1
            self.requests += 1
            if self.queued:
                return self.queued.pop(0), attempt
            f = self.faults
        if f.rate <= 0 or not f.kinds:
            return None, attempt
        rng = random.Random(f"{f.seed}:{image_key}:{attempt}")
        if rng.random() < f.rate:
            return rng.choice(f.kinds), attempt
        return None, attempt

    def count_rejected(self, status: int) -> None:
        """Count a request refused before it reached the model (auth, bad request)."""
        with self.lock:
            self.requests += 1
        self.count("rejected", str(status), status, None)

    def count(self, image_key: str, outcome: str, status: int, fault: str | None) -> None:
        with self.lock:
            self.by_status[str(status)] += 1
            if fault:
                self.by_fault[fault] += 1
            self.per_image[image_key][outcome] += 1


class _BadRequest(Exception):
    def __init__(self, status: int, message: str, err_type: str, param: str | None = None):
        super().__init__(message)
        self.status, self.message, self.err_type, self.param = status, message, err_type, param


def _decode_images(messages: Any) -> tuple[list[Image.Image], list[bytes], str]:
    """Images (decoded), their raw bytes, and the concatenated text of the user messages."""
    if not isinstance(messages, list) or not messages:
        raise _BadRequest(400, "messages must be a non-empty list", "BadRequestError", "messages")
    images, raws, texts = [], [], []
    for msg in messages:
        content = msg.get("content") if isinstance(msg, dict) else None
        parts = [{"type": "text", "text": content}] if isinstance(content, str) else content or []
        for part in parts:
            if not isinstance(part, dict):
                continue
            if part.get("type") == "text":
                texts.append(str(part.get("text", "")))
            elif part.get("type") == "image_url":
                url = (part.get("image_url") or {}).get("url", "")
                if not url.startswith("data:") or ";base64," not in url:
                    raise _BadRequest(400, "Failed to load image: only base64 data URIs are "
                                      "supported by this server", "BadRequestError")
                try:
                    raw = base64.b64decode(url.split(";base64,", 1)[1], validate=True)
                    img = Image.open(io.BytesIO(raw))
                    img.load()
                except (binascii.Error, ValueError, UnidentifiedImageError, OSError) as exc:
                    raise _BadRequest(400, f"Failed to load image: {exc}", "BadRequestError") from None
                images.append(img.convert("RGB"))
                raws.append(raw)
    return images, raws, "\n".join(texts)


def _output_mode(body: dict[str, Any], version: tuple[int, ...], text: str) -> dict[str, Any]:
    """How the answer must be shaped, given the request's structured-output fields."""
    if "fine-grained category" in text.lower() and "exact" not in text.lower():
        return {"meta": True}
    so = body.get("structured_outputs")
    if isinstance(so, dict):
        if so.get("choice"):
            return {"choice": so["choice"]}
        if so.get("json") is not None:
            return {"json_key": _schema_key(so["json"])}
    rf = body.get("response_format")
    if isinstance(rf, dict) and rf.get("type") == "json_schema":
        return {"json_key": _schema_key((rf.get("json_schema") or {}).get("schema"))}
    if isinstance(rf, dict) and rf.get("type") == "json_object":
        return {"json_key": "label"}
    if version < (0, 12):  # the old guided_* fields, removed (and silently ignored) from 0.12
        if body.get("guided_choice"):
            return {"choice": body["guided_choice"]}
        if body.get("guided_json") is not None:
            return {"json_key": _schema_key(body["guided_json"])}
    return {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body leave in one send (flushed after each request)
    server: _Server

    def setup(self) -> None:
        super().setup()
        # no Nagle: a response must not wait for the client's delayed ACK (~40 ms)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # quiet: tests and benchmarks read counters instead

    # -- helpers -----------------------------------------------------------------------
    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()  # one send for headers and body; errors surface here

    def _error(self, status: int, message: str, err_type: str, param: str | None = None,
               headers: dict[str, str] | None = None) -> None:
        self._send(status, {"error": {"message": message, "type": err_type, "param": param,
                                      "code": status}}, headers)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    # -- routes ------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        st = self.server.state
        path = self.path.split("?", 1)[0].rstrip("/")
        if path == "/health":
            self._send(200, b"")
        elif path == "/version":
            self._send(200, {"version": st.version})
        elif path == "/v1/models":
            self._send(200, {"object": "list", "data": [
                {"id": st.model, "object": "model", "owned_by": "near-testing",
                 "max_model_len": st.max_model_len}]})
        elif path == "/_near/stats":
            self._send(200, st.stats())
        else:
            self._error(404, f"no route {path}", "NotFoundError")

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        st = self.server.state
        path = self.path.split("?", 1)[0].rstrip("/")
        raw = self._body()
        if path == "/_near/faults":
            try:
                st.faults = Faults(**json.loads(raw or b"{}"))
            except (TypeError, ValueError) as exc:
                self._error(400, str(exc), "BadRequestError")
                return
            self._send(200, asdict(st.faults))
        elif path == "/_near/reset":
            st.reset()
            self._send(200, {"ok": True})
        elif path == "/v1/chat/completions":
            self._chat(st, raw)
        else:
            self._error(404, f"no route {path}", "NotFoundError")

    def _chat(self, st: _State, raw: bytes) -> None:
        if st.api_key is not None:
            auth = self.headers.get("Authorization", "")
            if auth != f"Bearer {st.api_key}":
                st.count_rejected(401)
                self._error(401, "Unauthorized: invalid or missing API key", "AuthenticationError")
                return
        try:
            body = json.loads(raw)
            if not isinstance(body, dict):
                raise ValueError("the request body must be a JSON object")
        except ValueError as exc:
            st.count_rejected(400)
            self._error(400, f"invalid JSON body: {exc}", "BadRequestError")
            return
        try:
            if body.get("model") != st.model:
                raise _BadRequest(404, f"The model `{body.get('model')}` does not exist.",
                                  "NotFoundError", "model")
            max_tokens = int(body.get("max_tokens") or body.get("max_completion_tokens") or 16)
            if max_tokens > st.max_model_len:
                raise _BadRequest(
                    400, f"'max_tokens' or 'max_completion_tokens' is too large: {max_tokens}. "
                    f"This model's maximum context length is {st.max_model_len} tokens.",
                    "BadRequestError", "max_tokens")
            n = int(body.get("n") or 1)
            if not 1 <= n <= 64:
                raise _BadRequest(400, f"n must be between 1 and 64, got {n}", "BadRequestError", "n")
            images, raws, text = _decode_images(body.get("messages"))
        except _BadRequest as exc:
            st.count_rejected(exc.status)
            self._error(exc.status, exc.message, exc.err_type, exc.param)
            return
        key = hashlib.sha256(b"".join(raws) or text.encode()).hexdigest()[:16]
        fault, attempt = st.draw_fault(key)
        if fault is not None and self._fault(st, fault, key):
            return
        slot = st.slots
        if slot is not None:
            slot.acquire()
        try:
            with st.lock:
                st.in_flight += 1
                st.max_in_flight = max(st.max_in_flight, st.in_flight)
            if st.latency_s > 0:
                st.stop.wait(st.latency_s)
            payload = self._completion(st, body, images, text, n, key, attempt)
        finally:
            with st.lock:
                st.in_flight -= 1
            if slot is not None:
                slot.release()
        # counted before the send, so a client that has its answer also sees it counted
        st.count(key, "ok", 200, fault)
        try:
            self._send(200, payload)
        except OSError:
            with st.lock:  # the answer never left: not delivered
                st.per_image[key]["ok"] -= 1
                st.per_image[key]["client_gone"] += 1

    def _fault(self, st: _State, fault: str, key: str) -> bool:
        """Apply ``fault``; True when the request is finished (no normal answer)."""
        f = st.faults
        if fault in ("500", "503"):
            status = int(fault)
            st.count(key, fault, status, fault)  # counts come before sends (no race)
            self._error(status, HTTPStatus(status).phrase, "InternalServerError"
                        if status == 500 else "ServiceUnavailableError")
        elif fault == "429":
            st.count(key, "429", 429, fault)
            self._error(429, "Too many requests, slow down", "RateLimitError",
                        headers={"Retry-After": f"{f.retry_after_s:g}"})
        elif fault == "hang":
            st.count(key, "hang", 0, fault)
            st.stop.wait(f.hang_s)
            self._drop()
        elif fault == "drop":
            st.count(key, "drop", 0, fault)
            self._drop()
        elif fault == "malformed":
            st.count(key, "malformed", 200, fault)
            self._send(200, b'{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [')
        elif fault == "empty":
            st.count(key, "empty", 200, fault)
            self._send(200, {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion",
                             "created": int(time.time()), "model": st.model, "choices": [],
                             "usage": {"prompt_tokens": 0, "completion_tokens": 0,
                                       "total_tokens": 0}})
        elif fault == "slow":
            st.stop.wait(f.slow_s)
            return False
        return True

    def _completion(self, st: _State, body: dict[str, Any], images: list[Image.Image], text: str,
                    n: int, key: str, attempt: int) -> dict[str, Any]:
        mode = _output_mode(body, _version_tuple(st.version), text)
        true_name = class_of_image(images[0]) if images else SPECIES[0].name
        temperature = float(body.get("temperature", 1.0) or 0.0)
        b = st.behaviour
        choices, completion_tokens = [], 0
        for i in range(n):
            seed = f"{b.seed}:{key}" if temperature == 0 else f"{b.seed}:{key}:{attempt}:{i}"
            content = _answer(true_name, random.Random(seed), b, mode)
            completion_tokens += len(content.split()) + 1
            choices.append({"index": i, "message": {"role": "assistant", "content": content},
                            "finish_reason": "stop", "logprobs": None})
        prompt_tokens = len(text.split()) + IMAGE_TOKENS * len(images) + 10
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": st.model,
            "choices": choices,
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], state: _State):
        super().__init__(addr, _Handler)
        self.state = state
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self._conns_lock:
            self._conns.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._conns_lock:
                self._conns.discard(request)

    def close_connections(self) -> None:
        """Cut every open (keep-alive) connection, as a killed server would."""
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


# ----------------------------------------------------------------------------- public API
class MLLMServer:
    """The loopback server, run in a background thread (a context manager).

    Args:
        host, port: where to listen (port 0 picks a free port; see :attr:`url`).
        model: the served model name (other names get vLLM's 404).
        version: the vLLM version reported by ``/version`` (decides ``guided_*`` support).
        faults: fault injection (none by default); change later with :meth:`set_faults`.
        latency_s: fixed time each answered request takes.
        max_concurrency: at most this many requests are processed at once (others queue).
        max_model_len: larger ``max_tokens`` get vLLM's 400.
        api_key: when set, requests need ``Authorization: Bearer <api_key>`` (else 401).
        behaviour: answer noise (probabilities of a correct name, a sibling, ...).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        model: str = DEFAULT_MODEL,
        version: str = "0.32.0",
        faults: Faults | None = None,
        latency_s: float = 0.0,
        max_concurrency: int | None = None,
        max_model_len: int = 4096,
        api_key: str | None = None,
        behaviour: Behaviour | None = None,
    ):
        self._state = _State(
            model=model, version=version, max_model_len=max_model_len, api_key=api_key,
            latency_s=latency_s, behaviour=behaviour or Behaviour(), faults=faults or Faults(),
            slots=threading.Semaphore(max_concurrency) if max_concurrency else None,
            max_concurrency=max_concurrency,
        )
        self._addr = (host, port)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"MLLMServer(url={self.url if self._httpd else None!r}, model={self.model!r})"

    @property
    def model(self) -> str:
        return self._state.model

    @property
    def root_url(self) -> str:
        """``http://host:port`` (``/health``, ``/version``, ``/_near/...`` live here)."""
        if self._httpd is None:
            raise RuntimeError("the server is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The OpenAI base URL, ``http://host:port/v1``."""
        return f"{self.root_url}/v1"

    def start(self) -> MLLMServer:
        if self._httpd is None:
            self._state.stop.clear()
            self._httpd = _Server(self._addr, self._state)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                name="near-mllm-server", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.close_connections()
        self._state.stop.set()  # then wake hung requests and latency sleeps (sockets are cut)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> MLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set_faults(self, faults: Faults | None = None, **changes: Any) -> Faults:
        """Replace the fault plan (``faults``) or change some of its fields; returns it."""
        self._state.faults = replace(faults or self._state.faults, **changes)
        return self._state.faults

    def queue_faults(self, kinds: Sequence[str]) -> None:
        """Make the next ``len(kinds)`` chat requests hit these faults, in order."""
        bad = set(kinds) - set(FAULT_KINDS)
        if bad:
            raise ValueError(f"unknown fault kind(s) {sorted(bad)}")
        with self._state.lock:
            self._state.queued.extend(kinds)

    def stats(self) -> dict[str, Any]:
        """Counters: ``requests``, ``by_status``, ``by_fault``, ``per_image`` (image key ->
        outcome -> count, outcome ``ok`` = a 200 answer delivered), ``max_in_flight``."""
        return self._state.stats()

    def reset_stats(self) -> None:
        self._state.reset()


def fetch_stats(url: str, *, timeout: float = 10.0) -> dict[str, Any]:
    """The counters of a running server (in-process or subprocess) from its ``/_near/stats``."""
    root = url.rstrip("/").removesuffix("/v1")
    with urllib.request.urlopen(f"{root}/_near/stats", timeout=timeout) as resp:
        return json.loads(resp.read())


def ok_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Successful (200 delivered) requests per image key, from :func:`fetch_stats` output."""
    return {k: v.get("ok", 0) for k, v in stats["per_image"].items() if v.get("ok", 0)}


@contextlib.contextmanager
def spawn_server(*args: str, python: str | None = None, startup_s: float = 30.0,
                 env: dict[str, str] | None = None) -> Iterator[str]:
    """Run the server as a subprocess (``args`` are its command-line flags); yield its URL.

    The subprocess is stopped (SIGTERM, then SIGKILL) when the block exits.
    """
    cmd = [python or sys.executable, "-m", "near_core.testing.mllm_server", "--port", "0", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        ready = threading.Event()
        line: list[str] = []

        def read() -> None:
            line.append(proc.stdout.readline())
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(startup_s) or not line[0].startswith("http"):
            raise RuntimeError(f"mllm test server did not start: {line[:1]!r}, rc={proc.poll()}")
        yield line[0].strip()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m near_core.testing.mllm_server",
        description="Loopback OpenAI-compatible MLLM server with fault injection (testing).")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--version", default="0.32.0", help="vLLM version to emulate")
    p.add_argument("--latency", type=float, default=0.0, help="seconds per answered request")
    p.add_argument("--max-concurrency", type=int, default=None)
    p.add_argument("--max-model-len", type=int, default=4096)
    p.add_argument("--api-key-env", default=None,
                   help="environment variable holding the API key to require")
    p.add_argument("--fault-rate", type=float, default=0.0)
    p.add_argument("--faults", default=",".join(FAULT_KINDS), help="comma-separated kinds")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--retry-after", type=float, default=1.0)
    p.add_argument("--hang", type=float, default=30.0)
    p.add_argument("--p-correct", type=float, default=Behaviour.p_correct)
    a = p.parse_args(argv)
    server = MLLMServer(
        a.host, a.port, model=a.model, version=a.version, latency_s=a.latency,
        max_concurrency=a.max_concurrency, max_model_len=a.max_model_len,
        api_key=os.environ.get(a.api_key_env) if a.api_key_env else None,
        faults=Faults(rate=a.fault_rate, kinds=tuple(k for k in a.faults.split(",") if k),
                      seed=a.seed, retry_after_s=a.retry_after, hang_s=a.hang),
        behaviour=Behaviour(p_correct=a.p_correct, seed=a.seed),
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    with server:
        print(server.url, flush=True)
        done.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
