"""The GPU concurrency limit: two runs never load models on one GPU at the same time, and a
run that dies never keeps a slot.

Tasks that load a model (embed, train, relabel) hold one slot of the Prefect global
concurrency limit ``orchestration.gpu_limit`` while the model is loaded. ``ensure_gpu_limit``
creates the limit (``orchestration.gpu_slots`` slots, one per GPU) when it does not exist;
flows call it at start, ``near serve deployments`` at startup.

A slot expires with its holder (a run killed by SIGKILL, the OOM killer, a lost node), two ways:

- Lease: the slot is taken with a Prefect lease of ``orchestration.gpu_lease_s`` seconds that a
  thread of the holder renews while it lives; a Prefect server frees an expired lease within
  its repossessor's sweep (15 s).
- Heartbeat: the holder also beats a Prefect Variable ``<limit>-holder-<id>`` (every quarter
  of the lease). The local ephemeral API (``near run`` without PREFECT_API_URL) sweeps no
  lease, and a restarted server forgets its leases, so a task waiting for a slot checks the
  holders itself: a holder whose process is gone (same host, ephemeral API) or whose beat has
  not moved for one lease (two on a server, whose own sweep then always comes first) is dead,
  and the waiter releases the slots that no live holder accounts for.

A waiting task logs what it waits for, who holds the slots and for how long.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import (
    GlobalConcurrencyLimitCreate,
    VariableCreate,
    VariableUpdate,
)
from prefect.concurrency.sync import concurrency
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from near_core.config import OrchestrationConfig

#: seconds between two attempts (and two log lines) of a task waiting for a slot
POLL_S = 15.0
HOLDER_TAG = "near-gpu-holder"


class _QuietPolls(logging.Filter):
    """Prefect logs an ERROR for every slot acquisition that times out; for :func:`gpu_slot`,
    which polls with a timeout and logs the wait itself, that is no error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (str(record.msg).startswith("Service %r failed to process item")
                    and "ConcurrencySlotAcquisition" in record.getMessage()
                    and "raised TimeoutError" in record.getMessage())


logging.getLogger("prefect._internal.concurrency").addFilter(_QuietPolls())


def ensure_gpu_limit(cfg: OrchestrationConfig) -> None:
    """Create the global concurrency limit ``cfg.gpu_limit`` unless it exists (kept as is)."""
    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(cfg.gpu_limit)
        except ObjectNotFound:
            with contextlib.suppress(ObjectAlreadyExists):  # created meanwhile by another run
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=cfg.gpu_limit, limit=cfg.gpu_slots)
                )


def _logger() -> logging.Logger | logging.LoggerAdapter:
    from prefect.logging import get_run_logger

    try:
        return get_run_logger()
    except Exception:  # outside a flow or task run
        return logging.getLogger(__name__)


def holder_prefix(limit: str) -> str:
    """Name prefix of the heartbeat variables of ``limit`` (variable-name rules)."""
    return re.sub(r"[^a-z0-9_-]+", "-", limit.lower()).strip("-") + "-holder-"


@contextlib.contextmanager
def gpu_slot(cfg: OrchestrationConfig, *, what: str = "a model") -> Iterator[None]:
    """Hold one slot of the GPU limit for the duration of the block (``what``: what the
    holder loads, for the logs of the runs that wait). Waits as long as the slot is held by
    a live holder, logging every ``POLL_S`` seconds; frees slots of dead holders."""
    log = _logger()
    watch = _HolderWatch(cfg)
    start = time.monotonic()
    with contextlib.ExitStack() as held:
        beat = held.enter_context(_heartbeat(cfg, what))  # before acquiring: no holder unseen
        timeout = 1.0  # a first quick try, then check the holders
        while True:
            try:
                held.enter_context(concurrency(cfg.gpu_limit, occupy=1, timeout_seconds=timeout,
                                               lease_duration=cfg.gpu_lease_s, strict=False))
                break
            except TimeoutError:
                timeout = POLL_S
                if not watch.check(exclude=beat.name):
                    log.warning("waiting %.0f s for a slot of the GPU limit %r to load %s; held "
                                "by %s", time.monotonic() - start, cfg.gpu_limit, what,
                                watch.holders)
        beat.holding()
        if time.monotonic() - start > POLL_S:
            log.info("got a slot of the GPU limit %r after %.0f s", cfg.gpu_limit,
                     time.monotonic() - start)
        yield


class _Beat:
    """The heartbeat variable ``<limit>-holder-<id>`` of one holder: ``state`` "waiting" while
    it acquires (a slot granted just before a kill is then still accounted for), "holding"
    after; ``beat`` counts up every quarter of the lease."""

    def __init__(self, cfg: OrchestrationConfig, what: str):
        self.name = f"{holder_prefix(cfg.gpu_limit)}{uuid.uuid4().hex[:16]}"
        self.value: dict[str, Any] = {
            "host": socket.gethostname(), "pid": os.getpid(), "what": what,
            "since": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "state": "waiting", "beat": 0}
        self.lock = threading.Lock()

    def write(self, client: Any, *, create: bool = False, **change: Any) -> None:
        with self.lock:
            self.value |= change
            if create:
                client.create_variable(VariableCreate(name=self.name, value=self.value,
                                                      tags=[HOLDER_TAG]))
            else:
                client.update_variable(VariableUpdate(name=self.name, value=self.value))

    def holding(self) -> None:
        with get_client(sync_client=True) as client:
            self.write(client, state="holding", since=time.strftime("%Y-%m-%dT%H:%M:%S%z"))


@contextlib.contextmanager
def _heartbeat(cfg: OrchestrationConfig, what: str) -> Iterator[_Beat]:
    """A :class:`_Beat` written now and beaten while the block runs; deleted at the end."""
    beat = _Beat(cfg, what)
    stop = threading.Event()

    def loop() -> None:
        with get_client(sync_client=True) as client:
            while not stop.wait(cfg.gpu_lease_s / 4):
                with contextlib.suppress(Exception):  # a missed beat; the next one may pass
                    beat.write(client, beat=beat.value["beat"] + 1)

    with get_client(sync_client=True) as client:
        beat.write(client, create=True)
    thread = threading.Thread(target=loop, daemon=True, name=f"near-gpu-{beat.name}")
    thread.start()
    try:
        yield beat
    finally:
        stop.set()
        thread.join(timeout=10)
        with contextlib.suppress(Exception), get_client(sync_client=True) as client:
            client.delete_variable_by_name(beat.name)


def _process_gone(holder: dict[str, Any]) -> bool:
    """True when ``holder`` ran on this host and its process no longer exists."""
    if holder.get("host") != socket.gethostname() or not isinstance(holder.get("pid"), int):
        return False
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by another user
        return False
    return False


class _HolderWatch:
    """What a waiting task knows of the holders: the beats it saw and since when (its own
    monotonic clock, so the hosts' clocks need not agree)."""

    def __init__(self, cfg: OrchestrationConfig):
        from prefect.settings import PREFECT_API_URL

        self.cfg = cfg
        # a server frees expired leases itself: leave it the time to, so that a slot is never
        # freed twice (a second release would free a live holder's slot)
        self.sweeps = bool(PREFECT_API_URL.value())
        self.stale_s = cfg.gpu_lease_s * (2 if self.sweeps else 1)
        self.seen: dict[str, tuple[Any, float]] = {}
        self.unaccounted_since: float | None = None
        self.holders = ""

    def check(self, *, exclude: str = "") -> int:
        """Read the limit and the beats (but ``exclude``, the caller's), release the slots of
        dead holders; returns how many were released. ``holders`` then says who holds the
        slots, for the log."""
        now = time.monotonic()
        prefix = holder_prefix(self.cfg.gpu_limit)
        with get_client(sync_client=True) as client:
            limit = client.read_global_concurrency_limit_by_name(self.cfg.gpu_limit)
            live, dead = [], 0
            for var in client.read_variables():
                if (not var.name.startswith(prefix) or var.name == exclude
                        or not isinstance(var.value, dict)):
                    continue
                beat = var.value.get("beat")
                last = self.seen.get(var.name)
                if last is None or last[0] != beat:
                    self.seen[var.name] = last = (beat, now)
                gone = not self.sweeps and _process_gone(var.value)
                if gone or now - last[1] > self.stale_s:
                    dead += 1
                    self.seen.pop(var.name)
                    with contextlib.suppress(Exception):
                        client.delete_variable_by_name(var.name)
                elif var.value.get("state") == "holding":
                    live.append(var.value)
            unaccounted = limit.active_slots - len(live)
            if unaccounted <= 0:
                self.unaccounted_since = None
            elif self.unaccounted_since is None:
                self.unaccounted_since = now
            # a dead holder may have held a slot; slots nobody accounts for must stay so for
            # stale_s before they are taken for dead (a holder killed before its first beat)
            release = min(unaccounted, dead)
            if unaccounted > release and now - (self.unaccounted_since or now) > self.stale_s:
                release = unaccounted
            if release > 0:
                client.release_concurrency_slots([self.cfg.gpu_limit], slots=release,
                                                 occupancy_seconds=self.stale_s)
                self.unaccounted_since = None
                _logger().warning(
                    "released %d slot(s) of the GPU limit %r whose holder is gone (a killed "
                    "run)", release, self.cfg.gpu_limit)
        self.holders = "; ".join(
            f"{h.get('what')} (pid {h.get('pid')} on {h.get('host')} since {h.get('since')}"
            f"{'; process gone, lease not expired yet' if _process_gone(h) else ''})"
            for h in live) or f"{limit.active_slots} of {limit.limit} slot(s) taken, no live " \
            "holder seen yet"
        return release
