"""Image ingestion: discover files, key them by content, verify they decode.

Every file found becomes knowledge in the ``images`` table: one row per unique content
(``image_id`` = sha256 of the bytes) with ``status="ok"``, or a ``status="rejected"`` row with a
human-readable ``reason`` (empty, unreadable, not an image, truncated, corrupt, oversize).
Rejected files never stop a scan. Duplicate files collapse into one row whose ``paths`` lists
every copy; ``path`` is the smallest of them, so the table does not depend on scan order.

Re-ingesting hashes every file again (cheap) but decodes only content not yet known as ok;
rows are appended as Parquet parts every ``part_rows`` files, so a crash loses at most the
part in flight.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from near_core.config import IngestConfig
from near_core.errors import NearError
from near_core.progress import progress_bar
from near_core.store import RunStore

log = logging.getLogger(__name__)

OK = "ok"
REJECTED = "rejected"
_HASH_CHUNK = 1 << 20
_EXIF_ORIENTATION = 0x0112
_TRANSPOSED = {5, 6, 7, 8}  # orientations that rotate by 90 degrees


class IngestError(NearError):
    """The source itself cannot be scanned (missing folder, unreadable list file)."""


@dataclass
class IngestSummary:
    """Counts of one ingest call. ``new`` counts ok images not known before the call."""

    scanned: int = 0
    ok: int = 0
    rejected: int = 0
    duplicate: int = 0
    new: int = 0
    new_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.scanned} files: {self.ok} ok ({self.new} new), {self.rejected} rejected, "
            f"{self.duplicate} duplicate"
        )


def discover(source: str | os.PathLike[str], *, follow_symlinks: bool = True) -> list[Path]:
    """Files of ``source``: a folder (recursive, hidden entries skipped) or a text file
    listing one path per line (relative paths are relative to the list file; blank lines and
    lines starting with '#' are ignored). Returns absolute paths, sorted, unique."""
    src = Path(source)
    if src.is_dir():
        found = []
        seen: set[tuple[int, int]] = set()  # (device, inode) of walked folders: symlink loops
        for root, dirs, files in os.walk(src, followlinks=follow_symlinks):
            st = os.stat(root)
            if (st.st_dev, st.st_ino) in seen:
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(Path(root, f) for f in files if not f.startswith("."))
    elif src.is_file():
        try:
            text = src.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise IngestError(f"cannot read the path list {src}: {exc}") from None
        found = []
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                p = Path(line).expanduser()
                found.append(p if p.is_absolute() else src.parent / p)
    elif src.exists():
        raise IngestError(f"{src} is neither a folder nor a text file of paths")
    else:
        raise IngestError(f"source {src} does not exist")
    return sorted({p.absolute() for p in found})


def _path_id(path: Path) -> str:
    """Identity of a file whose content cannot be read or is empty."""
    return hashlib.sha256(b"near-path:" + str(path).encode()).hexdigest()


def _hash_file(path: Path, max_bytes: int) -> tuple[str | None, int, bytes | None, str | None]:
    """(sha256, size, bytes-or-None, reason-or-None). Bytes are kept unless over max_bytes."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(_HASH_CHUNK), b""):
                    h.update(chunk)
            return h.hexdigest(), size, None, f"file too large: {size} bytes > max_file_bytes {max_bytes}"
        data = path.read_bytes()
    except PermissionError:
        return None, 0, None, "unreadable: permission denied"
    except IsADirectoryError:
        return None, 0, None, "unreadable: is a directory"
    except OSError as exc:
        return None, 0, None, f"unreadable: {exc.strerror or exc}"
    if not data:
        return None, 0, None, "empty file"
    return hashlib.sha256(data).hexdigest(), len(data), data, None


def verify_image(data: bytes, *, max_pixels: int) -> dict[str, Any]:
    """Decode ``data`` fully (EXIF orientation applied, converted to RGB).

    Returns ``{"width", "height", "format", "mode"}`` on success (size after orientation) or
    ``{"reason": ...}`` when the bytes are not a usable image.
    """
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt, mode = img.format, img.mode
            w, h = img.size
            if w * h > max_pixels:
                return {"reason": f"oversize: {w}x{h} pixels > max_pixels {max_pixels}"}
            img.load()
            if img.mode != "RGB":
                img.convert("RGB")  # proves the pixels convert; the result is not kept
            if img.getexif().get(_EXIF_ORIENTATION, 1) in _TRANSPOSED:
                w, h = h, w  # the size as seen after EXIF orientation (see load_rgb)
    except Image.DecompressionBombError as exc:
        return {"reason": f"oversize: decompression bomb ({exc})"}
    except UnidentifiedImageError:
        return {"reason": "not an image: unknown or unsupported format"}
    except OSError as exc:
        msg = str(exc)
        if "truncated" in msg:
            return {"reason": f"truncated image: {msg}"}
        return {"reason": f"corrupt image: {msg}"}
    except (ValueError, SyntaxError, TypeError, EOFError) as exc:
        return {"reason": f"corrupt image: {type(exc).__name__}: {exc}"}
    return {"width": w, "height": h, "format": fmt, "mode": mode}


def _examine(path: Path, cfg: IngestConfig, known_ok: dict[str, dict]) -> dict[str, Any]:
    digest, size, data, reason = _hash_file(path, cfg.max_file_bytes)
    row: dict[str, Any] = {"path": str(path), "size_bytes": size}
    if digest is None:
        return row | {"image_id": _path_id(path), "status": REJECTED, "reason": reason}
    row["image_id"] = digest
    if reason is not None:
        return row | {"status": REJECTED, "reason": reason}
    if digest in known_ok:
        return row | {"status": OK, "known": True}
    info = verify_image(data, max_pixels=cfg.max_pixels)
    if "reason" in info:
        return row | {"status": REJECTED, "reason": info["reason"]}
    return row | {"status": OK} | info


def ingest(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    store: RunStore,
    *,
    config: IngestConfig | None = None,
    progress: bool = False,
) -> IngestSummary:
    """Scan ``source`` (folder, path-list file, or an iterable of file paths) into
    ``store``'s images table. Never raises for a bad file; raises IngestError when the
    source itself cannot be scanned."""
    cfg = config or IngestConfig()
    if isinstance(source, (str, os.PathLike)):
        paths = discover(source, follow_symlinks=cfg.follow_symlinks)
    else:
        paths = sorted({Path(p).absolute() for p in source})

    existing = store.read("images")
    known: dict[str, dict] = {r["image_id"]: r for r in existing.to_pylist()}
    known_ok = {k: r for k, r in known.items() if r["status"] == OK}
    summary = IngestSummary(scanned=len(paths))
    pending: dict[str, dict] = {}  # image_id -> row to append
    seen: set[str] = set()
    workers = cfg.workers or min(8, 2 * (os.cpu_count() or 1))

    def flush() -> None:
        if pending:
            store.append("images", list(pending.values()))
            pending.clear()

    bar = progress_bar(len(paths), desc="ingest", enabled=progress)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            for row in pool.map(lambda p: _examine(p, cfg, known_ok), paths):
                _merge(row, known, pending, seen, summary)
                bar.update(1)
                if len(pending) >= cfg.part_rows:
                    flush()
        finally:
            bar.close()
    flush()
    return summary


def _merge(
    row: dict, known: dict[str, dict], pending: dict[str, dict], seen: set[str], s: IngestSummary
) -> None:
    """Fold one examined file into the pending rows and the summary."""
    row.pop("known", None)
    iid, path, status = row["image_id"], row["path"], row["status"]
    if status == OK:
        s.ok += 1
        s.duplicate += iid in seen
        seen.add(iid)
    else:
        s.rejected += 1
    prev = pending.get(iid) or known.get(iid)
    if status == OK and (prev is None or prev["status"] != OK):
        s.new += 1
        s.new_ids.append(iid)
    if prev is None:
        pending[iid] = known[iid] = row | {"paths": [path]}
        return
    prev_paths = sorted(prev.get("paths") or [prev["path"]])
    paths = sorted(set(prev_paths) | {path})
    changed = status != prev["status"] or row.get("reason") != prev.get("reason")
    if paths == prev_paths and not changed:
        return  # already stored as it is
    merged = (prev | row) if changed else dict(prev)
    pending[iid] = known[iid] = merged | {"paths": paths, "path": paths[0]}


def current_images(store: RunStore, *, status: str | None = OK):
    """The images table, optionally filtered by status (a pyarrow Table).

    Rejected rows whose path now holds an ok image (a fixed file) are dropped.
    """
    import pyarrow.compute as pc

    table = store.read("images")
    if status is None:
        return table
    if status == REJECTED:
        ok_paths = set()
        for paths in table.filter(pc.equal(table["status"], OK))["paths"].to_pylist():
            ok_paths.update(paths or [])
        rej = table.filter(pc.equal(table["status"], REJECTED))
        keep = [p not in ok_paths for p in rej["path"].to_pylist()]
        return rej.filter(keep)
    return table.filter(pc.equal(table["status"], status))


def run_items(store: RunStore, image_ids: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """``(image_id, path)`` of the run's ok images: all of them (images table order), or those
    among ``image_ids`` (in that order; ids that are not ok images are left out), read with a
    key filter and three columns rather than the whole table."""
    if image_ids is None:
        images = current_images(store)
        return list(zip(images["image_id"].to_pylist(), images["path"].to_pylist(), strict=True))
    table = store.read("images", columns=["image_id", "path", "status"], only={"image_id": list(image_ids)})
    path_of = {i: p for i, p, s in zip(table["image_id"].to_pylist(), table["path"].to_pylist(),
                                       table["status"].to_pylist(), strict=True) if s == OK}
    return [(i, path_of[i]) for i in image_ids if i in path_of]


def load_rgb(path: str | os.PathLike[str]) -> Image.Image:
    """Open an image file as it is meant to be seen: EXIF orientation applied, RGB."""
    with Image.open(path) as img:
        img.load()
        return ImageOps.exif_transpose(img).convert("RGB")
