"""The run directory: Parquet tables with explicit schemas, atomic writes, append-as-part.

Layout of a run directory::

    RUN/
      config.toml              resolved config of the last stage that ran
      run.json                 small run state (e.g. the CLIP model chosen at embed)
      images/part-*.parquet    appendable tables: one part per append
      vocabulary.parquet       single tables: replaced atomically

Every file is written to a hidden temporary name in the same directory, fsynced and renamed,
so a crash never leaves a partial table; readers ignore hidden files. Appendable tables are
read by concatenating their parts in write order and keeping the last row per key, which
makes updates (a later row for the same key) and idempotent reruns cheap.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from near_core.errors import NearError
from near_core.schemas import TABLES, TableSpec

META_TABLE = b"near.table"
META_VERSION = b"near.schema_version"
RUN_STATE = "run.json"


class StoreError(NearError):
    """A run-store table cannot be read or written; the message names the file."""


class SchemaVersionError(StoreError):
    """A table on disk was written with another schema version than this code reads."""


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not supported on every filesystem
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename."""
    _atomic(target, lambda f: f.write(data))


def _atomic(target: Path, writer) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".tmp-{uuid.uuid4().hex}{target.suffix}"
    try:
        with open(tmp, "wb") as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(target.parent)


class RunStore:
    """Tables of one run directory.

    >>> store = RunStore("runs/birds")
    >>> store.append("images", rows)            # appendable table: a new part file
    >>> store.write("vocabulary", table)        # single table: atomic replace
    >>> images = store.read("images")           # merged, one row per key
    """

    def __init__(self, root: str | os.PathLike[str], *, create: bool = True):
        self.root = Path(root)
        if create:
            self.root.mkdir(parents=True, exist_ok=True)
        elif not self.root.is_dir():
            raise StoreError(f"run directory {self.root} does not exist")

    def __repr__(self) -> str:
        return f"RunStore({str(self.root)!r})"

    # -- paths -------------------------------------------------------------------------
    @staticmethod
    def spec(name: str) -> TableSpec:
        try:
            return TABLES[name]
        except KeyError:
            raise StoreError(f"unknown table {name!r}; known: {', '.join(sorted(TABLES))}") from None

    def path(self, name: str) -> Path:
        """The table's directory (appendable) or file (single)."""
        spec = self.spec(name)
        return self.root / name if spec.appendable else self.root / f"{name}.parquet"

    def files(self, name: str) -> list[Path]:
        """The table's visible Parquet files in write order."""
        p = self.path(name)
        if self.spec(name).appendable:
            if not p.is_dir():
                return []
            return sorted(f for f in p.glob("part-*.parquet") if not f.name.startswith("."))
        return [p] if p.is_file() else []

    def exists(self, name: str) -> bool:
        return bool(self.files(name))

    # -- writing -----------------------------------------------------------------------
    def conform(self, name: str, data: pa.Table | Sequence[Mapping[str, Any]]) -> pa.Table:
        """Cast ``data`` (a table or a list of row dicts) to the table's schema.

        Missing nullable columns are filled with nulls; unknown columns raise StoreError.
        """
        spec = self.spec(name)
        if not isinstance(data, pa.Table):
            data = _table_from_rows(spec, data)
        unknown = [c for c in data.column_names if c not in spec.schema.names]
        if unknown:
            raise StoreError(f"table {name!r} has no column(s) {unknown}")
        columns, fields = [], []
        for field in spec.schema:
            if field.name in data.column_names:
                col = data.column(field.name)
                ftype = col.type if field.name in spec.variable_width else field.type
                if field.name in spec.variable_width and not spec.field_matches(
                    pa.field(field.name, col.type)
                ):
                    raise StoreError(
                        f"table {name!r} column {field.name!r}: expected a fixed-size list of "
                        f"{field.type.value_type}, got {col.type}"
                    )
                try:
                    col = col.cast(ftype)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                    raise StoreError(f"table {name!r} column {field.name!r}: {exc}") from None
            else:
                if not field.nullable:
                    raise StoreError(f"table {name!r} is missing required column {field.name!r}")
                ftype = field.type
                col = pa.nulls(data.num_rows, type=ftype)
            if not field.nullable and col.null_count:
                raise StoreError(f"table {name!r} column {field.name!r} holds nulls")
            columns.append(col)
            fields.append(pa.field(field.name, ftype, nullable=field.nullable))
        meta = {META_TABLE: name.encode(), META_VERSION: str(spec.version).encode()}
        return pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=meta))

    def _write_file(self, target: Path, table: pa.Table) -> None:
        _atomic(target, lambda f: pq.write_table(table, f, compression="zstd"))

    def append(self, name: str, data: pa.Table | Sequence[Mapping[str, Any]]) -> Path | None:
        """Append rows to an appendable table as a new part; returns its path (None if empty)."""
        spec = self.spec(name)
        if not spec.appendable:
            raise StoreError(f"table {name!r} is not appendable; use write()")
        table = self.conform(name, data)
        if table.num_rows == 0:
            return None
        part = f"part-{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}.parquet"
        target = self.path(name) / part
        self._write_file(target, table)
        return target

    def write(self, name: str, data: pa.Table | Sequence[Mapping[str, Any]]) -> Path:
        """Replace a single table's whole content atomically."""
        if self.spec(name).appendable:
            raise StoreError(f"table {name!r} is appendable; use append() (or compact())")
        target = self.path(name)
        self._write_file(target, self.conform(name, data))
        return target

    def compact(self, name: str) -> None:
        """Merge an appendable table's parts into one part with the same content.

        Safe against concurrent appends: exactly the parts listed at the start are merged,
        and the merged part takes the place of the last of them in write order, so parts
        appended meanwhile still sort (and win) after it. A crash before the old parts are
        removed leaves duplicates of identical rows, which readers de-duplicate.
        """
        spec = self.spec(name)
        files = self.files(name)
        if not spec.appendable or len(files) < 2:
            return
        merged = dedupe_last(pa.concat_tables(self._read_file(spec, f, None) for f in files),
                             spec.key)
        target = files[-1].with_name(f"{files[-1].stem}-c.parquet")
        self._write_file(target, self.conform(name, merged))
        for f in files:
            with contextlib.suppress(FileNotFoundError):
                f.unlink()

    # -- reading -----------------------------------------------------------------------
    def _check_file(self, spec: TableSpec, path: Path) -> None:
        """Raise unless ``path`` is a readable Parquet file of ``spec``'s schema version."""
        try:
            schema = pq.read_schema(path)
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(f"{path}: not a readable Parquet file ({exc})") from None
        meta = schema.metadata or {}
        found = meta.get(META_VERSION, b"?").decode()
        if found != str(spec.version):
            raise SchemaVersionError(
                f"{path}: table {spec.name!r} has schema version {found}, this version of "
                f"near-pipeline reads version {spec.version}; rerun the stage that writes "
                f"{spec.name!r} into a new run directory, or use the matching near-pipeline"
            )
        for field in schema:
            if field.name in spec.schema.names and not spec.field_matches(field):
                raise SchemaVersionError(
                    f"{path}: column {field.name!r} has type {field.type}, expected "
                    f"{spec.schema.field(field.name).type}"
                )

    def _read_file(self, spec: TableSpec, path: Path, columns: Sequence[str] | None,
                   where: pc.Expression | None = None) -> pa.Table:
        self._check_file(spec, path)
        try:
            return pq.read_table(path, columns=list(columns) if columns else None, filters=where)
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(f"{path}: cannot read ({exc})") from None

    def _where(self, spec: TableSpec, only: Mapping[str, Collection[Any]] | None
               ) -> pc.Expression | None:
        """``only`` as a row filter pushed into the Parquet scan: ``column in values`` for
        each item. On appendable tables only key columns may be filtered (a filter on another
        column could keep an older row of a key whose latest row it rejects)."""
        if not only:
            return None
        unknown = [c for c in only if c not in spec.schema.names]
        if unknown:
            raise StoreError(f"table {spec.name!r} has no column(s) {unknown}")
        if spec.appendable and not set(only) <= set(spec.key):
            raise StoreError(
                f"table {spec.name!r}: only key columns {list(spec.key)} can be filtered, "
                f"got {sorted(only)}"
            )
        expr = None
        for col, values in only.items():
            term = pc.field(col).isin(pa.array(list(values), spec.schema.field(col).type))
            expr = term if expr is None else expr & term
        return expr

    def read(
        self,
        name: str,
        columns: Sequence[str] | None = None,
        *,
        only: Mapping[str, Collection[Any]] | None = None,
        dedupe: bool = True,
    ) -> pa.Table:
        """The table's rows (empty table with the schema when absent).

        Parts are merged in write order; with ``dedupe`` the last row per key wins.
        ``columns`` restricts the columns returned (the key columns are read anyway);
        ``only`` = ``{column: values}`` keeps the rows whose column is among the values, filtered
        while reading each part (key columns only on appendable tables), e.g.
        ``store.read("embeddings", only={"encoder": [enc], "image_id": ids})``.
        """
        spec = self.spec(name)
        want = None
        if columns is not None:
            want = list(dict.fromkeys([*spec.key, *columns])) if dedupe else list(columns)
        where = self._where(spec, only)
        tables = [self._read_file(spec, f, want, where) for f in self.files(name)]
        if not tables:
            empty = self.conform(name, [])
            return empty.select(list(columns)) if columns else empty
        table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        if dedupe and spec.appendable and len(tables) > 1:
            table = dedupe_last(table, spec.key)
        return table.select(list(columns)) if columns else table

    def scan(
        self,
        name: str,
        columns: Sequence[str] | None = None,
        *,
        only: Mapping[str, Collection[Any]] | None = None,
        batch_rows: int = 65_536,
    ) -> Iterator[pa.RecordBatch]:
        """Stream the table's rows as record batches of at most ``batch_rows``, part by part in
        write order, without merging: memory is one batch, whatever the table's size.

        Rows are as stored: a key written again in a later part appears once per part (use
        :meth:`read` where the last row per key matters; tables whose writers never rewrite a
        key, such as ``embeddings`` and ``predictions``, stream safely).
        """
        spec = self.spec(name)
        where = self._where(spec, only)
        for path in self.files(name):
            self._check_file(spec, path)
            try:
                dataset = ds.dataset(path, format="parquet")
                yield from dataset.to_batches(columns=list(columns) if columns else None,
                                              filter=where, batch_size=batch_rows)
            except (OSError, pa.ArrowException) as exc:
                raise StoreError(f"{path}: cannot read ({exc})") from None

    def manifest(self, name: str) -> list[tuple[str, int, int, int]]:
        """``[(file name, bytes, mtime_ns, rows), ...]`` of the table's files in write order,
        from the file system and the Parquet footers only (no row is read). Parts are
        immutable and single tables are replaced by an atomic rename, so the manifest changes
        whenever the content does (a cache key of large inputs; a compaction or an identical
        rewrite changes it too)."""
        out = []
        for path in self.files(name):
            try:
                rows = pq.ParquetFile(path).metadata.num_rows
            except (OSError, pa.ArrowException) as exc:
                raise StoreError(f"{path}: not a readable Parquet file ({exc})") from None
            st = path.stat()
            out.append((path.name, st.st_size, st.st_mtime_ns, rows))
        return out

    # -- small run state -----------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The run's small JSON state (``run.json``), empty when absent."""
        p = self.root / RUN_STATE
        if not p.exists():
            return {}
        try:
            return json.loads(p.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise StoreError(f"{p}: cannot read run state ({exc})") from None

    def update_state(self, **values: Any) -> dict[str, Any]:
        """Merge ``values`` into ``run.json`` atomically; returns the new state."""
        state = self.state() | values
        atomic_write_bytes(self.root / RUN_STATE, json.dumps(state, indent=2).encode())
        return state


def dedupe_last(table: pa.Table, key: Iterable[str]) -> pa.Table:
    """Keep the last row of each key, preserving the order of those rows."""
    key = list(key)
    if table.num_rows == 0:
        return table
    idx = pa.array(range(table.num_rows), type=pa.int64())
    grouped = table.select(key).append_column("__i", idx).group_by(key, use_threads=False)
    last = grouped.aggregate([("__i", "max")]).column("__i_max")
    return table.take(pc.take(last, pc.array_sort_indices(last)))


def _table_from_rows(spec: TableSpec, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    if spec.variable_width:
        rows = list(rows)
        fields = []
        for field in spec.schema:
            if field.name in spec.variable_width and rows and rows[0].get(field.name) is not None:
                width = len(rows[0][field.name])
                field = pa.field(field.name, pa.list_(field.type.value_type, width), field.nullable)
            fields.append(field)
        schema = pa.schema(fields)
    else:
        schema = spec.schema
    names = set(schema.names)
    extra = {k for row in rows for k in row} - names
    if extra:
        raise StoreError(f"table {spec.name!r} has no column(s) {sorted(extra)}")
    return pa.Table.from_pylist(list(rows), schema=schema)
