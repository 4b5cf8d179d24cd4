"""Async batched client for OpenAI-compatible chat completions with images (vLLM, ...).

One :class:`MLLMClient` holds a few small pooled ``httpx.AsyncClient`` s (``SLOTS_PER_POOL``
request slots each). Every request carries one image as a base64 JPEG data URI (downsized so
its longer side is at most ``image_max_side``) and a text prompt, and asks for ``n`` samples.
Requests run with bounded concurrency (``concurrency`` slots; a request waiting in backoff
frees its slot), each attempt under a whole-request timeout.

Retries with exponential backoff and full jitter on timeouts, connection errors, 429 and 5xx
(``Retry-After`` honoured, in seconds or as an HTTP date), and on malformed or empty 200
answers; never on other 4xx, whose server message is reported as is. :meth:`complete` never
raises for a failed request: it returns a :class:`Completion` with ``ok=False``, the error and
its kind, so a batch can record failures and go on.

Structured output: :func:`structured_fields` is the one adapter from "what we want" (a JSON
object with a ``label`` key, or one of a list of choices) to the request fields of the
server's vLLM version: ``response_format`` json_schema for JSON, ``structured_outputs`` choice
(vLLM >= 0.12; the old ``guided_*`` fields were removed there and are silently ignored) or
``guided_choice`` for older servers. The version comes from ``GET /version``; a server without
it is assumed current.

The API key (explicit, or from the environment variable named by ``mllm.api_key_env``) only
ever goes into the Authorization header: never into logs, errors or reprs.
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import hashlib
import io
import json
import logging
import os
import random
import ssl
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from near_core.config import MLLMConfig
from near_core.errors import NearError, UnavailableError
from near_core.ingest import load_rgb

log = logging.getLogger(__name__)

#: the JSON schema of a structured answer: ``{"label": "<name>"}``
LABEL_KEY = "label"
LABEL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {LABEL_KEY: {"type": "string"}},
    "required": [LABEL_KEY],
    "additionalProperties": False,
}
#: first vLLM version without ``guided_*`` (it has ``structured_outputs`` instead)
STRUCTURED_OUTPUTS_SINCE = (0, 12)
ERROR_TEXT_MAX = 500
#: a Retry-After longer than this (an hour, a bad date) is waited only this long
RETRY_AFTER_MAX_S = 600.0
JPEG_QUALITY = 90
#: request slots per pooled httpx client: httpcore's pool scans all its connections on every
#: request event, so one big pool costs O(concurrency) per request; small pools keep it flat
SLOTS_PER_POOL = 4

# error kinds of a failed Completion
TIMEOUT, CONNECTION, HTTP, MALFORMED, IMAGE = "timeout", "connection", "http", "malformed", "image"


class MLLMError(NearError):
    """A problem talking to the MLLM server."""


class MLLMUnavailable(MLLMError, UnavailableError):
    """The server cannot be reached at all (connection refused, DNS, no answer)."""


class MLLMRequestError(MLLMError):
    """The server rejected requests in a way a retry cannot fix (wrong model name, auth)."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Sampling:
    """What one request asks for. Everything that changes the answers is in :meth:`params_hash`.

    ``structured``: ask for ``{"label": ...}`` JSON; ``choices``: constrain the answer to one
    of these names (re-queries over a vocabulary; takes precedence over ``structured``).
    """

    n: int = 1
    temperature: float = 0.7
    max_tokens: int = 256
    structured: bool = True
    choices: tuple[str, ...] | None = None
    image_max_side: int = 768

    @classmethod
    def from_config(cls, cfg: MLLMConfig, *, choices: Sequence[str] | None = None) -> Sampling:
        return cls(
            n=cfg.samples, temperature=cfg.temperature, max_tokens=cfg.max_tokens,
            structured=cfg.structured_output, choices=tuple(choices) if choices else None,
            image_max_side=cfg.image_max_side,
        )

    def params_hash(self) -> str:
        """16 hex digits identifying the sampling parameters except ``n`` (answers of a run
        with n=3 are samples 0..2 of the same key family as a run with n=1)."""
        data = asdict(self)
        data.pop("n")
        blob = json.dumps(data, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


@dataclass
class Completion:
    """Outcome of one request (after retries).

    ``texts``: one answer per returned choice (may be fewer than ``n``); ``error`` and
    ``error_kind`` (timeout, connection, http, malformed, image) when ``ok`` is False;
    ``status``: the last HTTP status (None when no response came); ``latency_s``: duration of
    the last attempt; ``attempts``: HTTP attempts made.
    """

    ok: bool
    texts: list[str] = field(default_factory=list)
    error: str | None = None
    error_kind: str | None = None
    status: int | None = None
    latency_s: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    attempts: int = 0


def parse_version(text: str | None) -> tuple[int, ...] | None:
    """``"0.32.0"`` / ``"0.11.2.dev3+cpu"`` -> ``(0, 32, 0)``; None when not a version."""
    if not text:
        return None
    parts = []
    for piece in str(text).split(".")[:3]:
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts) or None


def structured_fields(
    version: tuple[int, ...] | None,
    *,
    schema: Mapping[str, Any] | None = None,
    choices: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The request fields that ask a vLLM of ``version`` (None: current) for structured output.

    ``choices`` (one of these strings) wins over ``schema`` (a JSON object).
    """
    current = version is None or version >= STRUCTURED_OUTPUTS_SINCE
    if choices:
        if current:
            return {"structured_outputs": {"choice": list(choices)}}
        return {"guided_choice": list(choices)}
    if schema is not None:
        return {"response_format": {"type": "json_schema",
                                    "json_schema": {"name": "answer", "schema": dict(schema)}}}
    return {}


def encode_image(source: str | os.PathLike[str] | bytes | Image.Image, *, max_side: int) -> bytes:
    """JPEG bytes of an image (path: EXIF-oriented; bytes: any PIL format), downsized so that
    its longer side is at most ``max_side``. Raises OSError/ValueError for undecodable input."""
    if isinstance(source, Image.Image):
        img = source.convert("RGB")
    elif isinstance(source, bytes):
        with Image.open(io.BytesIO(source)) as im:
            img = im.convert("RGB")
    else:
        img = load_rgb(Path(source))
    if max(img.size) > max_side:
        img = img.copy()
        img.thumbnail((max_side, max_side), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    return out.getvalue()


def image_message(jpeg: bytes, prompt: str) -> list[dict[str, Any]]:
    """The chat messages of one image + text request."""
    uri = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
    return [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": uri}},
        {"type": "text", "text": prompt},
    ]}]


def request_body(
    model: str,
    jpeg: bytes,
    prompt: str,
    sampling: Sampling,
    *,
    version: tuple[int, ...] | None = None,
    n: int | None = None,
) -> dict[str, Any]:
    """The JSON body of a chat-completions request (``n`` overrides ``sampling.n``)."""
    body: dict[str, Any] = {
        "model": model,
        "messages": image_message(jpeg, prompt),
        "n": sampling.n if n is None else n,
        "temperature": sampling.temperature,
        "max_tokens": sampling.max_tokens,
    }
    if sampling.choices:
        body |= structured_fields(version, choices=sampling.choices)
    elif sampling.structured:
        body |= structured_fields(version, schema=LABEL_SCHEMA)
    return body


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _server_message(resp: httpx.Response) -> str:
    """The error message a server put in its response (OpenAI / vLLM / FastAPI shapes)."""
    try:
        data = resp.json()
    except ValueError:
        return resp.text.strip()[:ERROR_TEXT_MAX] or resp.reason_phrase
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        for key in ("message", "detail", "error"):
            if data.get(key):
                return str(data[key])
    return json.dumps(data)[:ERROR_TEXT_MAX]


class MLLMClient:
    """Async client of one OpenAI-compatible server and model (use ``async with``).

    Args:
        url: the OpenAI base URL, e.g. ``http://127.0.0.1:8000/v1``.
        model: the served model name.
        api_key: sent as ``Authorization: Bearer ...`` when given.
        concurrency: requests in flight at most.
        timeout_s: limit of one attempt, from sending to the last byte of the answer.
        max_retries: retries after the first attempt (so at most ``max_retries + 1`` attempts).
        backoff_base_s, backoff_max_s: the delay before retry k (k = 0, 1, ...) is uniform in
            ``[0, min(max, base * 2**k)]`` (full jitter), and at least ``Retry-After`` when the
            server sends one.
        transport: an httpx transport (tests).
    """

    def __init__(
        self,
        url: str,
        model: str,
        *,
        api_key: str | None = None,
        concurrency: int = 16,
        timeout_s: float = 120.0,
        max_retries: int = 5,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self.url = url.rstrip("/")
        self.model = model
        self.concurrency = concurrency
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.__api_key = api_key or None
        self._transport = transport
        self._pools: list[httpx.AsyncClient] = []
        self._slots: asyncio.LifoQueue[int] | None = None
        self._version: tuple[int, ...] | None | bool = False  # False: not fetched yet
        self._rng = random.Random()

    @classmethod
    def from_config(
        cls,
        cfg: MLLMConfig,
        *,
        api_key: str | None = None,
        env: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> MLLMClient:
        """A client for the ``mllm`` config section; the API key is ``api_key`` when given,
        else the environment variable named by ``cfg.api_key_env`` (unset: no key)."""
        key = api_key or (os.environ if env is None else env).get(cfg.api_key_env) or None
        return cls(
            cfg.url, cfg.model, api_key=key, concurrency=cfg.concurrency,
            timeout_s=cfg.timeout_s, max_retries=cfg.max_retries,
            backoff_base_s=cfg.backoff_base_s, backoff_max_s=cfg.backoff_max_s,
            transport=transport,
        )

    def __repr__(self) -> str:
        key = "set" if self.__api_key else "none"
        return f"MLLMClient(url={self.url!r}, model={self.model!r}, api_key={key})"

    # -- lifecycle ---------------------------------------------------------------------
    async def __aenter__(self) -> MLLMClient:
        headers = {"Authorization": f"Bearer {self.__api_key}"} if self.__api_key else {}
        tls = ssl.create_default_context()  # built once, shared by the pools
        n_pools = -(-self.concurrency // SLOTS_PER_POOL)
        self._pools = [
            httpx.AsyncClient(
                headers=headers,
                verify=tls,
                timeout=httpx.Timeout(self.timeout_s, connect=min(self.timeout_s, 10.0)),
                limits=httpx.Limits(max_connections=SLOTS_PER_POOL,
                                    max_keepalive_connections=SLOTS_PER_POOL),
                transport=self._transport,
            )
            for _ in range(n_pools)
        ]
        # LIFO: under light load the same few slots (and warm connections) are reused
        self._slots = asyncio.LifoQueue()
        for slot in reversed(range(self.concurrency)):
            self._slots.put_nowait(slot)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        pools, self._pools = self._pools, []
        for pool in pools:
            await pool.aclose()

    def _client(self, slot: int = 0) -> httpx.AsyncClient:
        if not self._pools:
            raise RuntimeError("use the client inside `async with MLLMClient(...)`")
        return self._pools[slot // SLOTS_PER_POOL]

    def _scrub(self, text: str) -> str:
        """``text`` with the API key (should a server echo it) masked, length-capped."""
        if self.__api_key:
            text = text.replace(self.__api_key, "***")
        return text[:ERROR_TEXT_MAX]

    @property
    def root_url(self) -> str:
        """The server root (the base URL without its ``/v1``)."""
        return self.url.removesuffix("/v1")

    # -- server facts ------------------------------------------------------------------
    async def ping(self) -> None:
        """Raise :class:`MLLMUnavailable` unless the server answers HTTP at all."""
        try:
            await self._client().get(f"{self.url}/models", timeout=min(self.timeout_s, 10.0))
        except httpx.HTTPError as exc:
            raise MLLMUnavailable(
                f"MLLM server at {self.url} cannot be reached ({type(exc).__name__}: "
                f"{self._scrub(str(exc)) or 'no answer'}); start it (e.g. `near serve mllm`) "
                "or pass the right --mllm-url"
            ) from None

    async def server_version(self) -> tuple[int, ...] | None:
        """The vLLM version from ``GET /version`` (cached); None when the server has none."""
        if self._version is False:
            version = None
            try:
                resp = await self._client().get(f"{self.root_url}/version",
                                                 timeout=min(self.timeout_s, 10.0))
                if resp.status_code == 200:
                    version = parse_version(resp.json().get("version"))
            except (httpx.HTTPError, ValueError, AttributeError):
                version = None
            self._version = version
            log.debug("MLLM server version: %s", version)
        return self._version  # type: ignore[return-value]

    # -- requests ----------------------------------------------------------------------
    def _delay(self, attempt: int, retry_after: float | None) -> float:
        cap = min(self.backoff_max_s, self.backoff_base_s * 2 ** (attempt - 1))
        delay = self._rng.uniform(0.0, cap)
        if retry_after is None:
            return delay
        return max(delay, min(retry_after, RETRY_AFTER_MAX_S))

    async def complete(self, body: Mapping[str, Any]) -> Completion:
        """POST one chat-completions ``body`` with retries; never raises for a failed request."""
        self._client()  # raises outside `async with`
        assert self._slots is not None
        attempts = 0
        while True:
            attempts += 1
            retry_after: float | None = None
            resp: httpx.Response | None = None
            slot = await self._slots.get()
            try:
                t0 = time.perf_counter()
                try:
                    async with asyncio.timeout(self.timeout_s):
                        resp = await self._client(slot).post(f"{self.url}/chat/completions",
                                                             json=body)
                    failed = None
                except (TimeoutError, httpx.TimeoutException):
                    failed = Completion(False, error=f"timeout after {self.timeout_s:g} s",
                                        error_kind=TIMEOUT)
                except httpx.TransportError as exc:
                    failed = Completion(False, error_kind=CONNECTION, error=self._scrub(
                        f"connection error: {type(exc).__name__}: {exc}"))
                latency = time.perf_counter() - t0
            finally:
                self._slots.put_nowait(slot)
            if resp is not None:
                result = self._read(resp)
                if result.ok or result.error_kind == HTTP and not _retryable(resp.status_code):
                    result.latency_s, result.attempts = latency, attempts
                    return result
                failed = result
                retry_after = _retry_after(resp.headers.get("Retry-After"))
            assert failed is not None
            failed.latency_s, failed.attempts = latency, attempts
            if attempts > self.max_retries:
                failed.error = f"{failed.error} (gave up after {attempts} attempts)"
                return failed
            delay = self._delay(attempts, retry_after)
            log.info("MLLM request failed (%s); retry %d in %.2f s", failed.error, attempts, delay)
            await asyncio.sleep(delay)

    def _read(self, resp: httpx.Response) -> Completion:
        status = resp.status_code
        if status != 200:
            msg = self._scrub(f"HTTP {status}: {_server_message(resp)}")
            return Completion(False, error=msg, error_kind=HTTP, status=status)
        try:
            data = resp.json()
            choices = data["choices"]
            texts = [str((c.get("message") or {}).get("content") or "") for c in choices]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return Completion(False, status=status, error_kind=MALFORMED,
                              error=self._scrub(f"malformed response: {type(exc).__name__}: {exc}"))
        if not texts:
            return Completion(False, status=status, error_kind=MALFORMED,
                              error="malformed response: no choices")
        usage = data.get("usage")
        usage = usage if isinstance(usage, dict) else {}  # untrusted: any JSON value
        return Completion(True, texts=texts, status=status,
                          prompt_tokens=_int_or_none(usage.get("prompt_tokens")),
                          completion_tokens=_int_or_none(usage.get("completion_tokens")))

    async def ask(
        self,
        image: str | os.PathLike[str] | bytes | Image.Image,
        prompt: str,
        sampling: Sampling,
        *,
        n: int | None = None,
    ) -> Completion:
        """Ask about one image (encoded off the event loop); ``n`` overrides ``sampling.n``.

        An image that cannot be read gives a failed Completion of kind ``image`` (no request).
        """
        try:
            jpeg = await asyncio.to_thread(encode_image, image, max_side=sampling.image_max_side)
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            return Completion(False, error=f"cannot read image: {exc}", error_kind=IMAGE)
        version = await self.server_version()
        return await self.complete(
            request_body(self.model, jpeg, prompt, sampling, version=version, n=n))


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) else None
