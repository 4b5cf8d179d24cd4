"""Shards of image ids for fanned-out stages (embed, relabel): one task per shard.

An image's shard is the top ``b`` bits of a hash of its id, with ``2**b`` the smallest power of
two that gives shards of at most ``shard_size`` images on average. So the assignment does not
depend on the order or the other images: adding images to a run changes only the shards they
fall into (every other shard keeps its ids, hence its cache key) until the run outgrows
``2**b * shard_size`` images; then each shard splits in two (its children hold exactly its
ids), and the stages' work stays incremental anyway (embed and relabel skip images already
done). Shards are about ``shard_size / 2`` to ``shard_size`` images on average (binomial
spread around that).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

_BITS = 32  # hash bits an image's shard is read from


def _point(image_id: str) -> int:
    """A uniform 32-bit integer of the id (ids need not be hashes themselves)."""
    return int.from_bytes(hashlib.blake2b(image_id.encode(), digest_size=4).digest(), "big")


def shard_bits(n: int, shard_size: int) -> int:
    """``b`` such that ``2**b`` is the smallest power of two >= ``n / shard_size`` (0 for one
    shard)."""
    if shard_size < 1:
        raise ValueError(f"shard_size must be >= 1, got {shard_size}")
    need = -(-n // shard_size)  # ceil
    return min(max(need - 1, 0).bit_length(), _BITS)


def shard_ids(image_ids: Iterable[str], *, shard_size: int) -> list[list[str]]:
    """``image_ids`` (deduplicated) cut into hash-assigned shards, each a sorted list; shards in
    hash order, empty ones left out. No ids: one empty shard, so that a stage still runs once
    (and reports its model)."""
    ids = sorted(set(image_ids))
    bits = shard_bits(len(ids), shard_size)
    out: dict[int, list[str]] = {}
    for iid in ids:
        out.setdefault(_point(iid) >> (_BITS - bits), []).append(iid)
    return [out[k] for k in sorted(out)] or [[]]
