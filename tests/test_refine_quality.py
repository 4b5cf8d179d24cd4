"""Refinement under issue 9's protocol (bench/refine_quality.py): MiniLM name embeddings plus
noise as the images and the real dogs answers, scored side by side with the baselines on
images refine never saw, alone and beside the named ones."""

from __future__ import annotations

import pytest
from script_modules import load_script


@pytest.fixture(scope="module")
def dogs_weak_geometry():
    """Dogs at sigma 0.10, three images a class: one row of the benchmark's two tables."""
    return load_script("bench/refine_quality.py").run("dogs", 0.10, 0, {})


def test_refined_class_vectors_close_half_the_prototype_gap_under_a_weak_geometry(
        dogs_weak_geometry):
    """The class vectors of the refined labels, drawn toward the names' text, close at least
    half of the gap between the raw-label and the true-label prototypes on unseen images
    (the plain class means of the refined labels closed 40%)."""
    row = dogs_weak_geometry
    assert row["near"] >= row["knn3"]
    assert row["closed"] >= 0.5, row


def test_unnamed_images_are_labelled_well_above_the_raw_label_prototypes(dogs_weak_geometry):
    """The unseen images given to refine unnamed, ten a class beside the three named: the
    named keep about their labels, and the unnamed get labels that close at least half of
    the raw -> true prototype gap on the same images."""
    row = dogs_weak_geometry
    assert row["p_named"] >= row["near"] - 0.03, row
    assert row["p_closed"] >= 0.5, row


@pytest.mark.parametrize(("dataset", "sigma"), [("cars", 0.08), ("pets", 0.10)])
def test_named_images_keep_their_refinement_beside_unnamed_ones(dataset, sigma):
    """Drifting compound names (cars: 121 names for 46 classes) and a small set (pets: 111
    images, too few for one held-out share to choose the strength): scored with its own
    share in its names' class vectors, an image's own answer won and fragments of a class
    stayed apart, the more so beside unnamed images (cars at sigma 0.08: 0.717 alone,
    0.493 beside ten unnamed a class; the unnamed labelled 0.570 against raw-label
    prototypes at 0.550). Left out, the fragments join their class's main name."""
    row = load_script("bench/refine_quality.py").run(dataset, sigma, 0, {})
    assert row["near"] >= row["knn3"] + 0.05, row
    assert row["p_named"] >= row["near"] - 0.03, row
    assert row["p_closed"] >= 0.5, row
    assert row["closed"] >= 0.4, row
