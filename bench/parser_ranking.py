"""Can the parser's candidate order be learned from the answer's surface? A probe.

``parse_answer`` returns several names for many answers; where the reference is among them but
not first, a reranker over the candidates could fix it without a rule per wording. This probe
describes each candidate by what a reader sees in the text (its rank, how often and where it
is written, bold or italic, after a verdict cue, a negation or a hedge, in a heading or a
bracket, its shape), learns which candidate is the reference on the worked dev sets, and counts
what a reranker would gain and lose:

- a conditional logit (one weight per feature, softmax over an answer's candidates), and
- gradient-boosted trees on (first candidate, other candidate) pairs, swapping in the other
  candidate only above a probability threshold;

each in 5-fold cross-validation grouped by set over the worked sets, then trained on all of
them and scored on the held-out sets. Only counted answers with two or more candidates, the
reference among them, take part. Usage::

    python bench/parser_ranking.py                      # held out: the round's new sets
    python bench/parser_ranking.py --held-out fresh325 fresh326
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import parser_quality as pq  # noqa: E402

from near_core.mllm.parse import parse_answer  # noqa: E402

HELD_OUT = ("fresh333", "fresh334", "fresh335", "fresh336")
_CUE = re.compile(r"(?i)(?:identif\w*|is an?|is the|likely|answer|final\w*|conclu\w*|verdict|"
                  r"species|breed|model|appears to be|this is|it's an?|:|→|=)\W*$")
_NEGATION = re.compile(r"(?i)(?:\bnot\b|n't|rather than|rules? out|unlike|instead of|than an?|"
                       r"versus|vs\.?|confused with|differs? from)[^.]{0,25}$")
_HEDGE = re.compile(r"(?i)(?:\bor\b|similar to|resembl\w*|like an?|perhaps|possibly|maybe)\W*(?:an?\s+|the\s+)?$")
FEATURES = ("rank 0", "rank 1", "rank 2+", "log mentions", "first at", "last at", "last in final 20%",
            "bold", "italic", "after a cue", "last after a cue", "after a negation", "after a hedge",
            "in a heading", "in brackets", "words", "digit", "lower case", "capitalised",
            "inside the first", "holds the first", "not written")


def features(name: str, rank: int, names: Sequence[str], text: str) -> list[float]:
    """``len(FEATURES)`` numbers describing candidate ``name`` at ``rank`` of ``names`` in ``text``."""
    low, key = text.casefold(), name.casefold()
    size = max(len(text), 1)
    at = [m.start() for m in re.finditer(re.escape(key), low)]
    pattern = re.escape(key)
    cue = negated = hedged = heading = bracketed = False
    for start in at:
        before = text[max(0, start - 60) : start]
        cue |= _CUE.search(before) is not None
        negated |= _NEGATION.search(before) is not None
        hedged |= _HEDGE.search(before) is not None
        line = text[text.rfind("\n", 0, start) + 1 : (text.find("\n", start) + 1 or size + 1) - 1].strip()
        heading |= line.startswith("#") or line.endswith(":")
        bracketed |= before.rstrip().endswith("(")
    last_cue = bool(at) and _CUE.search(text[max(0, at[-1] - 60) : at[-1]]) is not None
    first = names[0].casefold()
    return [
        rank == 0, rank == 1, rank >= 2, math.log1p(len(at)),
        at[0] / size if at else 1.0, at[-1] / size if at else 0.0, bool(at) and at[-1] / size > 0.8,
        re.search(r"\*\*[^*\n]{0,40}" + pattern + r"[^*\n]{0,40}\*\*", low) is not None,
        re.search(r"(?<!\*)\*[^*\n]{0,5}" + pattern + r"[^*\n]{0,5}\*(?!\*)", low) is not None,
        cue, last_cue, negated, hedged, heading, bracketed,
        min(len(name.split()), 6) / 6, any(ch.isdigit() for ch in name), name.islower(), name[:1].isupper(),
        rank > 0 and key in first, rank > 0 and first in key, not at,
    ]


def _parsed(texts: list[str]) -> list[list[str]]:
    return [parse_answer(t) for t in texts]


def examples(sets: Sequence[str], *, workers: int) -> list[tuple[str, np.ndarray, int]]:
    """``(set, (k, F) features, index of the reference)`` per counted answer whose reference is
    among its k >= 2 candidates."""
    answers = [(s, a) for s in sets for a in pq.load_dev(pq.DEV / s) if a.counted and a.reference]
    texts = [a.text for _, a in answers]
    chunks = [texts[i : i + 500] for i in range(0, len(texts), 500)]
    with ProcessPoolExecutor(workers) as pool:
        parsed = [names for chunk in pool.map(_parsed, chunks) for names in chunk]
    out = []
    for (name, answer), names in zip(answers, parsed, strict=True):
        hits = [i for i, n in enumerate(names) if pq.same_name(n, answer.reference)]
        if len(names) >= 2 and hits:
            rows = [features(n, i, names, answer.text) for i, n in enumerate(names)]
            out.append((name, np.array(rows, dtype=np.float64), hits[0]))
    return out


def fit_logit(train: list[tuple[str, np.ndarray, int]], *, l2: float = 1e-2) -> np.ndarray:
    """``(F,)`` weights of a conditional logit: softmax over an answer's candidates."""
    import torch

    w = torch.zeros(train[0][1].shape[1], dtype=torch.float64, requires_grad=True)
    xs = [torch.from_numpy(x) for _, x, _ in train]
    ys = [y for _, _, y in train]
    opt = torch.optim.LBFGS([w], max_iter=300)

    def closure():
        opt.zero_grad()
        loss = sum(-torch.log_softmax(x @ w, 0)[y] for x, y in zip(xs, ys, strict=True)) / len(xs)
        loss = loss + l2 * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach().numpy()


def _pairs(data: list[tuple[str, np.ndarray, int]]) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    rows, labels, index = [], [], []
    for k, (_, x, y) in enumerate(data):
        for j in range(1, len(x)):
            rows.append(np.concatenate([x[0], x[j], x[j] - x[0]]))
            labels.append(int(y == j))
            index.append((k, j))
    return np.array(rows), np.array(labels), index


def fit_trees(train: list[tuple[str, np.ndarray, int]]):
    from sklearn.ensemble import HistGradientBoostingClassifier

    rows, labels, _ = _pairs(train)
    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, random_state=0).fit(rows, labels)


def picks_logit(w: np.ndarray, data: list[tuple[str, np.ndarray, int]], margin: float) -> list[int]:
    """The candidate each answer's reranked list would put first (0 unless clearly better)."""
    out = []
    for _, x, _ in data:
        score = x @ w
        top = int(np.argmax(score))
        out.append(top if score[top] - score[0] > margin else 0)
    return out


def picks_trees(model, data: list[tuple[str, np.ndarray, int]], threshold: float) -> list[int]:
    rows, _, index = _pairs(data)
    best = [(0, threshold)] * len(data)
    for (k, j), p in zip(index, model.predict_proba(rows)[:, 1], strict=True):
        if p > best[k][1]:
            best[k] = (j, p)
    return [j for j, _ in best]


def tally(data: list[tuple[str, np.ndarray, int]], picks: list[int]) -> tuple[int, int]:
    """``(gained, lost)``: answers the reranking puts right that were wrong, and the reverse."""
    gained = sum(p == y != 0 for (_, _, y), p in zip(data, picks, strict=True))
    lost = sum(y == 0 != p for (_, _, y), p in zip(data, picks, strict=True))
    return gained, lost


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--held-out", nargs="+", default=list(HELD_OUT))
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    worked = [s for s in pq.FRESH_SETS if s not in args.held_out]
    work, held = examples(worked, workers=args.workers), examples(args.held_out, workers=args.workers)
    print(f"answers with 2+ candidates, the reference among them: worked {len(work)} "
          f"(reference first {sum(y == 0 for *_, y in work)}), held out {len(held)} "
          f"(first {sum(y == 0 for *_, y in held)})")
    groups = sorted({s for s, _, _ in work})
    np.random.default_rng(0).shuffle(groups)
    folds = [set(groups[i::5]) for i in range(5)]
    models = {
        "conditional logit": (fit_logit, picks_logit, (0.0, 0.5, 1.0)),
        "boosted pairs": (fit_trees, picks_trees, (0.5, 0.7, 0.9)),
    }
    print("| model | margin / threshold | worked, grouped 5-fold CV: gained / lost | held out: gained / lost |")
    print("| --- | --- | --- | --- |")
    for label, (fit, pick, levels) in models.items():
        fitted = [(fold, fit([d for d in work if d[0] not in fold])) for fold in folds]
        full = fit(work)
        for level in levels:
            cv = [0, 0]
            for fold, model in fitted:
                test = [d for d in work if d[0] in fold]
                g, lost = tally(test, pick(model, test, level))
                cv[0] += g
                cv[1] += lost
            g, lost = tally(held, pick(full, held, level))
            print(f"| {label} | {level} | {cv[0]} / {cv[1]} | {g} / {lost} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
