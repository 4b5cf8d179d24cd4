"""The label stage: name every ok image of a run with the MLLM, cached and resumable.

Answers live in the run's ``answers`` table, one row per sample, keyed by
``(image_id, model, prompt_version, params_hash, sample_idx)``. A run:

1. picks the images (every ok image, or a seeded class-agnostic sample of at most
   ``mllm.label_budget``: :func:`sample_for_labeling`),
2. resolves the category (``mllm.category``, else the one inferred earlier and kept in
   ``run.json``, else asks a few images once with the meta prompt),
3. finds, per image, the sample indices that are missing or failed (:func:`missing_samples`),
4. sends one request per such image (``n`` = number of missing samples) with bounded
   concurrency, and appends the rows as Parquet parts as requests complete (group commit: one
   part per ``mllm.flush_interval_s`` at most, holding every answer that arrived meanwhile), so a
   killed run loses at most the requests in flight and that much finished work, and never writes
   a key twice as ok.

Failed requests (after the client's retries) become ``status="failed"`` rows with the error,
sent again by the next run. A wrong model name or rejected API key (404/401/403) stops the run
with :class:`MLLMRequestError`; a server that stops answering mid-run stops it with
:class:`MLLMUnavailable` after what completed is saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pyarrow.compute as pc

from near_core.config import MLLMConfig
from near_core.ingest import current_images
from near_core.mllm.client import (
    CONNECTION,
    LABEL_KEY,
    Completion,
    MLLMClient,
    MLLMError,
    MLLMRequestError,
    MLLMUnavailable,
    Sampling,
)
from near_core.mllm.parse import parse_answer, parse_structured
from near_core.mllm.prompts import Prompt, load_template, meta_prompt, normalise_category
from near_core.mllm.serve import ensure_server
from near_core.progress import progress_bar
from near_core.store import RunStore

log = logging.getLogger(__name__)

OK, FAILED = "ok", "failed"
#: statuses that condemn every request of the run (wrong model, bad key): stop at once
FATAL_STATUSES = (401, 403, 404)
#: parts above which the answers table is compacted at the end of a run
COMPACT_PARTS = 64
STATE_CATEGORY = "mllm_category"
STATE_SAMPLE = "label_sample"
#: longest raw answer stored (MLLM output is untrusted; max_tokens bounds it too)
RAW_TEXT_MAX = 20_000


@dataclass
class LabelSummary:
    """What one label run did. ``images``: images targeted; ``cached``: of those, images whose
    answers were all stored before (no request); ``labeled``: images with all samples ok now;
    ``failed_images``: images with a failed sample now (retried by the next run)."""

    images: int = 0
    cached: int = 0
    labeled: int = 0
    failed_images: int = 0
    requests_sent: int = 0
    attempts: int = 0
    samples: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    wall_s: float = 0.0
    model: str = ""
    prompt_version: str = ""
    params_hash: str = ""
    category: str = ""
    errors: Counter = field(default_factory=Counter)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def requests_per_s(self) -> float:
        return self.requests_sent / self.wall_s if self.wall_s > 0 else 0.0

    @property
    def complete(self) -> bool:
        """Every targeted image has all its samples answered."""
        return self.labeled == self.images

    def line(self) -> str:
        text = (
            f"{self.images} images ({self.cached} cached): {self.labeled} labeled, "
            f"{self.failed_images} failed; {self.samples} samples, {self.failures} failures; "
            f"{self.requests_sent} requests ({self.attempts} attempts) in {self.wall_s:.1f} s, "
            f"{self.requests_per_s:.1f} requests/s; tokens {self.prompt_tokens} prompt + "
            f"{self.completion_tokens} completion; model {self.model}, prompt "
            f"{self.prompt_version}, category {self.category!r}"
        )
        if self.errors:
            top = "; ".join(f"{n}x {e}" for e, n in self.errors.most_common(3))
            text += f"\nmost common errors: {top}"
        return text


def sample_for_labeling(image_ids: Iterable[str], budget: int | None, *, seed: int) -> list[str]:
    """At most ``budget`` of ``image_ids`` (all when None), chosen without looking at content:
    the ids with the smallest ``sha256(seed:id)``. Stable: adding images never drops an image
    already chosen unless a new one outranks it. Returned sorted."""
    ids = sorted(set(image_ids))
    if budget is None or budget >= len(ids):
        return ids
    rank = sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).digest())
    return sorted(rank[:budget])


def training_sample(
    store: RunStore, ok_ids: Iterable[str], budget: int | None, *, seed: int
) -> list[str]:
    """The images sent to the MLLM, sorted. Without a budget: every ok image. With one: the
    sample an earlier run of this directory drew with the same budget and seed (kept in
    run.json under ``label_sample``), so images added later go to CLIP only; else a fresh
    :func:`sample_for_labeling`, recorded."""
    ok_ids = list(ok_ids)
    if budget is None:
        return sorted(ok_ids)
    key = {"budget": budget, "seed": seed}
    recorded = store.state().get(STATE_SAMPLE) or {}
    if recorded.get("key") == key:
        ok = set(ok_ids)
        return [i for i in recorded["ids"] if i in ok]
    chosen = sample_for_labeling(ok_ids, budget, seed=seed)
    store.update_state(**{STATE_SAMPLE: {"key": key, "ids": chosen}})
    return chosen


def label_targets(
    store: RunStore, cfg: MLLMConfig, *, seed: int, image_ids: Sequence[str] | None = None
) -> dict[str, str]:
    """``{image_id: path}`` of the ok images to label: ``image_ids`` when given (each must be
    an ok image of the run), else every ok image with ``cfg.label_budget`` applied."""
    images = current_images(store)
    paths = dict(zip(images["image_id"].to_pylist(), images["path"].to_pylist(), strict=True))
    if image_ids is None:
        return {i: paths[i] for i in training_sample(store, paths, cfg.label_budget, seed=seed)}
    unknown = sorted(set(image_ids) - set(paths))
    if unknown:
        raise MLLMError(f"{len(unknown)} image id(s) are not ok images of {store.root}, "
                        f"e.g. {unknown[0]}")
    return {i: paths[i] for i in sorted(set(image_ids))}


def parse_text(text: str, *, structured: bool, choices: Sequence[str] | None = None) -> list[str]:
    """Candidate names of one answer: a constrained choice as is, structured JSON via
    ``parse_structured`` (falling back to the free-text parser when the JSON does not parse
    strictly), else ``parse_answer``."""
    if choices and text.strip() in choices:
        return [text.strip()]
    if structured:
        names = parse_structured(text, key=LABEL_KEY)
        if names is not None:
            return names
    return parse_answer(text)


def answer_rows(
    image_id: str,
    completion: Completion,
    *,
    model: str,
    prompt_version: str,
    params_hash: str,
    sample_idxs: Sequence[int],
    structured: bool,
    choices: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Rows of the answers table for one request that asked for ``sample_idxs``: choice i
    fills ``sample_idxs[i]``; indices without a choice become failed rows. Token counts are
    put on the first row of the request."""
    now = datetime.now(UTC)
    base = {"image_id": image_id, "model": model, "prompt_version": prompt_version,
            "params_hash": params_hash, "latency_s": completion.latency_s,
            "attempts": completion.attempts, "created_at": now}
    rows = []
    for i, idx in enumerate(sample_idxs):
        row = base | {"sample_idx": idx}
        if i == 0:
            row |= {"prompt_tokens": completion.prompt_tokens,
                    "completion_tokens": completion.completion_tokens}
        if completion.ok and i < len(completion.texts):
            text = completion.texts[i][:RAW_TEXT_MAX]
            names = parse_text(text, structured=structured, choices=choices)
            row |= {"status": OK, "raw_text": text, "candidates": names,
                    "label": names[0] if names else None}
        elif completion.ok:
            row |= {"status": FAILED, "error": f"server returned {len(completion.texts)} of "
                    f"{len(sample_idxs)} answers"}
        else:
            row |= {"status": FAILED, "error": completion.error}
        rows.append(row)
    return rows


def missing_samples(
    store: RunStore,
    image_ids: Iterable[str],
    *,
    model: str,
    prompt_version: str,
    params_hash: str,
    n: int,
) -> dict[str, list[int]]:
    """``{image_id: [sample_idx, ...]}`` of the samples 0..n-1 not stored as ok (missing or
    failed) for this model, prompt and parameters; images with nothing missing are left out."""
    table = store.read("answers", columns=[*store.spec("answers").key, "status"])
    if table.num_rows:
        mask = pc.and_(
            pc.and_(pc.equal(table["model"], model), pc.equal(table["prompt_version"], prompt_version)),
            pc.and_(pc.equal(table["params_hash"], params_hash), pc.equal(table["status"], OK)),
        )
        done_tab = table.filter(mask)
        done = set(zip(done_tab["image_id"].to_pylist(), done_tab["sample_idx"].to_pylist(),
                       strict=True))
    else:
        done = set()
    out = {}
    for iid in image_ids:
        idxs = [k for k in range(n) if (iid, k) not in done]
        if idxs:
            out[iid] = idxs
    return out


async def resolve_category(
    client: MLLMClient, store: RunStore, cfg: MLLMConfig, paths: Sequence[str], *, seed: int
) -> str:
    """``cfg.category``, else the category inferred earlier (``run.json``), else the most
    common answer of ``cfg.category_images`` images to the meta prompt (then saved)."""
    if cfg.category:
        return cfg.category
    known = store.state().get(STATE_CATEGORY)
    if known:
        return str(known)
    if not paths:
        raise MLLMError("no images to infer the category from; set mllm.category")
    chosen = sample_for_labeling(paths, cfg.category_images, seed=seed)
    prompt = meta_prompt()
    sampling = Sampling(n=1, temperature=0.0, max_tokens=32, structured=False,
                        image_max_side=cfg.image_max_side)
    await client.ping()
    results = await asyncio.gather(*(client.ask(p, prompt.text, sampling) for p in chosen))
    votes = Counter(c for r in results if r.ok for c in map(normalise_category, r.texts[:1]) if c)
    if not votes:
        errors = "; ".join(r.error or "no usable answer" for r in results)
        raise MLLMError(f"could not infer the image category ({errors}); set mllm.category")
    category = votes.most_common(1)[0][0]
    store.update_state(**{STATE_CATEGORY: category})
    log.info("inferred category %r from %d images", category, len(chosen))
    return category


class _AnswerWriter:
    """Group commit of answer rows: one Parquet part per flush, one flush at a time, and at
    most one flush per ``interval_s`` (answers wait at most that long plus one write)."""

    def __init__(self, store: RunStore, interval_s: float):
        self._store, self._interval = store, interval_s
        self._rows: list[dict[str, Any]] = []
        self._wake, self._closed = asyncio.Event(), asyncio.Event()
        self._task = asyncio.create_task(self._run())

    def add(self, rows: list[dict[str, Any]]) -> None:
        if self._task.done():  # a write failed: surface it now instead of losing rows
            self._task.result()
        self._rows.extend(rows)
        self._wake.set()

    async def _run(self) -> None:
        while not (self._closed.is_set() and not self._rows):
            await self._wake.wait()
            self._wake.clear()
            if self._rows:
                batch, self._rows = self._rows, []
                await asyncio.to_thread(self._store.append, "answers", batch)
            if self._interval and not self._closed.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closed.wait(), self._interval)

    async def close(self) -> None:
        self._closed.set()
        self._wake.set()
        await self._task


async def label_images_async(
    store: RunStore,
    cfg: MLLMConfig,
    client: MLLMClient,
    *,
    seed: int = 0,
    image_ids: Sequence[str] | None = None,
    choices: Sequence[str] | None = None,
    progress: bool = False,
) -> LabelSummary:
    """Label the run's images with an open ``client`` (see the module doc).

    ``image_ids`` restricts the run to these ok images (e.g. low-confidence re-queries);
    ``choices`` constrains every answer to one of these names (a vocabulary).
    """
    t0 = time.perf_counter()
    targets = label_targets(store, cfg, seed=seed, image_ids=image_ids)
    sampling = Sampling.from_config(cfg, choices=choices)
    summary = LabelSummary(images=len(targets), model=client.model,
                           params_hash=sampling.params_hash())
    if not targets:
        return summary
    category = await resolve_category(client, store, cfg, list(targets.values()), seed=seed)
    prompt: Prompt = load_template(cfg.prompt).render(category)
    summary.category, summary.prompt_version = category, prompt.version
    pending = missing_samples(store, targets, model=client.model, prompt_version=prompt.version,
                              params_hash=summary.params_hash, n=sampling.n)
    summary.cached = summary.labeled = len(targets) - len(pending)
    if pending:
        await client.ping()
        await _send(store, cfg, client, targets, pending, prompt, sampling, summary,
                    progress=progress)
    if len(store.files("answers")) > COMPACT_PARTS:
        await asyncio.to_thread(store.compact, "answers")
    summary.wall_s = time.perf_counter() - t0
    return summary


async def _send(
    store: RunStore,
    cfg: MLLMConfig,
    client: MLLMClient,
    targets: dict[str, str],
    pending: dict[str, list[int]],
    prompt: Prompt,
    sampling: Sampling,
    summary: LabelSummary,
    *,
    progress: bool,
) -> None:
    """Send the pending requests; fold the outcome into ``summary``."""
    queue = deque(sorted(pending.items()))
    writer = _AnswerWriter(store, cfg.flush_interval_s)
    abort: list[MLLMError] = []
    down = {"streak": 0}
    bar = progress_bar(len(queue), desc="label", enabled=progress)
    kw = {"model": client.model, "prompt_version": prompt.version,
          "params_hash": summary.params_hash, "structured": sampling.structured,
          "choices": sampling.choices}

    async def worker() -> None:
        while queue and not abort:
            iid, idxs = queue.popleft()
            comp = await client.ask(targets[iid], prompt.text, sampling, n=len(idxs))
            if comp.status in FATAL_STATUSES:
                abort.append(MLLMRequestError(
                    f"{client.url} rejected the request for model {client.model!r}: {comp.error}",
                    status=comp.status))
                return
            rows = answer_rows(iid, comp, sample_idxs=idxs, **kw)
            writer.add(rows)
            summary.requests_sent += int(comp.attempts > 0)
            summary.attempts += comp.attempts
            summary.prompt_tokens += comp.prompt_tokens or 0
            summary.completion_tokens += comp.completion_tokens or 0
            ok = sum(r["status"] == OK for r in rows)
            summary.samples += ok
            summary.failures += len(rows) - ok
            if ok == len(rows):
                summary.labeled += 1
            else:
                summary.failed_images += 1
                summary.errors[next(r["error"] for r in rows if r["status"] == FAILED)] += 1
            bar.update(1)
            await _watch_connection(client, comp, down, abort)

    try:
        workers = [asyncio.create_task(worker()) for _ in range(min(len(queue), 2 * client.concurrency))]
        await asyncio.gather(*workers)
    finally:
        await writer.close()
        bar.close()
    if abort:
        abort[0].summary = summary  # type: ignore[attr-defined]
        raise abort[0]


async def _watch_connection(
    client: MLLMClient, comp: Completion, down: dict[str, int], abort: list[MLLMError]
) -> None:
    """Stop the run when the server is gone: after ``concurrency`` connection failures in a
    row (each already retried), a failed ping raises MLLMUnavailable through ``abort``."""
    if comp.error_kind != CONNECTION:
        down["streak"] = 0
        return
    down["streak"] += 1
    if down["streak"] >= max(4, client.concurrency) and not abort:
        down["streak"] = 0
        try:
            await client.ping()
        except MLLMUnavailable as exc:
            abort.append(MLLMUnavailable(f"{exc} (it stopped answering mid-run; the answers "
                                         "received are saved, rerun to continue)"))


def label_images(
    store: RunStore,
    cfg: MLLMConfig,
    *,
    seed: int = 0,
    api_key: str | None = None,
    image_ids: Sequence[str] | None = None,
    choices: Sequence[str] | None = None,
    progress: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
) -> LabelSummary:
    """Synchronous entry point of the label stage (runs its own event loop).

    ``api_key`` overrides the environment variable ``cfg.api_key_env`` (e.g. a Prefect Secret
    resolved by the flow). With ``cfg.start_server`` a local vLLM is started when nothing
    answers at ``cfg.url`` and stopped afterwards. See :func:`label_images_async` for the other
    arguments.
    """

    async def run() -> LabelSummary:
        async with MLLMClient.from_config(cfg, api_key=api_key, transport=transport) as client:
            return await label_images_async(store, cfg, client, seed=seed, image_ids=image_ids,
                                            choices=choices, progress=progress)

    server = ensure_server(cfg)  # only when cfg.start_server is set and nothing answers
    with server if server is not None else contextlib.nullcontext():
        return asyncio.run(run())
