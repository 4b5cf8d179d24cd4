"""Run store: round trips for every schema, atomic writes, schema versions."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from near_core.schemas import TABLES
from near_core.store import RunStore, SchemaVersionError, StoreError, dedupe_last

_SAMPLES = {
    pa.string(): "x",
    pa.int32(): 3,
    pa.int64(): 7,
    pa.float32(): 0.5,
    pa.float64(): 1.25,
    pa.bool_(): True,
    pa.list_(pa.string()): ["a", "b"],
    pa.list_(pa.int32()): [1, 2],
    pa.list_(pa.float32()): [0.25, 0.75],
    pa.timestamp("us", tz="UTC"): datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
}


def _row(spec, i: int) -> dict:
    row = {}
    for field in spec.schema:
        if field.name in spec.variable_width:
            row[field.name] = np.full(4, i, dtype=np.float32).tolist()
        elif field.type == pa.string():
            row[field.name] = f"{field.name}-{i}"
        elif field.type in (pa.int32(), pa.int64()):
            row[field.name] = i
        else:
            row[field.name] = _SAMPLES[field.type]
    return row


@pytest.mark.parametrize("name", sorted(TABLES))
def test_round_trip_every_schema(run_dir, name):
    store = RunStore(run_dir)
    spec = store.spec(name)
    rows = [_row(spec, i) for i in range(3)]
    if spec.appendable:
        store.append(name, rows[:2])
        store.append(name, rows[2:])
    else:
        store.write(name, rows)
    got = store.read(name)
    assert got.to_pylist() == rows
    meta = pq.read_schema(store.files(name)[0]).metadata
    assert meta[b"near.schema_version"] == str(spec.version).encode()


def test_last_row_per_key_wins(run_dir):
    store = RunStore(run_dir)
    base = _row(store.spec("images"), 1)
    store.append("images", [base | {"status": "rejected", "reason": "r"}])
    store.append("images", [base | {"status": "ok", "reason": None}, _row(store.spec("images"), 2)])
    got = store.read("images").to_pylist()
    assert [r["status"] for r in got] == ["ok", "status-2"]
    assert len(store.read("images", dedupe=False)) == 3
    store.compact("images")
    assert len(store.files("images")) == 1 and store.read("images").to_pylist() == got


def test_compact_keeps_parts_appended_meanwhile_and_their_precedence(run_dir, monkeypatch):
    store = RunStore(run_dir)
    spec = store.spec("images")
    store.append("images", [_row(spec, 1) | {"status": "old"}])
    store.append("images", [_row(spec, 2)])
    real_read = store._read_file
    appended = []

    def read_then_someone_appends(*args):
        if not appended:  # another writer appends while compact is reading
            appended.append(store.append("images", [_row(spec, 1) | {"status": "newest"}]))
        return real_read(*args)

    monkeypatch.setattr(store, "_read_file", read_then_someone_appends)
    store.compact("images")
    monkeypatch.undo()
    assert appended[0] in store.files("images") and len(store.files("images")) == 2
    got = {r["image_id"]: r["status"] for r in store.read("images").to_pylist()}
    assert got == {"image_id-1": "newest", "image_id-2": "status-2"}


def test_dedupe_last_keeps_order_of_survivors():
    t = pa.table({"k": ["a", "b", "a", "c"], "v": [1, 2, 3, 4]})
    assert dedupe_last(t, ["k"]).to_pydict() == {"k": ["b", "a", "c"], "v": [2, 3, 4]}


def test_crash_between_temp_write_and_rename_leaves_no_partial_table(run_dir, monkeypatch):
    store = RunStore(run_dir)
    rows = [_row(store.spec("vocabulary"), i) for i in range(2)]
    store.write("vocabulary", rows)

    def crash(*a, **k):
        raise OSError("simulated crash before rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated"):
        store.write("vocabulary", rows[:1])
    with pytest.raises(OSError, match="simulated"):
        store.append("images", [_row(store.spec("images"), 1)])
    monkeypatch.undo()
    assert store.read("vocabulary").to_pylist() == rows  # old content intact
    assert not store.exists("images")
    assert not [p for p in run_dir.rglob("*") if p.name.startswith(".tmp-")]


def test_leftover_temp_file_from_a_killed_process_is_ignored(run_dir):
    store = RunStore(run_dir)
    store.append("images", [_row(store.spec("images"), 1)])
    (store.path("images") / ".tmp-deadbeef.parquet").write_bytes(b"PAR1 half written")
    assert store.read("images").num_rows == 1


def test_schema_version_mismatch_is_a_clear_error(run_dir):
    store = RunStore(run_dir)
    store.write("vocabulary", [_row(store.spec("vocabulary"), 1)])
    path = store.files("vocabulary")[0]
    table = pq.read_table(path)
    meta = dict(table.schema.metadata) | {b"near.schema_version": b"999"}
    pq.write_table(table.replace_schema_metadata(meta), path)
    with pytest.raises(SchemaVersionError, match=r"vocabulary.parquet.*schema version 999"):
        store.read("vocabulary")


def test_foreign_parquet_file_is_a_clear_error(run_dir):
    store = RunStore(run_dir)
    store.path("images").mkdir()
    pq.write_table(pa.table({"x": [1]}), store.path("images") / "part-0.parquet")
    with pytest.raises(SchemaVersionError, match="part-0.parquet"):
        store.read("images")
    (store.path("images") / "part-1.parquet").write_bytes(b"garbage")
    with pytest.raises(StoreError, match="part-"):
        store.read("images")


def test_conform_errors_name_the_column(run_dir):
    store = RunStore(run_dir)
    with pytest.raises(StoreError, match="no column"):
        store.append("images", [{"image_id": "a", "path": "p", "status": "ok", "bogus": 1}])
    with pytest.raises(StoreError, match="'status'"):
        store.append("images", [{"image_id": "a", "path": "p"}])
    with pytest.raises(StoreError, match="not appendable"):
        store.append("vocabulary", [])
    with pytest.raises(StoreError, match="is appendable"):
        store.write("images", [])


def test_embeddings_keep_their_width(run_dir):
    store = RunStore(run_dir)
    emb = np.random.default_rng(0).normal(size=(5, 16)).astype(np.float32)
    arr = pa.FixedSizeListArray.from_arrays(pa.array(emb.ravel()), 16)
    store.append("embeddings", pa.table({"image_id": list("abcde"), "encoder": ["m"] * 5,
                                         "embedding": arr}))
    got = store.read("embeddings")
    assert got.schema.field("embedding").type == pa.list_(pa.float32(), 16)
    np.testing.assert_array_equal(np.stack(got["embedding"].to_numpy(zero_copy_only=False)), emb)


def test_run_state(run_dir):
    store = RunStore(run_dir)
    assert store.state() == {}
    store.update_state(clip_model="near-tiny")
    assert store.update_state(x=1) == {"clip_model": "near-tiny", "x": 1}
    with pytest.raises(StoreError):
        RunStore(run_dir / "absent", create=False)


def _embeddings(store: RunStore, ids: str, encoder: str, seed: int) -> np.ndarray:
    emb = np.random.default_rng(seed).normal(size=(len(ids), 8)).astype(np.float32)
    arr = pa.FixedSizeListArray.from_arrays(pa.array(emb.ravel()), 8)
    store.append("embeddings", pa.table({"image_id": list(ids), "encoder": [encoder] * len(ids),
                                         "embedding": arr}))
    return emb


def test_read_only_filters_key_columns_while_reading(run_dir):
    store = RunStore(run_dir)
    a = _embeddings(store, "abcd", "m1", 0)
    _embeddings(store, "abcd", "m2", 1)
    got = store.read("embeddings", only={"encoder": ["m1"], "image_id": ["d", "b", "zz"]})
    assert sorted(got["image_id"].to_pylist()) == ["b", "d"]
    emb = {r["image_id"]: r["embedding"] for r in got.to_pylist()}
    np.testing.assert_array_equal(emb["b"], a[1])
    assert store.read("embeddings", only={"encoder": []}).num_rows == 0
    with pytest.raises(StoreError, match="only key columns"):
        store.read("embeddings", only={"embedding": [[0.0] * 8]})
    with pytest.raises(StoreError, match="no column"):
        store.read("embeddings", only={"nope": ["x"]})


def test_scan_streams_bounded_batches_and_checks_versions(run_dir):
    store = RunStore(run_dir)
    _embeddings(store, "abcdefg", "m", 0)
    _embeddings(store, "hij", "m", 1)
    batches = list(store.scan("embeddings", ["image_id"], batch_rows=3))
    assert max(b.num_rows for b in batches) <= 3
    assert [i for b in batches for i in b["image_id"].to_pylist()] == list("abcdefghij")
    only = list(store.scan("embeddings", ["image_id"], only={"image_id": ["c", "i"]}))
    assert [i for b in only for i in b["image_id"].to_pylist()] == ["c", "i"]
    assert list(store.scan("predictions")) == []
    bad = store.path("embeddings") / "part-99999999999999999999-0-bad.parquet"
    pq.write_table(pa.table({"image_id": ["x"]}), bad)
    with pytest.raises(SchemaVersionError, match="schema version"):
        list(store.scan("embeddings"))


def test_manifest_reads_footers_only(run_dir):
    store = RunStore(run_dir)
    assert store.manifest("embeddings") == []
    _embeddings(store, "abc", "m", 0)
    _embeddings(store, "de", "m", 1)
    (first, _, _, rows1), (_, _, _, rows2) = store.manifest("embeddings")
    assert (rows1, rows2) == (3, 2) and first == store.files("embeddings")[0].name
