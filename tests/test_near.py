"""NeaR head mode and the refine_labels API; baselines."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from refine_data import compound_names, large_pool, many_siblings, sibling_classes
from scipy import sparse

from near_core.baselines import ce_on_raw, majority_vote, prototype_labels, raw_top_label
from near_core.candidates import neighbour_agreement, text_agreement
from near_core.config import RefineConfig
from near_core.knn import knn, normalize
from near_core.metrics import cacc
from near_core.near import (
    RefineError,
    RefineOptions,
    Setting,
    nearest_class,
    refine_labels,
    self_match_shares,
    with_own_answers,
)
from near_core.testing import worlds


def _accuracy(pred, truth) -> float:
    return float(np.mean([p == t for p, t in zip(pred, truth, strict=True)]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recovers_30_percent_sibling_flips(seed):
    answers, x, truth = sibling_classes(seed=seed)
    assert _accuracy([a[0] for a in answers], truth) == pytest.approx(0.7)
    res = refine_labels(answers, x)
    assert _accuracy(res.labels, truth) >= 0.95
    assert sorted(res.final_vocabulary) == ["Common Loon", "Horned Puffin", "Tufted Puffin"]
    assert res.confidence.shape == (len(truth),) and (res.confidence > 0).all()
    assert res.class_vectors.shape == (len(res.vocabulary), x.shape[1])
    # the baselines it has to beat on the same data
    assert _accuracy(raw_top_label(answers), truth) == pytest.approx(0.7)
    assert _accuracy(majority_vote(answers, x), truth) < _accuracy(res.labels, truth)


def test_mostly_singleton_names_yield_to_neighbours():
    """Every image of a class carries its own wording; the refined labels agree per class."""
    rng = np.random.default_rng(0)
    centres = normalize(rng.standard_normal((4, 32)).astype(np.float32))
    answers, rows, truth = [], [], []
    for c in range(4):
        for j in range(8):
            answers.append([f"class {c} variant {j % 3 if j else 9}"])
            rows.append(centres[c] + 0.03 * rng.standard_normal(32))
            truth.append(c)
    res = refine_labels(answers, np.asarray(rows, np.float32))
    per_class = [{res.labels[i] for i in range(len(truth)) if truth[i] == c} for c in range(4)]
    # names never cross classes, and 16 names shrink to (nearly) one per class: with 2
    # images per name and no lexical relation between the wordings the support cap's floor
    # (3) leaves one class with two of its wordings (BENCHMARKS.md "Refine", support_cap_min)
    assert all(all(n.startswith(f"class {c} ") for n in names) for c, names in enumerate(per_class))
    assert sum(len(names) == 1 for names in per_class) >= 3
    assert len(res.final_label_ids) <= 5
    assert len(refine_labels(answers, np.asarray(rows, np.float32), support_cap_min=4)
               .final_label_ids) == 4


def _clusters(n_clusters: int, per: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = normalize(rng.standard_normal((n_clusters, 8)).astype(np.float32))
    return normalize(np.repeat(centres, per, 0) + 0.05 * rng.standard_normal((n_clusters * per, 8)))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 5), noise=st.floats(0, 0.3))
def test_unanimous_image_and_neighbours_keep_the_label(seed, k, noise):
    rng = np.random.default_rng(seed)
    x = _clusters(3, 8, seed)
    names = ["Tufted Puffin", "Horned Puffin", "Common Loon"]
    answers = [[names[i // 8]] if rng.random() > noise else [names[(i // 8 + 1) % 3]]
               for i in range(24)]
    res = refine_labels(answers, x, k=k)
    nb = knn(normalize(x - x.mean(0)), k).indices  # refine's neighbours: centred space
    for i in range(24):
        if all(answers[j] == answers[i] for j in nb[i]):
            assert res.labels[i] == answers[i][0]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_permuting_images_permutes_outputs(seed):
    rng = np.random.default_rng(seed)
    x = _clusters(3, 6, seed)
    pool = ["A", "B", "C", "D"]
    # mostly the cluster's name, some noise, 0-2 samples per image (no exact ties in the
    # evidence, so floating-point summation order cannot decide a label)
    answers = [[pool[i // 6] if rng.random() < 0.75 else str(rng.choice(pool))
                for _ in range(rng.integers(0, 3))] for i in range(18)]
    perm = rng.permutation(18)
    a = refine_labels(answers, x)
    b = refine_labels([answers[i] for i in perm], x[perm])
    assert [a.labels[i] for i in perm] == b.labels
    assert a.vocabulary.names == b.vocabulary.names
    # The summation order of the smoothing and class means depends on a row's place (the
    # head's inputs differ by ~1e-7), and a sample whose P(clean) sits at the GMM threshold
    # can then switch between clean and noisy targets, which moves the confidences of its
    # class (1% of the drawn problems; up to 0.11 in 600 seeds, labels always equal).
    assert np.abs(a.confidence[perm] - b.confidence).max() <= 0.25


def test_text_encoder_and_degenerate_inputs():
    x = _clusters(2, 5, 0)
    answers = [["Alpha"]] * 5 + [["Beta"]] * 4 + [[]]
    table = {"Alpha": x[0], "Beta": x[5]}
    res = refine_labels(answers, x, text_encoder=lambda names: np.stack([table[n] for n in names]))
    assert res.labels[:5] == ["Alpha"] * 5 and res.labels[5:] == ["Beta"] * 5
    with pytest.raises(RefineError, match="text_encoder returned shape"):
        refine_labels(answers, x, text_encoder=lambda names: np.ones((len(names), 3)))
    with pytest.raises(RefineError, match="unknown refine option"):
        refine_labels(answers, x, kk=3)
    with pytest.raises(RefineError, match="len\\(answers\\)"):
        refine_labels(answers[:3], x)
    one = refine_labels([["Alpha"]], x[:1])  # n = 1: no neighbours
    assert one.labels == ["Alpha"]
    none = refine_labels([[], []], x[:2])
    assert none.labels == [None, None] and len(none.final_label_ids) == 0


def test_baselines_hand_computed():
    x = _clusters(2, 4, 1)
    answers = [["A"], ["A"], ["B"], ["A"], ["B"], ["B"], ["C"], []]
    assert raw_top_label(answers) == ["A", "A", "B", "A", "B", "B", "C", None]
    assert majority_vote(answers, x, k=3)[:4] == ["A"] * 4
    assert majority_vote(answers, x, k=3)[4:7] == ["B"] * 3
    ce = ce_on_raw(answers, x, epochs=5)
    assert len(ce) == 8 and ce[-1] is None and ce[0] == "A"


def _noisy_labels_random_geometry(seed: int, *, per_class: int = 60, noise: float = 0.2):
    """3 classes, ``noise`` of the labels replaced by another class's name, embeddings pure
    noise (no class information)."""
    rng = np.random.default_rng(seed)
    names = ["Tufted Puffin", "Horned Puffin", "Common Loon"]
    truth = [names[c] for c in range(3) for _ in range(per_class)]
    answers = [[t if rng.random() >= noise else names[(names.index(t) + rng.integers(1, 3)) % 3]]
               for t in truth]
    x = normalize(rng.standard_normal((len(truth), 16)).astype(np.float32))
    return answers, x, truth


@pytest.mark.parametrize("seed", range(6))
def test_uninformative_embeddings_do_not_lower_label_accuracy(seed):
    answers, x, truth = _noisy_labels_random_geometry(seed)
    raw = _accuracy([a[0] for a in answers], truth)
    res = refine_labels(answers, x)
    assert res.trust < 0.25
    assert _accuracy(res.labels, truth) >= raw - 0.02
    # the same data with every neighbour counted as fully reliable does lose accuracy
    assert _accuracy(refine_labels(answers, x, agreement_full=0).labels, truth) < raw - 0.02


def _withhold(answers: list[list[str]], share: float, seed: int):
    """``answers`` with a seeded ``share`` of the images' answers moved to a withheld list."""
    held = set(np.random.default_rng(seed).permutation(len(answers))[: int(share * len(answers))])
    return ([[] if i in held else a for i, a in enumerate(answers)],
            [a if i in held else [] for i, a in enumerate(answers)], sorted(held))


@pytest.mark.parametrize("seed", range(3))
def test_withheld_answers_label_their_images_where_the_geometry_says_nothing(seed):
    answers, x, truth = _noisy_labels_random_geometry(seed)
    seen, withheld, held = _withhold(answers, 0.2, seed)
    res = refine_labels(seen, x, withheld_answers=withheld)
    assert res.strength == 0.0
    assert [res.labels[i] for i in held] == [answers[i][0] for i in held]
    # withheld answers shape nothing else: the same labels everywhere but on their images
    alone = refine_labels(seen, x)
    assert res.vocabulary.names == alone.vocabulary.names
    np.testing.assert_array_equal(res.class_vectors, alone.class_vectors)
    others = [i for i in range(len(x)) if i not in set(held)]
    assert [res.labels[i] for i in others] == [alone.labels[i] for i in others]
    # without them those images fall to the classifier of a geometry at chance
    assert _accuracy([alone.labels[i] for i in held], [truth[i] for i in held]) < 0.7


@pytest.mark.parametrize("seed", range(3))
def test_a_trusted_geometry_corrects_withheld_answers_as_it_does_named_ones(seed):
    answers, x, truth = sibling_classes(seed=seed)
    seen, withheld, held = _withhold(answers, 0.2, seed)
    res = refine_labels(seen, x, withheld_answers=withheld)
    assert res.strength == 1.0
    wrong = [i for i in held if answers[i][0] != truth[i]]
    assert wrong and [res.labels[i] for i in wrong] == [truth[i] for i in wrong]
    assert _accuracy([res.labels[i] for i in held], [truth[i] for i in held]) >= 0.95


def test_withheld_answers_join_the_vote_where_classes_are_clumped():
    # the two-looks world with a validation slice withheld: a withheld image is labelled as a
    # named one is there (the vote of its own and its neighbours' answers), and its answer
    # shapes no other label
    truth, x = worlds.cluster_world(1000, seed=0, two_looks=True, dim=32)
    given = worlds.sample_answers(truth, named=0.3, seed=0)
    answers = [[given[i]] if i in given else [] for i in range(len(truth))]
    seen, withheld, held = _withhold(answers, 0.2, 0)
    held = [i for i in held if withheld[i]]
    res = refine_labels(seen, x, withheld_answers=withheld)
    alone = refine_labels(seen, x)
    assert res.voted and res.vote_rest
    others = [i for i in range(len(truth)) if i not in set(held)]
    assert [res.labels[i] for i in others] == [alone.labels[i] for i in others]
    np.testing.assert_array_equal(res.class_vectors, alone.class_vectors)
    raw = cacc([withheld[i][0] for i in held], [truth[i] for i in held])
    assert cacc([res.labels[i] for i in held], [truth[i] for i in held]) > raw + 0.05


def test_own_answers_outweigh_the_classifier_by_their_share():
    x = normalize(np.array([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0]], np.float32))
    vectors = np.eye(2, dtype=np.float32)
    own = sparse.csr_matrix(np.array([[0.0, 1.0], [0.0, 0.0], [0.0, 1.0]], np.float32))
    pick, prob = with_own_answers(x, own, vectors, scale=20.0, own_weight=1.0)
    assert pick.tolist() == [1, 0, 1]  # a row without answers keeps the classifier's class
    assert prob[0] == pytest.approx(1.0) and prob[1] == pytest.approx(nearest_class(
        x[1:2], vectors, scale=20.0)[1][0])
    assert with_own_answers(x, own, vectors, scale=20.0, own_weight=0.0)[0].tolist() == [0, 0, 1]
    assert with_own_answers(x, own, vectors, scale=20.0, own_weight=0.6)[0].tolist() == [1, 0, 1]


def test_withheld_answers_are_checked():
    answers, x, _ = sibling_classes(seed=0)
    with pytest.raises(RefineError, match="withheld_answers has 3 rows"):
        refine_labels(answers, x, withheld_answers=[["A"]] * 3)
    with pytest.raises(RefineError, match="image 0 has both answers and withheld answers"):
        refine_labels(answers, x, withheld_answers=[["Common Loon"]] + [[]] * (len(x) - 1))
    unknown = [["Snowy Owl"]] + [[]] * (len(x) - 1)  # a name refine never saw: the geometry's
    res = refine_labels([[]] + answers[1:], x, withheld_answers=unknown)
    assert res.labels[0] in res.final_vocabulary


def test_informative_neighbours_get_full_trust():
    answers, x, _ = sibling_classes(seed=0)
    res = refine_labels(answers, x)
    assert res.agreement >= 0.2 and res.trust == 1.0
    assert res.labels == refine_labels(answers, x, agreement_full=0).labels


def test_neighbour_agreement_hand_computed():
    q = sparse.csr_matrix(np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 0]], np.float64))
    # chance agreement E = 0.5**2 + 0.5**2 = 0.5; the unanswered image 4 takes no part
    same = np.array([[1], [0], [3], [2], [0]])
    kappa, error = neighbour_agreement(q, same)
    assert kappa == pytest.approx(1.0) and error == pytest.approx(np.sqrt(0.25 / 4) / 0.5)
    assert neighbour_agreement(q, np.array([[2], [3], [0], [1], [0]]))[0] == pytest.approx(-1.0)
    half = np.array([[1, 2], [0, 3], [3, 0], [2, 1], [0, 1]])  # O = 0.5: chance level
    assert neighbour_agreement(q, half)[0] == pytest.approx(0.0)
    assert neighbour_agreement(sparse.csr_matrix((5, 2)), same) == (0.0, 1.0)


@pytest.mark.parametrize("cone", [0.0, 3.0])
@pytest.mark.parametrize("seed", range(4))
def test_large_pool_few_named_keeps_every_class(seed, cone):
    """Issue 10: 4000 images of 8 sibling-pair classes, 100 answered (80% right, else the
    sibling), also in a narrow cone (a shared component three times the class structure, as
    in CLIP towers: refinement works on centred embeddings). Every class the MLLM names for
    most of its answered images survives, and the pool is labelled at least as well as by
    the raw-label prototype classifier whenever every class is so named."""
    answers, x, truth = large_pool(seed=seed, cone=cone)
    res = refine_labels(answers, x)
    xc = normalize(x - x.mean(0))
    names, protos = prototype_labels(raw_top_label(answers), xc)
    raw_protos = [names[j] for j in np.argmax(xc @ protos.T, axis=1)]
    named = [i for i, a in enumerate(answers) if a]
    votes = Counter((truth[i], answers[i][0]) for i in named)
    majority = {c for c in set(truth)
                if 2 * votes[(c, c)] > sum(n for (t, _), n in votes.items() if t == c)}
    assert majority <= set(res.final_vocabulary)
    if majority == set(truth):
        assert sorted(res.final_vocabulary) == sorted(set(truth))
        assert cacc(res.labels, truth) >= max(0.95, cacc(raw_protos, truth) - 0.01)
    assert res.answered.sum() == 100 and all(lab is not None for lab in res.labels)
    unanswered = ~res.answered
    assert res.candidates[unanswered].nnz == 0 and (res.confidence[unanswered] > 0).all()
    # the support cap follows the answered images, not the pool
    assert res.trust == 1.0


def test_centring_keeps_siblings_apart_in_a_narrow_cone():
    """Without centring, the shared component flattens the cosine differences between
    sibling classes and refinement merges them (the regime defect of BENCHMARKS.md
    "Regimes"); with it (the default) every class survives on the same data."""
    kept = {True: [], False: []}
    for seed in (0, 1, 3):
        answers, x, truth = large_pool(seed=seed, cone=3.0)
        for centre in kept:
            kept[centre].append(len(refine_labels(answers, x, centre=centre).final_label_ids))
    assert kept[True] == [8, 8, 8]
    assert min(kept[False]) < 8


@pytest.mark.parametrize("seed", range(3))
def test_fragmented_compound_names_are_refined(seed):
    """Make / model / body / year names drifting per image: exact-name agreement is near 0,
    the variant-aware agreement is not, and refinement beats the kNN-3 vote by far while the
    two model years that the geometry keeps apart stay two classes."""
    answers, x, truth = compound_names(seed=seed)
    raw = raw_top_label(answers)
    assert len(set(raw)) >= 3 * len(set(truth))  # fragmented
    res = refine_labels(answers, x)
    assert res.trust == 1.0
    assert cacc(res.labels, truth) >= cacc(majority_vote(answers, x), truth) + 0.2
    assert cacc(res.labels, truth) >= 0.9
    audi = {res.labels[i] for i, t in enumerate(truth) if t.startswith("Audi S4")}
    assert len(audi) == 2


def test_options_are_derived_from_the_config_section():
    cfg = RefineConfig()
    names = [f.name for f in fields(RefineOptions)]
    assert names == [n for n in RefineConfig.model_fields if n not in RefineConfig.STAGE_FIELDS]
    for name in names:
        value = getattr(cfg, name)
        assert (tuple(value) if isinstance(value, list) else value) == getattr(RefineOptions(), name)
    assert "variant_weight" in (RefineOptions.__doc__ or "")
    with pytest.raises(RefineError, match="k"):
        RefineOptions.from_kwargs(k=0)
    assert RefineOptions.from_kwargs(strip_words=["bird"]).strip_words == ("bird",)


def test_text_tower_is_trusted_by_its_zero_shot_agreement_with_the_answers():
    """A text tower that does not know the names (random vectors, as from untrained weights)
    gets trust 0 and changes nothing; one that names the images as the MLLM does is used."""
    answers, x, truth = large_pool(seed=0, cone=3.0)
    centres = {name: x[[i for i, t in enumerate(truth) if t == name]].mean(0)
               for name in set(truth)}

    def knows(names):
        return np.stack([centres.get(n, np.zeros(x.shape[1], np.float32)) for n in names])

    def random_tower(names):
        return np.random.default_rng(7).standard_normal((len(names), x.shape[1]))

    plain = refine_labels(answers, x)
    blind = refine_labels(answers, x, text_encoder=random_tower)
    informed = refine_labels(answers, x, text_encoder=knows)
    assert plain.text_trust == 0.0 and blind.text_trust == 0.0
    assert blind.labels == plain.labels
    assert informed.text_trust == 1.0
    assert cacc(informed.labels, truth) >= cacc(plain.labels, truth)


def test_text_agreement_is_about_zero_for_random_naming_and_one_for_the_answers():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 6, size=600)
    q = sparse.csr_matrix((np.ones(600), (np.arange(600), labels)), shape=(600, 6))
    kappa, error = text_agreement(q, rng.integers(0, 6, size=600))
    assert abs(kappa) < 3 * error
    assert text_agreement(q, labels)[0] == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [0, 1])
def test_many_sibling_classes_of_few_images_keep_the_answers(seed):
    # 400 classes in sibling groups of 4, 5 answered images each, a weak class signal: the
    # neighbours share a name 2-3% of the time (kappa ~0.03, trust ~0.1). The linear trust
    # ramp gave the logit scale and support prior 20% strength, and the rounds moved right
    # answers to other groups' names (refined 0.76 < raw 0.81; bench/many_classes.py: 0.53
    # < 0.80 on generated images under the random tower).
    answers, x, truth = many_siblings(signal=0.5, seed=seed)
    result = refine_labels(answers, x)
    raw = np.mean([a[0] == t for a, t in zip(answers, truth, strict=True)])
    refined = np.mean([r == t for r, t in zip(result.labels, truth, strict=True)])
    assert 0.0 < result.agreement < 0.1
    assert refined >= raw


def test_siblings_the_geometry_cannot_tell_apart_keep_the_answers():
    # signal 1.0: the neighbours find each image's group of 4 (kappa ~0.2, which alone gave
    # trust 0.95) but not its class within the group; the classifier reshuffled the labels
    # inside each group (refined 0.48 < raw 0.81). Each name tested against its most
    # frequent neighbour name is no better than exchangeable with it: the answers stay.
    answers, x, truth = many_siblings(signal=1.0)
    result = refine_labels(answers, x)
    raw = np.mean([a[0] == t for a, t in zip(answers, truth, strict=True)])
    refined = np.mean([r == t for r, t in zip(result.labels, truth, strict=True)])
    assert result.agreement > 0.1
    assert refined >= raw
    assert result.separation < 0.0


@pytest.mark.parametrize("seed", [3, 6, 11])
def test_separated_siblings_answered_sixty_percent_right_are_refined(seed):
    # the regimes table's sibling row: 8 classes in 4 sibling pairs the geometry separates,
    # half of 400 images named, 40% of the answers the sibling. Tested by one neighbour's
    # name, as noisy as the image's own, the pairs read a separation of about
    # (1 - 2 * 0.4) ** 2: trust 0.16 - 0.26 and the answers kept (cACC 0.56 - 0.57 on these
    # seeds, 8 of 20 below 0.7), while prototypes of the raw answers label unseen images
    # at 0.99
    truth, x = worlds.cluster_world(400, seed=seed)
    answers = worlds.sample_answers(truth, named=0.5, seed=seed, p_correct=0.6)
    result = refine_labels([[answers[i]] if i in answers else [] for i in range(400)], x)
    named_truth = [truth[i] for i in answers]
    assert cacc(list(answers.values()), named_truth) < 0.7
    assert cacc([result.labels[i] for i in answers], named_truth) > 0.95
    assert result.separation > 0.1


@pytest.mark.parametrize(("signal", "seed"), [(0.5, 0), (0.5, 1), (0.6, 0), (0.6, 1), (0.7, 0)])
def test_separated_siblings_under_a_weak_geometry_do_not_lose_to_the_baselines(signal, seed):
    # class offsets as large as the group's (siblings separable by the geometry) but a weak
    # signal: the agreement statistics gave 0.7-1.0 strength, and the full-strength rounds
    # moved right answers (refined 0.61 < raw 0.81 at signal 0.5, 0.68 < 0.80 at 0.6, 0.80
    # < 0.81 at 0.7). Held-out answers pick 0 or 0.1 times it; at 0.7 the per-name smoothing
    # weight (smooth_self_power) makes full strength safe, and the check may keep it.
    answers, x, truth = many_siblings(signal=signal, seed=seed, offset=1.0)
    result = refine_labels(answers, x)
    refined = cacc(result.labels, truth)
    assert refined >= cacc([a[0] for a in answers], truth)
    assert refined >= cacc(majority_vote(answers, x, k=3), truth)
    if signal < 0.7:
        assert result.factor < 1.0
        assert result.held_out[result.setting] > result.held_out[Setting(1.0, False)]


def test_held_out_draw_follows_the_images_not_their_order():
    answers, x, _ = many_siblings(signal=0.7, offset=1.0)
    perm = np.random.default_rng(5).permutation(len(answers))
    a = refine_labels(answers, x)
    b = refine_labels([answers[i] for i in perm], x[perm])
    assert a.held_out == pytest.approx(b.held_out, abs=1e-6) and a.factor == b.factor
    assert [a.labels[i] for i in perm] == b.labels


@pytest.mark.parametrize("signal", [1.0, 2.0])
def test_separated_siblings_under_a_clear_geometry_keep_full_strength(signal):
    # where the geometry separates the classes, refined labels beat the kNN-3 vote by far;
    # the held-out check keeps the full strength (refined 0.99-1.00, kNN-3 0.94-0.96)
    answers, x, truth = many_siblings(signal=signal, offset=1.0)
    result = refine_labels(answers, x)
    assert result.factor == 1.0 and result.strength == 1.0
    assert cacc(result.labels, truth) >= cacc(majority_vote(answers, x, k=3), truth) + 0.03


def test_classes_too_small_to_thin_keep_full_strength_unless_clearly_beaten():
    # 3 images per class: a fifth held out leaves names of one or two images, which the kept
    # images' refinement merges into siblings; scored on them the check chose 0.1 x the
    # strength here (0.867, kNN-3 0.866), while the whole set refines to 0.96 at full
    # strength. For such classes full strength yields only to a clearly better factor.
    answers, x, truth = many_siblings(signal=2.0, per_class=3, offset=1.0, seed=1)
    result = refine_labels(answers, x)
    assert result.factor == 1.0
    assert cacc(result.labels, truth) >= cacc(majority_vote(answers, x, k=3), truth) + 0.05


@pytest.mark.parametrize(("per_class", "signal"), [(3, 0.7), (4, 0.5)])
def test_small_separated_siblings_under_a_weak_geometry_do_not_lose_to_the_baselines(
    per_class, signal
):
    # 3-4 answered images per class (the real answer files have 3): the held-out check was
    # skipped for them, and full strength lost to the raw answers (3 per class at signal
    # 0.7: 0.766 < 0.823; 4 at 0.5: 0.644 < 0.809). The check now runs; full strength is
    # beaten by more than agreement_z standard errors there. (3 a class at 0.7: the
    # answers are kept, 0.8225 against kNN-3 0.8233, one image of 1,200 behind.)
    answers, x, truth = many_siblings(signal=signal, per_class=per_class, offset=1.0)
    result = refine_labels(answers, x)
    refined = cacc(result.labels, truth)
    assert refined >= cacc([a[0] for a in answers], truth)
    assert refined >= cacc(majority_vote(answers, x, k=3), truth) - 1.0 / len(truth)
    assert result.factor < 1.0


@pytest.mark.parametrize(("per_class", "seed"), [(5, 1), (5, 2), (5, 4), (10, 0), (10, 5)])
def test_separated_siblings_of_5_to_10_images_beat_the_knn_vote_at_signal_07(per_class, seed):
    # at signal 0.7 only 58-64% of an image's 2 nearest images are of its class: full
    # smoothing of every image mixed siblings into the scored images, and refinement lost to
    # the kNN-3 vote (5 a class seeds 1 / 2 / 4: 0.815 / 0.801 / 0.806 against 0.834 / 0.824
    # / 0.837; 10 a class seeds 0 / 5: 0.848 / 0.854 against 0.870 / 0.862). A name's images
    # whose other images outweigh their self-match are smoothed less (self_match_shares,
    # smooth_self_power 4).
    answers, x, truth = many_siblings(signal=0.7, per_class=per_class, offset=1.0, seed=seed)
    result = refine_labels(answers, x)
    refined = cacc(result.labels, truth)
    assert refined > cacc(majority_vote(answers, x, k=3), truth)
    assert refined > cacc([a[0] for a in answers], truth)


def test_self_match_shares_hand_computed():
    e = np.eye(4, dtype=np.float32)
    # name 0: three identical images (self 3, others 6: r = 0.5); name 1: two orthogonal
    # images (others 0: 1); name 2: one image (1); image 6 split between names 0 and 2
    x = np.stack([e[0], e[0], e[0], e[1], e[2], e[3], e[0]])
    q = sparse.csr_matrix(np.array(
        [[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0.5, 0, 0.5]],
        dtype=np.float32))
    # name 0: self 3 + 0.25, others (3.5)^2 - 3.25 = 9.0 -> r = 3.25 / 9
    r0 = (3.25 / 9.0) ** 2
    # name 2: self 1.25, others 2 * 0.5 * (e3 . e0) = 0 -> 1
    want = [r0, r0, r0, 1.0, 1.0, 1.0, 0.5 * r0 + 0.5]
    assert self_match_shares(q, x, power=2.0) == pytest.approx(want, rel=1e-5)
    assert self_match_shares(q, x, power=0.0) == pytest.approx(np.ones(7))


def test_holdout_zero_uses_the_statistics_strength_alone():
    answers, x, _ = many_siblings(signal=0.5, offset=1.0)
    result = refine_labels(answers, x, holdout=0.0)
    assert result.factor == 1.0 and result.held_out == {}
    assert 0.5 < result.strength < 1.0


def test_nearest_class_at_scale_zero_still_picks_the_nearest():
    # a pool labelled at strength 0 (the answers kept) gives its unanswered images the
    # nearest class, not the first one (softmax at scale 0 is flat)
    x = np.eye(3, dtype=np.float32)
    pick, prob = nearest_class(x[[2, 1]], x, scale=0.0)
    assert pick.tolist() == [2, 1]
    np.testing.assert_allclose(prob, 1 / 3, rtol=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_classes_in_two_looks_take_the_vote_of_the_answers(seed):
    # each class two clusters on opposite sides of its mean (male and female plumage): the
    # class means average the looks away and refinement moved right answers to a sibling
    # (named images 0.61 - 0.82 against the answers' 0.80 and a kNN-3 vote's 0.87 - 0.915)
    truth, x = worlds.cluster_world(1000, seed=seed, two_looks=True, dim=32)
    given = worlds.sample_answers(truth, named=0.2, seed=seed)
    answers = [[given[i]] if i in given else [] for i in range(len(truth))]
    result = refine_labels(answers, x)
    assert result.clumps is not None and result.clumps.clumped and result.voted
    named = sorted(given)
    rest = [i for i in range(len(truth)) if i not in given]
    refined = cacc([result.labels[i] for i in named], [truth[i] for i in named])
    assert refined >= cacc(majority_vote([answers[i] for i in named], x[named], k=3),
                           [truth[i] for i in named])
    assert refined > cacc([given[i] for i in named], [truth[i] for i in named]) + 0.05
    # the rest by the vote where the voted classes are clumped too (seeds 0 - 2: 0.92 - 1.0),
    # else by their class means (seed 3: 0.74, where refine's labelled 0.58)
    assert cacc([result.labels[i] for i in rest], [truth[i] for i in rest]) > (
        0.9 if result.vote_rest else 0.7)


def test_a_vote_right_on_fewer_than_half_the_answers_does_not_overrule_them():
    # siblings of 60%-right answers, weak geometry: a vote of the answers predicts them
    # clearly better than refine's class means (0.49 against 0.34 left out), but on fewer
    # than half; an image's own answer is then the better guess, and the labels stay
    # refine's (the rest 0.88 by their means; the vote's own vote labelled the rest 0.59)
    truth, x = worlds.cluster_world(400, seed=2, dim=32)
    given = worlds.sample_answers(truth, named=0.4, seed=2, p_correct=0.6)
    result = refine_labels([[given[i]] if i in given else [] for i in range(len(truth))], x)
    assert result.clumps.clumped and result.clumps.vote < 0.5
    assert not result.voted and not result.vote_rest
    rest = [i for i in range(len(truth)) if i not in given]
    assert cacc([result.labels[i] for i in rest], [truth[i] for i in rest]) > 0.85


@pytest.mark.parametrize("kind", ["plain", "uninformative", "fragmented", "siblings"])
def test_classes_of_one_look_keep_their_refined_labels(kind):
    # no vote replaces the refined labels in these worlds (nor in the protocol's simulated
    # domains, BENCHMARKS.md "Refine: a vote where classes are clumped")
    for seed in range(3):
        truth, x = worlds.cluster_world(400, seed=seed, informative=kind != "uninformative",
                                        dim=64)
        given = worlds.sample_answers(truth, named=0.4, seed=seed,
                                      fragmented=kind == "fragmented",
                                      p_correct=0.6 if kind == "siblings" else 0.8)
        result = refine_labels([[given[i]] if i in given else [] for i in range(len(truth))], x)
        assert result.clumps is not None and not result.voted, (kind, seed)


def test_many_names_of_few_images_keep_right_answers():
    # the 500 named images of a 10k / 1,000-class scale run (random-weight tiny CLIP): 389
    # names, 294 of one image; of the slots the 2-4-image names allow, their neighbours fill
    # 7.6%, all of it on 15 names. The global terms at 0.157 strength moved 44
    # answers (30 right ones) to other groups' names, cACC 0.894 -> 0.834. (The trust was
    # 0.05 here until the separation became a prototype vote without an error margin: the
    # names are not shown apart (separation -0.003), trust 0.)
    data = np.load(Path(__file__).parent / "data" / "scale_runs" / "scale10k_named.npz")
    answers = [[str(a)] for a in data["answers"]]
    truth = list(data["truth"])
    x = data["x"].astype(np.float32)
    result = refine_labels(answers, x)
    raw = cacc([a[0] for a in answers], truth)
    assert cacc(result.labels, truth) >= raw
    assert cacc(result.labels, truth) >= cacc(majority_vote(answers, x, k=3), truth)
    assert result.agreement > 0.0 and result.trust < 0.1
    # a vote of the answers leads the class means by 4 images to 1 of 500 (1.3 paired
    # errors, clumped at the guard's bar) but predicts 1.6% of the answers: no vote
    assert result.clumps.vote < 0.5 and not result.voted


def test_a_hedged_answer_keeps_its_first_name_where_the_geometry_is_silent():
    # "most likely a Y, although it could also be an X" parses to [Y, X]; with embeddings
    # that carry no class information the first name (the MLLM's answer) is kept, not
    # whichever of the two has the lower id
    rng = np.random.default_rng(0)
    firsts = [f"species {c}" for c in rng.integers(0, 40, 200)]
    answers = [[name, "aardvark"] if j % 3 == 0 else [name] for j, name in enumerate(firsts)]
    result = refine_labels(answers, rng.standard_normal((200, 16)).astype(np.float32))
    assert result.trust == 0.0
    assert result.labels == firsts
