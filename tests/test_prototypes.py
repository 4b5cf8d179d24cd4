"""Class vectors with the names' text embeddings as a prior (near_core.prototypes)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from near_core.knn import normalize
from near_core.near import class_means
from near_core.prototypes import posterior_class_means


def _world(*, classes: int = 40, per_class: int = 3, dim: int = 64, noise: float = 2.0,
           text_noise: float = 2.0, offset: float = 0.0, seed: int = 0):
    """Unit class centres; images = normalize(centre + noise); the names' text =
    normalize(centre + text noise) shifted by a common ``offset`` direction (a modality
    gap). Returns ``(centres (C, D), x (N, D), labels (N,), text (C, D))``."""
    rng = np.random.default_rng(seed)
    centres = normalize(rng.standard_normal((classes, dim)).astype(np.float32))
    labels = np.repeat(np.arange(classes), per_class)
    scale = noise / np.sqrt(dim)
    x = normalize(centres[labels] + scale * rng.standard_normal((len(labels), dim)))
    gap = offset * normalize(rng.standard_normal((1, dim)).astype(np.float32))
    text = centres + text_noise / np.sqrt(dim) * rng.standard_normal((classes, dim))
    return centres, x, labels, (normalize(text.astype(np.float32)) + gap).astype(np.float32)


def _onehot(labels: np.ndarray, classes: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones(len(labels), dtype=np.float32),
                              (np.arange(len(labels)), labels)), shape=(len(labels), classes))


def _accuracy(vectors: np.ndarray, centres: np.ndarray, *, seed: int, noise: float = 2.0,
              per_class: int = 20) -> float:
    """Nearest-vector accuracy on fresh images of the same classes."""
    rng = np.random.default_rng(seed + 1000)
    labels = np.repeat(np.arange(len(centres)), per_class)
    dim = centres.shape[1]
    x = normalize(centres[labels] + noise / np.sqrt(dim) * rng.standard_normal((len(labels), dim)))
    return float(np.mean(np.argmax(x @ vectors.T, axis=1) == labels))


def test_without_text_the_plain_class_means():
    _, x, labels, _ = _world()
    w = _onehot(labels, 40)
    np.testing.assert_allclose(posterior_class_means(x, w, None), class_means(x, w), atol=1e-6)


@pytest.mark.parametrize("seed", range(3))
def test_text_that_knows_the_names_helps_the_few_image_means(seed):
    """Three noisy images a class and a text look as noisy as one image: the posterior
    means classify fresh images better than the class means, also across a modality gap."""
    centres, x, labels, text = _world(seed=seed, offset=1.5)
    w = _onehot(labels, len(centres))
    plain = _accuracy(class_means(x, w), centres, seed=seed)
    prior = _accuracy(posterior_class_means(x, w, text), centres, seed=seed)
    assert prior >= plain + 0.05, (prior, plain)


@pytest.mark.parametrize("seed", range(3))
def test_text_that_does_not_know_the_names_changes_little(seed):
    """A random text tower: the fitted slope is about 0 and the means stay where they are."""
    centres, x, labels, _ = _world(seed=seed)
    rng = np.random.default_rng(seed + 7)
    text = normalize(rng.standard_normal(centres.shape).astype(np.float32))
    w = _onehot(labels, len(centres))
    plain, prior = class_means(x, w), posterior_class_means(x, w, text)
    assert float(np.mean(np.sum(plain * prior, axis=1))) > 0.97
    assert _accuracy(prior, centres, seed=seed) >= _accuracy(plain, centres, seed=seed) - 0.02


def test_soft_weights_of_many_small_entries_stay_finite():
    """Weights spread thin over many names (answers hedged among look-alikes): names of a
    fraction of an image's weight neither break the noise estimates nor take over."""
    centres, x, labels, text = _world(classes=30)
    rng = np.random.default_rng(3)
    dense = np.zeros((len(labels), 60), dtype=np.float32)
    dense[np.arange(len(labels)), labels] = 0.6
    dense[np.arange(len(labels)), rng.integers(0, 60, len(labels))] += 0.4
    text60 = np.concatenate([text, normalize(rng.standard_normal((30, text.shape[1])))])
    out = posterior_class_means(x, sparse.csr_matrix(dense), text60.astype(np.float32))
    assert np.isfinite(out).all()
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert _accuracy(out[:30], centres, seed=3) >= _accuracy(
        class_means(x, dense)[:30], centres, seed=3) - 0.02


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.1, 10.0), shift=st.floats(-2.0, 2.0),
       classes=st.integers(2, 12), per_class=st.integers(1, 4))
def test_invariants(seed, scale, shift, classes, per_class):
    """Rows of norm 1; the text's scale and a common shift of it (a modality gap) change
    nothing; permuting the names permutes the rows."""
    centres, x, labels, text = _world(classes=classes, per_class=per_class, dim=16, seed=seed)
    w = _onehot(labels, classes)
    out = posterior_class_means(x, w, text)
    assert out.shape == (classes, 16) and np.isfinite(out).all()
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    moved = posterior_class_means(x, w, scale * text + shift)
    np.testing.assert_allclose(moved, out, atol=1e-4)
    perm = np.random.default_rng(seed).permutation(classes)
    permuted = posterior_class_means(x, w[:, perm], text[perm])
    np.testing.assert_allclose(permuted, out[perm], atol=1e-5)


def test_names_without_images_get_their_text_and_empty_inputs_give_zero_rows():
    centres, x, labels, text = _world(classes=5)
    w = _onehot(labels, 6)  # a sixth name nobody holds
    text6 = np.concatenate([text, normalize(centres[:1] + 0.1)]).astype(np.float32)
    out = posterior_class_means(x, w, text6)
    assert np.linalg.norm(out[5]) == pytest.approx(1.0, abs=1e-5)
    none = posterior_class_means(x, sparse.csr_matrix((len(x), 3), dtype=np.float32), None)
    assert not none.any()
