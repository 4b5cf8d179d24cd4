"""Which stored answers a parser change moves, measured against a git revision.

Every answer of the development corpus (tests/data/parser_dev: its own files and every
folder of sets) is parsed twice: by ``parse_answer`` at a git revision (``load_baseline``:
``near_core`` at that revision, in a subprocess) and by the working tree. A counted answer
(its reference appears in the text) or a decline whose first name changes from wrong to
right is a gain, from right to wrong a loss. Gains and losses are printed one per line
(set, reference, first names before -> after), except in held-out sets, which are only
counted, so that a round can be measured on sets nobody reads. Totals: the counted
agreement and the agreement against the datasets' class names, before and after.

    python bench/parser_diff.py c933bc4 --hold-out fresh446 fresh447
    python bench/parser_diff.py HEAD~3 --per-set fresh442 fresh443 --hold-out fresh443

``--per-set`` prints, for the sets named, the counted agreement and the class-name agreement
at the revision and now (held-out sets included: counts only).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from parser_quality import (  # noqa: E402
    DEV,
    DevAnswer,
    dataset_class,
    dev_correct,
    load_baseline,
    load_dev,
    same_name,
)

from near_core.mllm.parse import parse_answer  # noqa: E402

Parser = Callable[[str], list[str]]
CORPUS = "corpus"
"""The name of the corpus' own files (tests/data/parser_dev/*.jsonl) among the sets."""


def stored_sets(folder: Path = DEV) -> dict[str, list[DevAnswer]]:
    """Set name -> its answers: :data:`CORPUS` for the files of ``folder``, then each of its
    folders that holds answer files (``blind``, ``holdout``, ``fresh``, ``fresh2`` ...)."""
    sets = {CORPUS: load_dev(folder)}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if any(sub.glob("*.jsonl")):
            sets[sub.name] = load_dev(sub)
    return sets


@dataclass(frozen=True)
class Move:
    """An answer whose first name changed from wrong to right (``gained``) or back."""

    set: str
    reference: str
    before: list[str]
    after: list[str]
    gained: bool


@dataclass
class Score:
    """Agreement of one parser on some answers: counted (issue 9's measure) and against the
    datasets' class names (answers whose reference is a class name written in the text)."""

    agreed: int = 0
    counted: int = 0
    class_agreed: int = 0
    class_counted: int = 0

    def add(self, answer: DevAnswer, names: list[str]) -> None:
        if answer.counted:
            self.counted += 1
            self.agreed += dev_correct(answer, names)
        name = dataset_class(answer)
        if name is not None:
            self.class_counted += 1
            self.class_agreed += bool(names) and same_name(names[0], name)

    def __str__(self) -> str:
        def pct(a: int, n: int) -> str:
            return f"{a} / {n} ({100 * a / n:.1f}%)" if n else "-"

        return f"counted {pct(self.agreed, self.counted)}, class names {pct(self.class_agreed, self.class_counted)}"


def moves(sets: dict[str, list[DevAnswer]], before: Parser, after: Parser) -> tuple[list[Move], int]:
    """(the answers whose correctness changed, the number of answers whose names changed)."""
    out, changed = [], 0
    for name, answers in sets.items():
        for answer in answers:
            old, new = before(answer.text), after(answer.text)
            if old == new:
                continue
            changed += 1
            if not (answer.counted or not answer.reference):
                continue  # a reference the text does not write: not scored
            was, now = dev_correct(answer, old), dev_correct(answer, new)
            if was != now:
                out.append(Move(name, answer.reference, old, new, gained=now))
    return out, changed


def _parse_chunk(texts: list[str]) -> list[list[str]]:
    return [parse_answer(t) for t in texts]


def parse_all(texts: Iterable[str], *, workers: int | None = None) -> dict[str, list[str]]:
    """``parse_answer`` of the working tree on every text, over ``workers`` processes."""
    unique = list(dict.fromkeys(texts))
    workers = max(1, workers or os.cpu_count() or 1)
    chunks = [unique[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        parsed = list(pool.map(_parse_chunk, chunks))
    return {t: names for chunk, names in zip(chunks, parsed, strict=True) for t, names in zip(chunk, names, strict=True)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("revision", help="the git revision to measure against (a commit, a tag, HEAD~3)")
    ap.add_argument("--hold-out", nargs="*", default=[], metavar="SET", help="sets counted, never printed")
    ap.add_argument("--per-set", nargs="*", default=[], metavar="SET", help="sets scored one by one")
    ap.add_argument("--workers", type=int, default=None, help="processes for the working tree's parses")
    args = ap.parse_args(argv)
    sets = stored_sets()
    unknown = sorted((set(args.hold_out) | set(args.per_set)) - set(sets))
    if unknown:
        ap.error(f"no such set in {DEV}: {', '.join(unknown)}")
    texts = [a.text for answers in sets.values() for a in answers]
    baseline = load_baseline(args.revision, texts, texts[:20], repeats=1)
    now = parse_all(texts, workers=args.workers)
    found, changed = moves(sets, baseline, now.__getitem__)
    held = set(args.hold_out)
    held_counts: Counter[tuple[str, bool]] = Counter()
    for move in found:
        if move.set in held:
            held_counts[move.set, move.gained] += 1
        else:
            print("GAIN" if move.gained else "LOSS", move.set, repr(move.reference), move.before[:3], "->", move.after[:3])
    for name in args.per_set:
        old, new = Score(), Score()
        for answer in sets[name]:
            old.add(answer, baseline(answer.text))
            new.add(answer, now[answer.text])
        print(f"{name}: {args.revision} {old}; now {new}")
    old, new = Score(), Score()
    for answers in sets.values():
        for answer in answers:
            old.add(answer, baseline(answer.text))
            new.add(answer, now[answer.text])
    gained = sum(m.gained for m in found)
    print(f"against {args.revision} ({baseline.commit[:7]}): {changed} answers changed, {gained} gained, "
          f"{len(found) - gained} lost")
    for name in args.hold_out:
        print(f"held out {name}: {held_counts[name, True]} gained, {held_counts[name, False]} lost")
    print(f"every stored answer: {args.revision} {old}; now {new}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
