"""Answer-parser quality on real MLLM answers (tests/data/mllm_answers, from FiNDR).

Each answer comes with the name(s) a second LLM call extracted from it. Only answers whose
first extracted name appears in the raw answer (compared by ``name_key``: case, hyphens,
punctuation and spacing ignored) are counted; on those, ``parse_answer(text)[0]`` must equal
that name. Misses are sorted into kinds.

    python bench/parser_quality.py [--show KIND]   # --show lists the misses of one kind
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from near_core.mllm.parse import name_key, parse_answer  # noqa: E402

DATA = REPO / "tests" / "data" / "mllm_answers"
FILES = ("birds_qwen.json", "dogs_qwen.json")

MISS_KINDS = {
    "no_name": "parser returned nothing (read the answer as a refusal)",
    "extra_words": "same name with words added or missing (one name contains the other)",
    "other_candidate": "answer names several; the reference took another one first",
    "not_found": "the reference name is not among the parser's candidates",
}


@dataclass
class Quality:
    """Agreement of the parser with the reference names of one file."""

    file: str
    answers: int
    counted: int = 0
    agreed: int = 0
    misses: dict[str, list[tuple[str, str, list[str]]]] = field(default_factory=dict)

    @property
    def agreement(self) -> float:
        return self.agreed / self.counted if self.counted else 0.0


def counted_answers(path: Path) -> tuple[int, list[tuple[str, str]]]:
    """(number of answers, [(raw answer, reference name)] for the answers that are counted)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counted = []
    for entry in data.values():
        text = entry["model_main_response"]
        reference = entry["guessed_classnames"]["1"]
        if name_key(reference) and name_key(reference) in name_key(text):
            counted.append((text, reference))
    return len(data), counted


def miss_kind(reference: str, got: list[str]) -> str:
    """Which kind of disagreement a miss is (a key of MISS_KINDS)."""
    if not got:
        return "no_name"
    ref, first = name_key(reference), name_key(got[0])
    if ref in first or first in ref:
        return "extra_words"
    if any(name_key(g) == ref for g in got[1:]):
        return "other_candidate"
    return "not_found"


def measure(path: Path) -> Quality:
    """Parser agreement with the reference names of one answers file."""
    total, counted = counted_answers(path)
    quality = Quality(file=path.name, answers=total, counted=len(counted))
    for text, reference in counted:
        got = parse_answer(text)
        if got and name_key(got[0]) == name_key(reference):
            quality.agreed += 1
        else:
            kind = miss_kind(reference, got)
            quality.misses.setdefault(kind, []).append((reference, text, got))
    return quality


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=sorted(MISS_KINDS), action="append", default=[])
    args = parser.parse_args(argv)
    for name in FILES:
        q = measure(DATA / name)
        print(
            f"{q.file}: answers {q.answers}, counted {q.counted}, agreed {q.agreed} "
            f"({100 * q.agreement:.1f}%)"
        )
        for kind, items in sorted(q.misses.items(), key=lambda kv: -len(kv[1])):
            print(f"  {kind:16s} {len(items):3d}  {MISS_KINDS[kind]}")
            if kind in args.show:
                for reference, text, got in items:
                    snippet = " ".join(text.split())[:300]
                    print(f"    ref={reference!r} got={got}\n      {snippet}")
    kinds = Counter(k for n in FILES for k, v in measure(DATA / n).misses.items() for _ in v)
    print("all misses by kind:", dict(kinds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
