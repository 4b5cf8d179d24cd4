"""Explicit pyarrow schemas of every run-store table, each with a schema version.

A table is either *appendable* (a directory of ``part-*.parquet`` files; readers merge the
parts and keep the last row per key) or *single* (one ``<name>.parquet`` file replaced
atomically). Bump ``version`` whenever a table's columns change meaning or type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class TableSpec:
    """Name, schema, key and layout of one run-store table."""

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    version: int = 1
    appendable: bool = True
    #: columns whose fixed_size_list length may vary per run (e.g. the embedding dimension)
    variable_width: tuple[str, ...] = ()

    def field_matches(self, field: pa.Field) -> bool:
        expected = self.schema.field(field.name)
        if field.name in self.variable_width:
            return pa.types.is_fixed_size_list(field.type) and (
                field.type.value_type == expected.type.value_type
            )
        return field.type == expected.type


def _spec(name: str, fields: list[pa.Field], key: tuple[str, ...], **kw) -> TableSpec:
    return TableSpec(name=name, schema=pa.schema(fields), key=key, **kw)


IMAGES = _spec(
    "images",
    [
        pa.field("image_id", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("paths", pa.list_(pa.string())),
        pa.field("status", pa.string(), nullable=False),  # "ok" | "rejected"
        pa.field("reason", pa.string()),
        pa.field("size_bytes", pa.int64()),
        pa.field("width", pa.int32()),
        pa.field("height", pa.int32()),
        pa.field("format", pa.string()),
        pa.field("mode", pa.string()),
    ],
    key=("image_id",),
)

ANSWERS = _spec(
    "answers",
    [
        pa.field("image_id", pa.string(), nullable=False),
        pa.field("model", pa.string(), nullable=False),
        pa.field("prompt_version", pa.string(), nullable=False),
        pa.field("params_hash", pa.string(), nullable=False),
        pa.field("sample_idx", pa.int32(), nullable=False),
        pa.field("status", pa.string(), nullable=False),  # "ok" | "failed"
        pa.field("raw_text", pa.string()),
        pa.field("label", pa.string()),
        pa.field("candidates", pa.list_(pa.string())),
        pa.field("error", pa.string()),
        pa.field("latency_s", pa.float64()),
        pa.field("attempts", pa.int32()),
        pa.field("prompt_tokens", pa.int64()),
        pa.field("completion_tokens", pa.int64()),
        pa.field("created_at", pa.timestamp("us", tz="UTC")),
    ],
    key=("image_id", "model", "prompt_version", "params_hash", "sample_idx"),
)

VOCABULARY = _spec(
    "vocabulary",
    [
        pa.field("label_id", pa.int32(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("aliases", pa.list_(pa.string())),
        pa.field("count", pa.int64()),
    ],
    key=("label_id",),
    appendable=False,
)

EMBEDDINGS = _spec(
    "embeddings",
    [
        pa.field("image_id", pa.string(), nullable=False),
        pa.field("encoder", pa.string(), nullable=False),
        pa.field("embedding", pa.list_(pa.float32(), 1)),
    ],
    key=("image_id", "encoder"),
    variable_width=("embedding",),
)

CANDIDATES = _spec(
    "candidates",
    [
        pa.field("image_id", pa.string(), nullable=False),
        pa.field("label_ids", pa.list_(pa.int32())),
        pa.field("weights", pa.list_(pa.float32())),
    ],
    key=("image_id",),
    appendable=False,
)

LABELS = _spec(
    "labels",
    [
        pa.field("image_id", pa.string(), nullable=False),
        pa.field("label_id", pa.int32()),
        pa.field("label", pa.string()),
        pa.field("confidence", pa.float32()),
        pa.field("clean_prob", pa.float32()),
    ],
    key=("image_id",),
    appendable=False,
)

PREDICTIONS = _spec(
    "predictions",
    [
        pa.field("image_id", pa.string(), nullable=False),
        pa.field("model_version", pa.string(), nullable=False),
        pa.field("label", pa.string()),
        pa.field("score", pa.float32()),
        pa.field("topk_labels", pa.list_(pa.string())),
        pa.field("topk_scores", pa.list_(pa.float32())),
        pa.field("low_confidence", pa.bool_()),
        pa.field("created_at", pa.timestamp("us", tz="UTC")),
    ],
    key=("image_id", "model_version"),
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (IMAGES, ANSWERS, VOCABULARY, EMBEDDINGS, CANDIDATES, LABELS, PREDICTIONS)
}


def register(spec: TableSpec) -> TableSpec:
    """Add a table spec (for stages that own extra tables); returns it."""
    TABLES[spec.name] = spec
    return spec
