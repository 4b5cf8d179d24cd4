"""Cache keys and result persistence shared by the Prefect tasks.

A cache key is a sha256 over named content parts: the run directory, the sorted image ids
of the batch, model ids, prompt versions and hashes of the config fields that change the
result; for a stage whose result is the algorithm's (refine), the source of the modules that
compute it too (:func:`code_digest`), so that an upgraded algorithm is not answered from the
cache of the old one. Operational settings (URLs, concurrency, timeouts) are left out on purpose: pointing
the same run at another replica of the same model must not invalidate anything.

Results persist under ``RUN_DIR/.prefect/results`` unless ``orchestration.result_storage``
names another place (a path, or the slug of a saved Prefect storage block such as
``s3-bucket/near-results``).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from near_core.config import NearConfig
from near_core.store import RunStore

RESULTS_SUBDIR = Path(".prefect") / "results"

#: MLLM settings that change how requests are sent but not what the answers are
_MLLM_OPERATIONAL = {
    "url",
    "api_key_env",
    "api_key_secret",
    "concurrency",
    "timeout_s",
    "max_retries",
    "backoff_base_s",
    "backoff_max_s",
    "start_server",
    "vllm_python",
    "vllm_model_path",
    "vllm_max_model_len",
    "vllm_serve_args",
    "vllm_startup_timeout_s",
    "label_budget",
    "flush_interval_s",
}


def content_key(stage: str, *parts: Any) -> str:
    """sha256 hex of ``stage`` and JSON-serialisable ``parts`` (order matters)."""
    blob = json.dumps([stage, *parts], sort_keys=True, default=str).encode()
    return f"{stage}-{hashlib.sha256(blob).hexdigest()}"


def code_digest(*modules: ModuleType) -> str:
    """sha256 hex of the source files of ``modules``, in order."""
    h = hashlib.sha256()
    for module in modules:
        h.update(Path(inspect.getfile(module)).read_bytes())
    return h.hexdigest()


def ids_digest(image_ids: Iterable[str]) -> str:
    """Order-free digest of a set of image ids (content hashes)."""
    h = hashlib.sha256()
    for iid in sorted(set(image_ids)):
        h.update(iid.encode())
        h.update(b"\n")
    return h.hexdigest()


def _section(config: NearConfig, name: str, drop: set[str] = frozenset()) -> dict[str, Any]:
    data = getattr(config, name).model_dump(mode="json")
    return {k: v for k, v in data.items() if k not in drop}


def mllm_params(config: NearConfig) -> dict[str, Any]:
    """MLLM settings that determine the answers (model, prompt, sampling)."""
    return _section(config, "mllm", _MLLM_OPERATIONAL)


def table_digest(store: RunStore, name: str) -> str:
    """sha256 of a run-store table's part manifest (file names, sizes, row counts): no row is
    read, so the key of a million-row input costs a directory listing. Parts are immutable;
    a new part or a compaction gives a new digest."""
    blob = json.dumps([name, store.manifest(name)]).encode()
    return hashlib.sha256(blob).hexdigest()


def weights_identity(name: str, pretrained: str, seed: int) -> dict[str, Any]:
    """Identity of CLIP weights: model name and tag, a local checkpoint by path, size and
    mtime, random weights ('') by their seed."""
    data: dict[str, Any] = {"model": name, "pretrained": pretrained}
    path = Path(pretrained).expanduser() if pretrained else None
    if path is not None and path.is_file():
        st = path.stat()
        data["pretrained"] = {"path": str(path.resolve()), "size": st.st_size,
                              "mtime_ns": st.st_mtime_ns}
    if not pretrained:
        data["seed"] = seed
    return data


def files_identity(folder: str | os.PathLike[str]) -> list[list[Any]]:
    """``[[name, size, mtime_ns], ...]`` of the files under ``folder`` (e.g. a bundle)."""
    root = Path(folder)
    if not root.is_dir():
        return []
    return [[str(f.relative_to(root)), f.stat().st_size, f.stat().st_mtime_ns]
            for f in sorted(root.rglob("*")) if f.is_file()]


def section_params(config: NearConfig, *names: str) -> dict[str, Any]:
    """Plain dump of whole config sections (for deterministic stages)."""
    return {n: _section(config, n) for n in names}


def key_fn(stage: str, build: Callable[[dict[str, Any]], Sequence[Any]]):
    """A Prefect ``cache_key_fn``: ``content_key(stage, run_dir, *build(parameters))``."""

    def cache_key(_context, parameters: dict[str, Any]) -> str:
        run_dir = str(Path(parameters["run_dir"]).resolve())
        return content_key(stage, run_dir, *build(parameters))

    return cache_key


def result_storage(config: NearConfig, run_dir: str | os.PathLike[str]) -> Any:
    """Where task results persist: ``orchestration.result_storage`` or ``RUN_DIR/.prefect/results``.

    A value containing '/' that is not an existing directory and has no path separator at
    its start is treated as a Prefect block slug (``block-type/block-name``).
    """
    target = config.orchestration.result_storage
    if not target:
        path = Path(run_dir).resolve() / RESULTS_SUBDIR
        path.mkdir(parents=True, exist_ok=True)
        return path
    if target.startswith(("/", ".", "~")) or os.path.isdir(target):
        path = Path(target).expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path
    return target
