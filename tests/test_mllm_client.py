"""The async MLLM client against the real loopback server (retries, limits, secrets)."""

from __future__ import annotations

import asyncio
import email.utils
import io
import json
import logging
import time
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from near_core.config import MLLMConfig
from near_core.mllm import (
    MLLMClient,
    MLLMUnavailable,
    Sampling,
    encode_image,
    load_template,
    naming_prompt,
    request_body,
    structured_fields,
)
from near_core.mllm.client import LABEL_SCHEMA, _retry_after, parse_version
from near_core.mllm.labeler import parse_text
from near_core.mllm.prompts import PromptTemplate, meta_prompt, normalise_category
from near_core.testing.mllm_server import Faults, MLLMServer
from near_core.testing.synthetic import make_dataset

PROMPT = "What is the exact bird species in this image?"


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    return make_dataset(tmp_path_factory.mktemp("imgs"), n_classes=8, per_class=3, seed=5)


def client_for(server: MLLMServer, **kw) -> MLLMClient:
    opts = {"concurrency": 4, "timeout_s": 5.0, "max_retries": 3, "backoff_base_s": 0.01,
            "backoff_max_s": 0.05} | kw
    return MLLMClient(server.url, server.model, **opts)


def ask(client: MLLMClient, image: Path, sampling: Sampling | None = None, **kw):
    async def go():
        async with client:
            return await client.ask(image, PROMPT, sampling or Sampling(), **kw)

    return asyncio.run(go())


# ----------------------------------------------------------------------------- pure parts
def test_structured_adapter_is_keyed_on_the_server_version() -> None:
    assert structured_fields((0, 32, 0), choices=["a", "b"]) == {
        "structured_outputs": {"choice": ["a", "b"]}}
    assert structured_fields(None, choices=["a"]) == {"structured_outputs": {"choice": ["a"]}}
    assert structured_fields((0, 11, 2), choices=["a"]) == {"guided_choice": ["a"]}
    for version in (None, (0, 8, 5), (0, 32)):
        rf = structured_fields(version, schema=LABEL_SCHEMA)["response_format"]
        assert rf["type"] == "json_schema" and rf["json_schema"]["schema"] == LABEL_SCHEMA
    assert "guided_json" not in str(structured_fields((0, 32), schema=LABEL_SCHEMA))
    assert parse_version("0.11.2.dev3+cpu") == (0, 11, 2) and parse_version("dev") is None


def test_request_body_shapes() -> None:
    body = request_body("m", b"\xff\xd8jpeg", PROMPT, Sampling(n=3, temperature=0.5), n=2)
    assert body["n"] == 2 and body["temperature"] == 0.5 and body["model"] == "m"
    parts = body["messages"][0]["content"]
    assert parts[0]["image_url"]["url"].startswith("data:image/jpeg;base64,")
    assert parts[1]["text"] == PROMPT and "response_format" in body
    free = request_body("m", b"x", PROMPT, Sampling(structured=False))
    assert not {"response_format", "structured_outputs", "guided_json"} & set(free)


def test_encode_image_downsizes_to_max_side(tmp_path: Path) -> None:
    path = tmp_path / "wide.png"
    Image.new("RGB", (400, 100), (10, 200, 30)).save(path)
    out = Image.open(io.BytesIO(encode_image(path, max_side=128)))
    assert out.format == "JPEG" and out.size == (128, 32)
    small = Image.open(io.BytesIO(encode_image(path.read_bytes(), max_side=1000)))
    assert small.size == (400, 100)
    with pytest.raises(OSError):
        encode_image(b"not an image", max_side=64)


def test_params_hash_covers_sampling_but_not_n() -> None:
    base = Sampling()
    assert base.params_hash() == Sampling(n=5).params_hash()
    for other in (Sampling(temperature=0.1), Sampling(max_tokens=9), Sampling(structured=False),
                  Sampling(choices=("a",)), Sampling(image_max_side=64)):
        assert other.params_hash() != base.params_hash()
    cfg = MLLMConfig(samples=3, temperature=0.2)
    assert Sampling.from_config(cfg) == Sampling(n=3, temperature=0.2)


def test_retry_after_header_forms() -> None:
    assert _retry_after("2") == 2.0 and _retry_after("0.5") == 0.5
    assert _retry_after(None) is None and _retry_after("soon") is None
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= _retry_after(future) <= 31


def test_prompt_version_changes_with_template_content(tmp_path: Path) -> None:
    a = PromptTemplate("name", "What is the exact {category} in this image?")
    b = PromptTemplate("name", "What is the exact {category} shown here?")
    assert a.version != b.version
    pa, pb = a.render("bird species"), b.render("bird species")
    assert pa.text == "What is the exact bird species in this image?"
    assert pa.version != pb.version and pa.version != a.render("dog breed").version
    shipped = naming_prompt("bird species")
    assert "bird species" in shipped.text and shipped.version.startswith("name-")
    custom = tmp_path / "mine.txt"
    custom.write_text("Name the {category}.")
    assert load_template(str(custom)).render("car model").text == "Name the car model."
    assert meta_prompt().version.startswith("meta-")


def test_normalise_category() -> None:
    assert normalise_category("**Bird species**.\nThey are birds.") == "bird species"
    assert normalise_category("The category is: dog breed") == "dog breed"
    assert normalise_category("   ") is None


def test_parse_text_falls_back_when_json_is_not_strict() -> None:
    assert parse_text('{"label": "Horned Puffin"}', structured=True) == ["Horned Puffin"]
    raw_ctrl = '{"label": "Horned\x01 Puffin"}'
    assert isinstance(parse_text(raw_ctrl, structured=True), list)
    assert parse_text("The bird is a **Tufted Puffin**.", structured=True)[0] == "Tufted Puffin"
    assert parse_text("Laysan Albatross", structured=False, choices=["Laysan Albatross"]) == [
        "Laysan Albatross"]


# ----------------------------------------------------------------------------- over HTTP
def test_answers_with_n_samples_usage_and_latency(images) -> None:
    with MLLMServer() as server:
        comp = ask(client_for(server), images[0][0], Sampling(n=3))
    assert comp.ok and len(comp.texts) == 3 and comp.attempts == 1 and comp.status == 200
    assert comp.prompt_tokens > 0 and comp.completion_tokens > 0 and comp.latency_s > 0
    with MLLMServer() as server:
        one = ask(client_for(server), images[0][0], Sampling(n=1))
    assert one.ok and len(one.texts) == 1


def test_retries_every_transient_fault_then_succeeds(images) -> None:
    with MLLMServer(faults=Faults(retry_after_s=0, hang_s=3)) as server:
        kinds = ["500", "503", "429", "malformed", "empty", "drop", "hang"]
        server.queue_faults(kinds)
        comp = ask(client_for(server, max_retries=len(kinds), timeout_s=0.5), images[1][0])
        assert comp.ok and comp.attempts == len(kinds) + 1
        assert server.stats()["requests"] == len(kinds) + 1


def test_gives_up_after_max_retries_with_the_last_error(images) -> None:
    with MLLMServer(faults=Faults(rate=1.0, kinds=("503",))) as server:
        comp = ask(client_for(server, max_retries=2), images[1][0])
        assert not comp.ok and comp.attempts == 3 and comp.status == 503
        assert "HTTP 503" in comp.error and "gave up after 3 attempts" in comp.error
        assert server.stats()["requests"] == 3


def test_retry_after_is_honoured(images) -> None:
    with MLLMServer(faults=Faults(retry_after_s=0.6)) as server:
        server.queue_faults(["429"])
        client = client_for(server, backoff_base_s=0.001, backoff_max_s=0.001)
        t0 = time.perf_counter()
        comp = ask(client, images[2][0])
        waited = time.perf_counter() - t0
    assert comp.ok and comp.attempts == 2
    assert waited >= 0.6  # the backoff alone would have waited at most 1 ms


@pytest.mark.parametrize(("kw", "status", "message"), [
    ({"model": "no-such-model"}, 404, "does not exist"),
    ({"max_tokens": 100_000}, 400, "too large"),
])
def test_no_retry_on_400_or_404(images, kw, status, message) -> None:
    with MLLMServer(max_model_len=2048) as server:
        client = client_for(server, max_retries=5)
        client.model = kw.get("model", client.model)
        comp = ask(client, images[0][0], Sampling(max_tokens=kw.get("max_tokens", 64)))
        assert not comp.ok and comp.status == status and comp.attempts == 1
        assert message in comp.error and comp.error_kind == "http"
        assert server.stats()["requests"] == 1


def test_undecodable_image_is_reported_without_a_request(tmp_path: Path) -> None:
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8 not really")
    with MLLMServer() as server:
        comp = ask(client_for(server), bad)
        assert not comp.ok and comp.error_kind == "image" and comp.attempts == 0
        assert server.stats()["requests"] == 0


def test_concurrency_is_bounded(images) -> None:
    with MLLMServer(latency_s=0.05) as server:
        client = client_for(server, concurrency=3)

        async def go():
            async with client:
                return await asyncio.gather(
                    *(client.ask(p, PROMPT, Sampling()) for p, _ in images))

        results = asyncio.run(go())
        assert all(r.ok for r in results)
        assert 2 <= server.stats()["max_in_flight"] <= 3


def test_choice_constraint_uses_the_servers_dialect(images) -> None:
    vocab = ("Tufted Puffin", "Horned Puffin", "Atlantic Puffin", "Rhinoceros Auklet")
    for version in ("0.32.0", "0.11.0"):
        with MLLMServer(version=version) as server:
            comp = ask(client_for(server), images[0][0], Sampling(n=4, choices=vocab))
            assert comp.ok and all(t in vocab for t in comp.texts)


def test_server_version_missing_means_current() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"detail": "Not Found"})

    async def go():
        async with MLLMClient("http://x/v1", "m", transport=httpx.MockTransport(handler)) as c:
            return await c.server_version()

    assert asyncio.run(go()) is None


def test_unreachable_server_raises_unavailable() -> None:
    async def go():
        async with MLLMClient("http://127.0.0.1:9/v1", "m", timeout_s=2) as c:
            await c.ping()

    with pytest.raises(MLLMUnavailable, match="cannot be reached") as info:
        asyncio.run(go())
    assert info.value.exit_code == 3


def test_api_key_is_sent_but_never_shown(images, caplog: pytest.LogCaptureFixture) -> None:
    secret = "sk-very-secret-0123456789"
    caplog.set_level(logging.DEBUG)
    with MLLMServer(api_key=secret, faults=Faults(rate=0.5, kinds=("500", "drop"),
                                                  retry_after_s=0)) as server:
        cfg = MLLMConfig(url=server.url, model=server.model, api_key_env="TEST_NEAR_KEY",
                         backoff_base_s=0.01, max_retries=6)
        good = MLLMClient.from_config(cfg, env={"TEST_NEAR_KEY": secret})
        assert secret not in repr(good) and "api_key=set" in repr(good)
        comps = [ask(good, p) for p, _ in images[:6]]
        assert all(c.ok for c in comps)
        wrong = MLLMClient.from_config(cfg, api_key="sk-wrong-key-987654")
        denied = ask(wrong, images[0][0])
    assert denied.status == 401 and denied.attempts == 1
    shown = caplog.text + repr(comps) + repr(denied) + repr(wrong)
    assert secret not in shown and "sk-wrong-key-987654" not in shown
    assert MLLMClient.from_config(cfg, env={})._MLLMClient__api_key is None


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                               max_size=4),
    max_leaves=12,
)
_bodies = st.one_of(
    _json.map(lambda v: json.dumps(v).encode()),
    st.builds(lambda choices, usage: json.dumps({"choices": choices, "usage": usage}).encode(),
              st.lists(_json, max_size=3), _json),
    st.binary(max_size=64),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(status=st.sampled_from([200, 200, 400, 404, 429, 500]), body=_bodies)
def test_any_server_answer_gives_a_completion_never_an_exception(status: int, body: bytes) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"Retry-After": "0"})

    async def go():
        async with MLLMClient("http://x/v1", "m", max_retries=1, backoff_base_s=0,
                              transport=httpx.MockTransport(handler)) as c:
            return await c.complete({"model": "m"})

    comp = asyncio.run(go())
    assert comp.ok == bool(comp.texts) and all(isinstance(t, str) for t in comp.texts)
    assert comp.ok or (comp.error and len(comp.error) <= 600)
