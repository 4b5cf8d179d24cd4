"""The shipped ``near-tiny`` ``synthetic`` weights: the world, the training script, the geometry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from near_core import pretrain_synthetic as pre
from near_core.clip import SHIPPED, SYNTHETIC, TINY, load_clip, weights_hash
from near_core.testing import synthetic


def test_world_is_disjoint_from_the_species_and_captioned():
    birds = synthetic.world_birds()
    species = {(tuple(synthetic._BODY[s.group].astype(int)), tuple(synthetic._HEAD[s.member].astype(int)))
               for s in synthetic.SPECIES}
    pairs = {(synthetic.BODY_COLOURS[b.body], synthetic.HEAD_COLOURS[b.head]) for b in birds}
    assert pairs and not pairs & species
    # every SPECIES body and head colour still occurs, in other combinations
    assert {s[0] for s in species} <= {p[0] for p in pairs}
    assert {s[1] for s in species} <= {p[1] for p in pairs}
    captions = [b.caption() for b in birds]
    assert len(set(captions)) == len(birds)
    assert "a small bird with a navy body, a white head, striped wings and an orange beak" in captions
    img = synthetic.render_world(birds[0], np.random.default_rng(0))
    assert img.size == (64, 64) and img.mode == "RGB"


def test_pretraining_is_deterministic_and_learns():
    kw = dict(steps=8, n_images=48, batch=16, threads=1, log_every=0)
    a, used, losses = pre.pretrain(**kw)
    b, _, again = pre.pretrain(**kw)
    assert weights_hash(a) == weights_hash(b) and losses == again
    assert np.mean(losses[-3:]) < np.mean(losses[:3])
    assert 10 < len(used) < 60  # the captions' few token ids: the only rows stored


def test_main_writes_a_loadable_compact_file(tmp_path: Path, capsys):
    out = tmp_path / "w.safetensors"
    assert pre.main(["--out", str(out), "--steps", "2", "--images", "32", "--threads", "1"]) == 0
    assert out.stat().st_size < 1_000_000
    assert "kNN@10 purity" in capsys.readouterr().out
    assert load_clip(TINY, str(out), device="cpu").embed_dim == 64


@pytest.fixture(scope="module")
def species_images():
    clip = load_clip(TINY, "", device="cpu")
    return pre.species_batch(clip, n_classes=8, per_class=16, seed=3)


def test_shipped_weights_separate_unseen_species(species_images):
    """The demo's classes never occur in the world; the shipped encoder still groups them."""
    assert SHIPPED[(TINY, SYNTHETIC)].is_file()
    x, y = species_images
    ours = pre.knn_purity(load_clip(TINY, SYNTHETIC, device="cpu").model, x, y)
    base = pre.knn_purity(load_clip(TINY, "", device="cpu").model, x, y)
    assert ours > 0.8 and ours > base + 0.2, (ours, base)
