"""Answer-parser quality on real MLLM answers (tests/data/mllm_answers, from FiNDR).

Each answer comes with the name(s) a second LLM call extracted from it. Only answers whose
first extracted name appears in the raw answer (compared by ``name_key``: case, hyphens,
punctuation and spacing ignored) are counted; on those, ``parse_answer(text)[0]`` must equal
that name. Misses are sorted into kinds.

The same answers, rewritten into styles that the files do not contain (a final-answer line
after the reasoning, JSON with the answer as a field, a <think> block, no markdown, CRLF line
ends, names in lower case), show how the parser holds on styles it was not tuned to.

    python bench/parser_quality.py [--show KIND]   # --show lists the misses of one kind
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
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


VARIANTS: dict[str, Callable[[str, str], str]] = {
    "final_line": lambda text, ref: f"{text}\n\nFinal answer: {ref}",
    "bold_answer": lambda text, ref: f"Let me reason step by step.\n{text}\n\n**Answer:** {ref}",
    "json_field": lambda text, ref: json.dumps({"reasoning": text, "label": ref}),
    "json_fenced_raw_controls": lambda text, ref: (
        f'```json\n{{"name": "{ref}\t", "why": "{text[:100].replace(chr(34), chr(39))}\n"}}\n```'
    ),
    "think_block": lambda text, ref: f"<think>{text}</think>\n{ref}",
    "no_markdown": lambda text, ref: re.sub(r"[*_]+", "", text),
    "crlf": lambda text, ref: text.replace("\n", "\r\n"),
    "lowercase_name": lambda text, ref: text.replace(ref, ref.lower()),
}
"""Rewrites of a real answer (text, reference name) into other answer styles."""


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


def naive_parse(text: str) -> list[str]:
    """Baseline: the first bold span, else the words after the first "is a"/"be a" up to
    punctuation, without a parenthesis."""
    m = re.search(r"\*\*([^*]+)\*\*", text) or re.search(r"\b(?:is|be) an? ([^.,(\n]+)", text)
    return [re.sub(r"\(.*?\)", "", m.group(1)).strip()] if m else []


def measure(
    path: Path,
    *,
    variant: str | None = None,
    parser: Callable[[str], list[str]] = parse_answer,
) -> Quality:
    """Agreement of ``parser`` with the reference names of one answers file, on the raw
    answers or on their rewrite into one of VARIANTS."""
    total, counted = counted_answers(path)
    quality = Quality(file=path.name, answers=total, counted=len(counted))
    for text, reference in counted:
        got = parser(VARIANTS[variant](text, reference) if variant else text)
        if got and name_key(got[0]) == name_key(reference):
            quality.agreed += 1
        else:
            kind = miss_kind(reference, got)
            quality.misses.setdefault(kind, []).append((reference, text, got))
    return quality


def _speed(texts: list[str], repeats: int = 3) -> float:
    """Answers parsed per second (best of ``repeats`` passes)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for text in texts:
            parse_answer(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=sorted(MISS_KINDS), action="append", default=[])
    args = parser.parse_args(argv)
    kinds: Counter[str] = Counter()
    for name in FILES:
        q = measure(DATA / name)
        naive = measure(DATA / name, parser=naive_parse)
        print(
            f"{q.file}: answers {q.answers}, counted {q.counted}, agreed {q.agreed} "
            f"({100 * q.agreement:.1f}%); naive baseline {100 * naive.agreement:.1f}%"
        )
        for kind, items in sorted(q.misses.items(), key=lambda kv: -len(kv[1])):
            kinds[kind] += len(items)
            print(f"  {kind:16s} {len(items):3d}  {MISS_KINDS[kind]}")
            if kind in args.show:
                for reference, text, got in items:
                    snippet = " ".join(text.split())[:300]
                    print(f"    ref={reference!r} got={got}\n      {snippet}")
    print("all misses by kind:", dict(kinds))
    print("\nrewritten into other styles (agreement %, parser / naive baseline):")
    print(f"  {'variant':26s}" + "".join(f"{name:>22s}" for name in FILES))
    for variant in VARIANTS:
        row = ""
        for name in FILES:
            ours = measure(DATA / name, variant=variant).agreement
            naive = measure(DATA / name, variant=variant, parser=naive_parse).agreement
            row += f"{100 * ours:14.1f}% /{100 * naive:5.1f}%"
        print(f"  {variant:26s}{row}")
    texts = [t for name in FILES for t, _ in counted_answers(DATA / name)[1]]
    print(f"\nspeed: {_speed(texts):.0f} answers/s ({len(texts)} real answers, one process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
