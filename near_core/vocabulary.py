"""Label vocabulary: canonical names, alias table, counts, per-image label distributions.

Canonicalisation only removes differences of *writing*: Unicode form, case, hyphens /
underscores vs spaces, possessives and apostrophes, punctuation, repeated spaces, a leading
article ("a tufted puffin"), the inverted index form of field guides and catalogues ("Warbler,
Yellow" is "Yellow Warbler"), and the configured generic words at either end ("bird", "dog"). Distinct names stay distinct, however
close in meaning (Tufted Puffin and Horned Puffin are different classes).

Label ids are ordered by count (descending) then canonical key, so they do not depend on the
order of the images.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
from scipy import sparse

from near_core.errors import NearError

_APOSTROPHES = "'\u2019\u2018\u02bc`\u00b4"
_POSSESSIVE = re.compile(rf"([a-z0-9])[{_APOSTROPHES}]s\b")
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")
_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015/]+")
_PUNCT = re.compile(r"[^\w\s]")


_ARTICLES = frozenset({"a", "an", "the"})
_INVERTED = re.compile(r"^([^,]+),\s*([^,\d]+)$")


def _uninvert(text: str) -> str:
    """``"warbler, yellow"`` -> ``"yellow warbler"``: one comma followed by one to three
    words without digits (a qualifier moved to the end, as in indexes); anything else (lists,
    "Corolla, 2012") is left as it is."""
    match = _INVERTED.match(text.strip())
    if match is None or not 1 <= len(match.group(2).split()) <= 3:
        return text
    return f"{match.group(2)} {match.group(1)}"


class VocabularyError(NearError):
    """The vocabulary table or a name in it is invalid."""


def canonical_key(name: str, *, strip_words: Iterable[str] = ()) -> str:
    """The normalised key two spellings of the same name share ('' when nothing is left).

    >>> canonical_key("Cooper’s  Hawk")
    'coopers hawk'
    >>> canonical_key("Black-footed albatross (bird)", strip_words=["bird"])
    'black footed albatross'
    >>> canonical_key("Warbler, Yellow-rumped"), canonical_key("a yellow-rumped warbler")
    ('yellow rumped warbler', 'yellow rumped warbler')
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _uninvert(text)
    text = _POSSESSIVE.sub(r"\1s", text)
    text = _APOSTROPHE.sub("", text)
    text = _SEPARATORS.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    words = text.split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)
    strip = {w.casefold() for w in strip_words}
    while words and words[0] in strip:
        words.pop(0)
    while words and words[-1] in strip:
        words.pop()
    return " ".join(words)


def _rewritten(spelling: str) -> bool:
    """Whether a spelling is in an article or inverted form (shown only when no plain form
    of the name was answered)."""
    text = spelling.casefold()
    return _uninvert(text) != text or text.split(" ", 1)[0] in _ARTICLES


def _display(raw: str) -> str:
    """A readable form of a raw name: NFKC, single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", raw).split())


@dataclass
class Vocabulary:
    """Canonical label names with their aliases and answer counts.

    Attributes:
        names: ``names[label_id]`` the display name (the most frequent spelling, preferring
            plain forms to article or inverted ones).
        keys: ``keys[label_id]`` the canonical key.
        counts: ``counts[label_id]`` how many answers map to it.
        aliases: ``aliases[label_id]`` every raw spelling seen (sorted).
        strip_words: the generic words removed around names.
    """

    names: list[str]
    keys: list[str]
    counts: list[int]
    aliases: list[list[str]]
    strip_words: tuple[str, ...] = ()
    _index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {k: i for i, k in enumerate(self.keys)}
        if len(self._index) != len(self.keys):
            raise VocabularyError("vocabulary keys are not unique")

    def __len__(self) -> int:
        return len(self.names)

    def id_of(self, raw: str | None) -> int | None:
        """The label id of a raw name, or None when it is not in the vocabulary."""
        if raw is None:
            return None
        return self._index.get(canonical_key(raw, strip_words=self.strip_words))

    def alias_table(self) -> dict[str, str]:
        """Raw spelling -> canonical display name."""
        return {a: self.names[i] for i, al in enumerate(self.aliases) for a in al}

    def to_rows(self) -> list[dict]:
        """Rows of the ``vocabulary`` run-store table."""
        return [
            {"label_id": i, "name": n, "aliases": a, "count": c}
            for i, (n, a, c) in enumerate(zip(self.names, self.aliases, self.counts, strict=True))
        ]

    @classmethod
    def from_table(cls, table: pa.Table, *, strip_words: Iterable[str] = ()) -> Vocabulary:
        """Rebuild from a ``vocabulary`` table (label ids must be 0..C-1)."""
        rows = sorted(table.to_pylist(), key=lambda r: r["label_id"])
        if [r["label_id"] for r in rows] != list(range(len(rows))):
            raise VocabularyError("vocabulary table: label_id must be 0..C-1 without gaps")
        strip = tuple(strip_words)
        return cls(
            names=[r["name"] for r in rows],
            keys=[canonical_key(r["name"], strip_words=strip) for r in rows],
            counts=[int(r["count"] or 0) for r in rows],
            aliases=[list(r["aliases"] or []) for r in rows],
            strip_words=strip,
        )


def build_vocabulary(
    answers: Sequence[Sequence[str | None]], *, strip_words: Iterable[str] = ()
) -> Vocabulary:
    """Canonicalise all answers (``answers[i]`` = image i's parsed names) into a vocabulary.

    Names that canonicalise to '' (and None) are ignored.
    """
    strip = tuple(strip_words)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for image_answers in answers:
        for raw in image_answers:
            if raw is None:
                continue
            key = canonical_key(raw, strip_words=strip)
            if key:
                spellings[key][_display(raw)] += 1
    order = sorted(spellings, key=lambda k: (-sum(spellings[k].values()), k))
    names = [min(spellings[k], key=lambda s: (_rewritten(s), -spellings[k][s], s))
             for k in order]
    return Vocabulary(
        names=names,
        keys=order,
        counts=[sum(spellings[k].values()) for k in order],
        aliases=[sorted(spellings[k]) for k in order],
        strip_words=strip,
    )


#: relative mass taken off per place of first mention in :func:`label_distribution`
TIE_BREAK = 1e-3


def label_distribution(
    answers: Sequence[Sequence[str | None]], vocabulary: Vocabulary
) -> sparse.csr_matrix:
    """q: ``(N, C)`` sparse, row i the empirical distribution of image i's n answers.

    Names of equal count are ordered by first mention: each gets ``TIE_BREAK`` times its
    share less per earlier-mentioned name of that count (then the row is renormalised), so that a hedged
    answer ("most likely X, although it could also be Y" -> [X, Y]) keeps X where nothing
    else decides, as the MLLM's top answer does, instead of a tie broken by name id.
    Rows of images without a usable answer are all zero.
    """
    rows, cols, vals = [], [], []
    for i, image_answers in enumerate(answers):
        ids = [vocabulary.id_of(a) for a in image_answers]
        ids = [j for j in ids if j is not None]
        counts = Counter(ids)  # insertion order = first mention
        seen: Counter[int] = Counter()
        mass = []
        for n in counts.values():
            mass.append(n * (1.0 - TIE_BREAK * seen[n]))
            seen[n] += 1
        mass = np.asarray(mass)
        for j, v in zip(counts, mass / mass.sum(), strict=True):
            rows.append(i)
            cols.append(j)
            vals.append(v)
    return sparse.csr_matrix(
        (np.asarray(vals, dtype=np.float32), (rows, cols)),
        shape=(len(answers), len(vocabulary)),
    )


_YEAR = re.compile(r"^(1[89]|20)\d\d(s)?$")


def variant_signatures(key: str) -> tuple[str, set[str]]:
    """``(stem, signatures)`` of a canonical key for :func:`name_variants`.

    The stem is the key without year tokens (1800-2099, "1990s"); the signatures are the
    stem and the stem with one word left out, where at least two words remain. Two names
    are variants when one's stem is among the other's signatures ("toyota corolla sedan
    2010" ~ "toyota corolla sedan 2012" ~ "toyota corolla sedan" ~ "toyota corolla 2014"),
    never by one shared word ("tufted puffin" and "horned puffin" stay apart).
    """
    words = [w for w in key.split() if not _YEAR.match(w)]
    stem = " ".join(words)
    sigs = {stem} if stem else set()
    if len(words) >= 3:
        sigs |= {" ".join(words[:j] + words[j + 1 :]) for j in range(len(words))}
    return stem, sigs


def name_variants(keys: Sequence[str]) -> sparse.csr_matrix:
    """``(C, C)`` 0/1 CSR relation of near-identical names (diagonal included).

    Names are variants when they differ only by year tokens or by one extra word
    on one side (a body style, "adult", "common"): :func:`variant_signatures`. The relation
    is symmetric, linear in C (hashing of signatures), and what it joins is never merged in
    the vocabulary: it tells the neighbour-agreement statistic that two fragments of one
    drifting compound name agree, and offers each name's variants as candidates; the
    geometry decides between them.
    """
    stems, by_sig = [], defaultdict(list)
    for c, key in enumerate(keys):
        stem, sigs = variant_signatures(key)
        stems.append(stem)
        for s in sigs:
            by_sig[s].append(c)
    rows, cols = list(range(len(keys))), list(range(len(keys)))
    for c, stem in enumerate(stems):
        for d in by_sig.get(stem, ()):
            if d != c:
                rows += [c, d]
                cols += [d, c]
    rel = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)),
                            shape=(len(keys), len(keys)))
    rel.data[:] = 1.0
    return rel
