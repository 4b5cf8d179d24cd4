"""Shards of image ids (near_core.shards): a partition that does not depend on order, sizes
bounded by the configured size on average, stable when images are added."""

from __future__ import annotations

import hashlib

import pytest

from near_core.shards import shard_bits, shard_ids


def _ids(n: int, start: int = 0) -> list[str]:
    return [hashlib.sha256(str(i).encode()).hexdigest() for i in range(start, start + n)]


def test_shards_partition_the_ids_whatever_their_order():
    ids = _ids(1000)
    shards = shard_ids(ids, shard_size=100)
    assert len(shards) == 16 == 2 ** shard_bits(1000, 100)  # ceil(1000/100)=10 -> 16
    assert sorted(sum(shards, [])) == sorted(ids)
    assert all(s == sorted(s) for s in shards)
    assert max(map(len, shards)) < 2 * 100
    assert shard_ids(list(reversed(ids)) + ids[:5], shard_size=100) == shards
    assert shard_ids(ids, shard_size=1000) == [sorted(ids)]
    assert shard_ids([], shard_size=10) == [[]]  # a stage still runs once
    with pytest.raises(ValueError, match="shard_size"):
        shard_ids(ids, shard_size=0)


def test_added_ids_change_only_their_shards():
    ids, more = _ids(1000), _ids(20, start=1000)
    before = shard_ids(ids, shard_size=100)
    after = shard_ids(ids + more, shard_size=100)
    assert len(after) == len(before)
    changed = [a for a in after if a not in before]
    assert 0 < len(changed) <= len(more)
    assert set(sum(changed, [])) - set(ids) == set(more)
    # outgrowing the shard count splits every shard in two, along the old boundaries
    grown = shard_ids(_ids(1700), shard_size=100)
    assert len(grown) == 32
    old = {i: k for k, s in enumerate(shard_ids(_ids(1600), shard_size=100)) for i in s}
    for s in grown:
        assert len({old[i] for i in s if i in old}) <= 1
