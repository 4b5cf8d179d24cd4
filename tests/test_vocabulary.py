"""Vocabulary canonicalisation, alias table, counts and per-image label distributions."""

from __future__ import annotations

import numpy as np
import pytest

from near_core.store import RunStore
from near_core.vocabulary import (
    Vocabulary,
    VocabularyError,
    build_vocabulary,
    canonical_key,
    label_distribution,
    name_variants,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Cooper's Hawk", "coopers hawk"),
        ("Cooper’s  Hawk", "Coopers-Hawk"),
        ("Black-footed Albatross", "black footed albatross."),
        ("ＧＯＬＤＥＮ Retriever", "golden_retriever"),
        ("Chihuahua (dog)", "chihuahua"),
        ("Pokémon", "pokemon"),
        ("Warbler, Yellow-rumped", "yellow-rumped warbler"),
        ("a Tufted Puffin", "Tufted Puffin"),
        ("The Siberian Husky", "siberian husky"),
        ("an Oyster Mushroom", "mushroom, oyster"),
    ],
)
def test_writing_variants_share_a_key(a, b):
    assert canonical_key(a, strip_words=["dog"]) == canonical_key(b, strip_words=["dog"])


@pytest.mark.parametrize(
    ("a", "b"),
    [("Tufted Puffin", "Horned Puffin"), ("Herring Gull", "California Gull"),
     ("Siberian Husky", "Alaskan Malamute")],
)
def test_distinct_fine_grained_names_stay_distinct(a, b):
    assert canonical_key(a) != canonical_key(b)


def test_only_index_inversions_and_leading_articles_are_rewritten():
    assert canonical_key("Toyota Corolla, 2012") == "toyota corolla 2012"  # digits: kept
    assert canonical_key("Havanese, Bichon, Maltese") == "havanese bichon maltese"  # a list
    assert canonical_key("Gull, Lesser Black backed Western") == (
        "gull lesser black backed western")  # more than three words after the comma
    assert canonical_key("A") == "a" and canonical_key("The Cure Rose") == "cure rose"


def test_display_name_prefers_a_plain_spelling():
    v = build_vocabulary([["puffin, tufted"], ["puffin, tufted"], ["a tufted puffin"],
                          ["Tufted Puffin"], ["wren, horned"]])
    assert v.names == ["Tufted Puffin", "wren, horned"]
    assert v.counts == [4, 1]


def test_strip_words_only_at_the_ends_and_only_when_configured():
    assert canonical_key("dog Bulldog dog", strip_words=["dog"]) == "bulldog"
    assert canonical_key("Prairie Dog Hunter", strip_words=["dog"]) == "prairie dog hunter"
    assert canonical_key("Bulldog dog") == "bulldog dog"
    assert canonical_key("bird", strip_words=["bird"]) == ""


def test_vocabulary_counts_aliases_order_and_display():
    answers = [["Tufted Puffin"], ["tufted puffin", "Horned Puffin"], ["Tufted-Puffin"], [],
               ["Horned Puffin"], [None], ["???"]]
    v = build_vocabulary(answers)
    assert v.names == ["Tufted Puffin", "Horned Puffin"]  # by count, then key
    assert v.counts == [3, 2]
    assert v.aliases[0] == ["Tufted Puffin", "Tufted-Puffin", "tufted puffin"]
    assert v.alias_table()["tufted puffin"] == "Tufted Puffin"
    assert v.id_of("TUFTED puffin") == 0 and v.id_of("Atlantic Puffin") is None
    assert v.id_of(None) is None


def test_label_distribution_from_n_samples():
    answers = [["A", "a", "B"], [], ["B"]]
    v = build_vocabulary(answers)
    q = label_distribution(answers, v).toarray()
    assert q.shape == (3, 2)
    np.testing.assert_allclose(q[0], [2 / 3, 1 / 3], rtol=1e-6)
    np.testing.assert_allclose(q[1], [0, 0])
    np.testing.assert_allclose(q[2], [0, 1])


def test_vocabulary_roundtrips_through_the_run_store(run_dir):
    v = build_vocabulary([["Horned Puffin"], ["horned puffin"], ["Tufted Puffin"]])
    store = RunStore(run_dir)
    store.write("vocabulary", v.to_rows())
    back = Vocabulary.from_table(store.read("vocabulary"))
    assert back.names == v.names and back.counts == v.counts and back.aliases == v.aliases
    assert back.id_of("HORNED PUFFIN") == 0


def test_from_table_rejects_gaps(run_dir):
    store = RunStore(run_dir)
    store.write("vocabulary", [{"label_id": 1, "name": "x", "aliases": [], "count": 1}])
    with pytest.raises(VocabularyError, match="label_id"):
        Vocabulary.from_table(store.read("vocabulary"))


def test_name_variants_join_years_and_one_extra_word_only():
    keys = ["toyota corolla sedan 2010", "toyota corolla sedan 2012", "toyota corolla sedan",
            "toyota corolla 2014", "toyota camry sedan 2012", "tufted puffin", "horned puffin",
            "boeing 737 300", "boeing 737 400", "common loon", "loon"]
    rel = name_variants(keys).toarray()
    assert (rel == rel.T).all() and (np.diag(rel) == 1).all()
    corolla = [0, 1, 2, 3]
    assert rel[np.ix_(corolla, corolla)].all()
    assert not rel[np.ix_(corolla, [4])].any()  # another model
    assert rel[5, 6] == 0 and rel[7, 8] == 0  # a different word / number is another class
    assert rel[9, 10] == 0  # "loon" keeps fewer than two words: no extra-word rule
