"""Answers made elsewhere in, pending requests out (offline batch jobs).

- :func:`export_batch` writes the run's pending label requests (missing or failed samples of
  the current config) as a ``vllm run-batch`` / OpenAI batch *input* JSONL file: one line
  ``{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body": {...}}`` per image.
- :func:`import_answers` reads a batch *output* JSONL file (``{"custom_id", "response":
  {"status_code", "body": <chat completion>}, "error"}`` per line) or a JSON file in the
  FiNDR ``guessed_classnames`` format (``{relative_image_path: {"model_main_response", ...}}``,
  see ``shared/data/mllm_answers/README.md``) into the answers table.

A custom id written by :func:`export_batch` (``near|<image_id>|<prompt_version>|<params_hash>|
<sample indices>``) maps the answers back to exactly the keys the label stage looks for, so an
exported-then-imported batch is a cache hit for ``near label``. Any other custom id, and the
FiNDR keys, are matched to an image of the run by image id, full path, ``folder/file`` or file
name, and stored under ``prompt_version`` and ``params_hash`` ``"imported"``.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from near_core.config import MLLMConfig
from near_core.ingest import current_images
from near_core.mllm.client import (
    HTTP,
    Completion,
    MLLMError,
    Sampling,
    encode_image,
    parse_version,
    request_body,
)
from near_core.mllm.labeler import STATE_CATEGORY, answer_rows, label_targets, missing_samples
from near_core.mllm.prompts import load_template
from near_core.store import RunStore

CUSTOM_ID_PREFIX = "near"
IMPORTED = "imported"
_UNMATCHED_EXAMPLES = 5
_ROWS_PER_PART = 5000


class BatchFormatError(MLLMError):
    """An import file is not in a supported format; the message names the file and line."""


@dataclass
class ImportSummary:
    """Counts of one import: ``records`` read, answer ``rows`` written (ok / failed), records
    whose image is not in the run (``unmatched``, with a few ``examples``)."""

    format: str = ""
    records: int = 0
    rows: int = 0
    ok: int = 0
    failed: int = 0
    unmatched: int = 0
    examples: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (f"{self.records} {self.format} records: {self.rows} answer rows ({self.ok} ok, "
                f"{self.failed} failed), {self.unmatched} not matched to an image of the run")
        if self.examples:
            text += f" (e.g. {', '.join(self.examples)})"
        return text


def custom_id(image_id: str, prompt_version: str, params_hash: str, idxs: list[int]) -> str:
    return "|".join([CUSTOM_ID_PREFIX, image_id, prompt_version, params_hash,
                     ",".join(map(str, idxs))])


def _parse_custom_id(text: str) -> tuple[str, str, str, list[int]] | None:
    parts = text.split("|")
    if len(parts) != 5 or parts[0] != CUSTOM_ID_PREFIX:
        return None
    try:
        idxs = [int(x) for x in parts[4].split(",") if x != ""]
    except ValueError:
        return None
    return parts[1], parts[2], parts[3], idxs


def export_batch(
    store: RunStore,
    cfg: MLLMConfig,
    path: str | os.PathLike[str],
    *,
    seed: int = 0,
    server_version: str | None = None,
) -> int:
    """Write the pending requests of the label stage to ``path`` (JSONL); returns how many.

    The category must be known (``mllm.category`` or inferred by an earlier ``near label``).
    ``server_version`` shapes the structured-output fields (default: current vLLM).
    """
    targets = label_targets(store, cfg, seed=seed)
    category = cfg.category or store.state().get(STATE_CATEGORY)
    template = load_template(cfg.prompt)
    if template.needs_category and not category:
        raise MLLMError("the category is unknown: set mllm.category (or run `near label` once "
                        "against a server to infer it) before exporting a batch")
    prompt = template.render(category)
    sampling = Sampling.from_config(cfg)
    pending = missing_samples(store, targets, model=cfg.model, prompt_version=prompt.version,
                              params_hash=sampling.params_hash(), n=sampling.n)
    version = parse_version(server_version)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            for iid, idxs in sorted(pending.items()):
                try:
                    jpeg = encode_image(targets[iid], max_side=sampling.image_max_side)
                except (OSError, ValueError) as exc:
                    raise MLLMError(f"cannot read image {targets[iid]}: {exc}") from None
                body = request_body(cfg.model, jpeg, prompt.text, sampling, version=version,
                                    n=len(idxs))
                line = {"custom_id": custom_id(iid, prompt.version, sampling.params_hash(), idxs),
                        "method": "POST", "url": "/v1/chat/completions", "body": body}
                f.write(json.dumps(line) + "\n")
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return len(pending)


class _ImageIndex:
    """Finds the run's ok image for an id, a path, ``folder/file`` or a unique file name."""

    def __init__(self, store: RunStore):
        images = current_images(store)
        self.ids = set(images["image_id"].to_pylist())
        self.by_key: dict[str, str | None] = {}
        for iid, path, paths in zip(images["image_id"].to_pylist(), images["path"].to_pylist(),
                                    images["paths"].to_pylist(), strict=True):
            for p in {path, *(paths or [])}:
                pp = Path(p)
                for key in (str(pp), f"{pp.parent.name}/{pp.name}", pp.name):
                    # a key shared by two different images is ambiguous: None
                    self.by_key[key] = iid if self.by_key.get(key, iid) == iid else None

    def find(self, ref: str) -> str | None:
        if ref in self.ids:
            return ref
        ref = ref.replace("\\", "/")
        pp = Path(ref)
        for key in (ref, f"{pp.parent.name}/{pp.name}", pp.name):
            iid = self.by_key.get(key)
            if iid:
                return iid
        return None


def _batch_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BatchFormatError(f"{path}:{lineno}: not a JSON line ({exc})") from None
            if not isinstance(rec, dict) or "custom_id" not in rec:
                raise BatchFormatError(f"{path}:{lineno}: a batch output line needs 'custom_id'")
            yield lineno, rec


def _batch_completion(rec: dict[str, Any]) -> tuple[Completion, str | None]:
    """(completion, model) of one batch output record."""
    resp = rec.get("response") or {}
    body = resp.get("body") if isinstance(resp, dict) else None
    status = resp.get("status_code") if isinstance(resp, dict) else None
    err = rec.get("error")
    model = body.get("model") if isinstance(body, dict) else None
    if err or status not in (None, 200) or not isinstance(body, dict):
        msg = err.get("message") if isinstance(err, dict) else err
        if not msg and isinstance(body, dict):
            msg = (body.get("error") or {}).get("message") if isinstance(body.get("error"), dict) \
                else body.get("message")
        return Completion(False, error=f"batch error (status {status}): {msg or 'no response'}",
                          error_kind=HTTP, status=status), model
    choices = body.get("choices") or []
    texts = [str((c.get("message") or {}).get("content") or "") for c in choices
             if isinstance(c, dict)]
    usage = body.get("usage") or {}
    return Completion(bool(texts), texts=texts, status=200,
                      error=None if texts else "batch answer without choices",
                      prompt_tokens=usage.get("prompt_tokens"),
                      completion_tokens=usage.get("completion_tokens")), model


def import_answers(
    store: RunStore,
    path: str | os.PathLike[str],
    *,
    model: str | None = None,
    structured: bool = True,
) -> ImportSummary:
    """Import answers from ``path`` (batch output ``.jsonl``, or FiNDR-format ``.json``).

    ``model`` names the answering model when a record does not (FiNDR ``model_main``, batch
    body ``model``). ``structured``: answers may be ``{"label": ...}`` JSON.
    """
    p = Path(path)
    if not p.is_file():
        raise BatchFormatError(f"import file {p} does not exist")
    index = _ImageIndex(store)
    summary = ImportSummary()
    rows: list[dict[str, Any]] = []

    def add(new: list[dict[str, Any]]) -> None:
        rows.extend(new)
        summary.rows += len(new)
        summary.ok += sum(r["status"] == "ok" for r in new)
        summary.failed += sum(r["status"] != "ok" for r in new)
        if len(rows) >= _ROWS_PER_PART:
            store.append("answers", rows)
            rows.clear()

    def unmatched(ref: str) -> None:
        summary.unmatched += 1
        if len(summary.examples) < _UNMATCHED_EXAMPLES:
            summary.examples.append(ref[:120])

    if p.suffix.lower() == ".jsonl":
        summary.format = "batch output"
        for _, rec in _batch_records(p):
            summary.records += 1
            comp, rec_model = _batch_completion(rec)
            ours = _parse_custom_id(str(rec["custom_id"]))
            if ours is not None and ours[0] in index.ids:
                iid, pv, ph, idxs = ours
            else:
                iid = index.find(str(rec["custom_id"]))
                if iid is None:
                    unmatched(str(rec["custom_id"]))
                    continue
                pv, ph = IMPORTED, IMPORTED
                idxs = list(range(max(1, len(comp.texts))))
            add(answer_rows(iid, comp, model=rec_model or model or IMPORTED, prompt_version=pv,
                            params_hash=ph, sample_idxs=idxs, structured=structured))
    else:
        summary.format = "FiNDR json"
        for ref, entry in _findr_entries(p):
            summary.records += 1
            iid = index.find(ref)
            if iid is None:
                unmatched(ref)
                continue
            text = entry.get("model_main_response")
            ok = entry.get("model_main_success", True) and isinstance(text, str)
            comp = Completion(True, texts=[text]) if ok else Completion(
                False, error=f"imported answer marked unsuccessful: {str(text)[:200]!r}")
            add(answer_rows(iid, comp, model=str(entry.get("model_main") or model or IMPORTED),
                            prompt_version=IMPORTED, params_hash=IMPORTED, sample_idxs=[0],
                            structured=structured))
    if rows:
        store.append("answers", rows)
    return summary


def _findr_entries(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BatchFormatError(f"{path}: not a readable JSON file ({exc}); answers import "
                               "reads batch output .jsonl or FiNDR-format .json") from None
    if not isinstance(data, dict):
        raise BatchFormatError(f"{path}: expected a JSON object keyed by image path")
    for ref, entry in data.items():
        if not isinstance(entry, dict) or "model_main_response" not in entry:
            raise BatchFormatError(f"{path}: entry {ref!r} has no 'model_main_response'")
        yield ref, entry
