"""Benchmark: MLLM client throughput and cached reruns of the label stage.

Runs the loopback test server as a subprocess (its own process, so it does not share the
client's interpreter lock) with a fixed per-request latency L and a concurrency cap C: its
ideal throughput is C / L requests/s. Measures

1. the client at C-way concurrency: achieved requests/s over the ideal (goal >= 0.9),
2. a sequential client (concurrency 1) and the speed-up of (1) over it (goal >= 20x at C=64),
3. the whole label stage (encode, send, parse, append Parquet parts) at C-way concurrency,
4. a cached rerun over a run of ``--cached-images`` labeled images: requests sent (goal 0)
   and wall time.

    python bench/label_client.py [--latency 0.25] [--concurrency 64] [--requests 2048]
                                 [--cached-images 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from near_core.config import MLLMConfig  # noqa: E402
from near_core.ingest import ingest  # noqa: E402
from near_core.mllm import MLLMClient, Sampling, encode_image, label_images, request_body  # noqa: E402
from near_core.store import RunStore  # noqa: E402
from near_core.testing.mllm_server import fetch_stats, spawn_server  # noqa: E402
from near_core.testing.synthetic import MAX_CLASSES, make_dataset  # noqa: E402

PROMPT = "What is the exact bird species in this image?"
MODEL = "near-test-mllm"


async def client_rate(url: str, bodies: list[dict], *, concurrency: int) -> tuple[float, int]:
    """(requests/s, failures) of sending every body once with ``concurrency`` in flight."""
    async with MLLMClient(url, MODEL, concurrency=concurrency, timeout_s=60, max_retries=0) as c:
        await c.server_version()
        t0 = time.perf_counter()
        results = await asyncio.gather(*(c.complete(b) for b in bodies))
        wall = time.perf_counter() - t0
    return len(bodies) / wall, sum(not r.ok for r in results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--latency", type=float, default=0.25, help="server seconds per request")
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--requests", type=int, default=2048)
    ap.add_argument("--sequential-requests", type=int, default=24)
    ap.add_argument("--label-images", type=int, default=1024)
    ap.add_argument("--cached-images", type=int, default=10_000)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="near-bench-label-"))
    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}")

    # images: distinct content per request (as in a real run)
    n_img = max(a.requests, a.label_images)
    per_class = -(-n_img // MAX_CLASSES)
    items = make_dataset(work / "imgs", n_classes=MAX_CLASSES, per_class=per_class, seed=0)
    sampling = Sampling(n=1, temperature=0.7)
    bodies = [request_body(MODEL, encode_image(p, max_side=768), PROMPT, sampling)
              for p, _ in items[: a.requests]]

    C, L = a.concurrency, a.latency
    ideal = C / L
    with spawn_server("--latency", str(L), "--max-concurrency", str(C)) as url:
        print(f"server: latency {L} s, cap {C} -> ideal {ideal:.1f} req/s")
        seq, seq_fails = asyncio.run(client_rate(url, bodies[: a.sequential_requests],
                                                 concurrency=1))
        print(f"client concurrency 1: {seq:.2f} req/s over {a.sequential_requests} requests "
              f"({seq_fails} failed)")
        # at C the slots idle for one round trip per request; 1.25 C keeps the server's queue
        # non-empty, as a client should to saturate a server of known capacity
        for cc in (C, C + C // 4):
            rate, fails = asyncio.run(client_rate(url, bodies, concurrency=cc))
            print(f"client concurrency {cc}: {rate:.1f} req/s over {len(bodies)} requests "
                  f"({fails} failed) = {rate / ideal:.3f} of ideal, {rate / seq:.1f}x sequential")

        # the whole label stage at C-way concurrency
        store = RunStore(work / "run-stage")
        ingest([p for p, _ in items[: a.label_images]], store)
        cfg = MLLMConfig(url=url, model=MODEL, category="bird species", concurrency=C,
                         samples=1, max_retries=0, timeout_s=60)
        s = label_images(store, cfg)
        print(f"label stage C={C}: {s.requests_sent} requests in {s.wall_s:.2f} s = "
              f"{s.requests_per_s:.1f} req/s = {s.requests_per_s / ideal:.3f} of ideal "
              f"({s.failed_images} failed, {len(store.files('answers'))} answer parts)")

    # cached rerun over many images: label once against a fast server, then rerun
    per_class = -(-a.cached_images // MAX_CLASSES)
    t0 = time.perf_counter()
    big = make_dataset(work / "big", n_classes=MAX_CLASSES, per_class=per_class, seed=1)
    big = big[: a.cached_images]
    store = RunStore(work / "run-cached")
    ingest([p for p, _ in big], store)
    prep = time.perf_counter() - t0
    with spawn_server("--max-concurrency", "64") as url:
        cfg = MLLMConfig(url=url, model=MODEL, category="bird species", concurrency=64,
                         max_retries=3, timeout_s=60)
        first = label_images(store, cfg)
        before = fetch_stats(url)["requests"]
        t0 = time.perf_counter()
        again = label_images(store, cfg)
        rerun = time.perf_counter() - t0
        sent = fetch_stats(url)["requests"] - before
    print(f"cached rerun: {len(big)} images (dataset+ingest {prep:.1f} s; first run "
          f"{first.wall_s:.1f} s, {first.requests_per_s:.0f} req/s, {first.labeled} labeled); "
          f"rerun {rerun:.2f} s, {again.cached} cached, requests sent {sent} "
          f"(summary {again.requests_sent}), answer parts {len(store.files('answers'))}")


if __name__ == "__main__":
    main()
