"""What the answer-corpus generators share (generate.py here, holdout/generate.py): rows from
answers, and the JSONL files they are written to.

A row: ``{"id", "style", "domain", "text", "reference"}``; ids number each domain's rows in
the order the answers come (``<domain>-<style>-<n>``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path


def corpus(domains: Iterable[str], answers: Iterable[tuple[str, str, str, str]]
           ) -> dict[str, list[dict]]:
    """Rows by domain (every one of ``domains``, maybe empty) from ``answers``:
    ``(style, domain, text, reference)`` in order."""
    rows: dict[str, list[dict]] = {d: [] for d in domains}
    for style, domain, text, reference in answers:
        rows[domain].append({"id": f"{domain}-{style}-{len(rows[domain])}", "style": style,
                             "domain": domain, "text": text, "reference": reference})
    return rows


def write_corpus(folder: Path, rows: dict[str, list[dict]]) -> None:
    """``folder/<domain>.jsonl``: one JSON row a line, UTF-8 as it is."""
    for domain, domain_rows in rows.items():
        with open(folder / f"{domain}.jsonl", "w", encoding="utf-8") as fh:
            for row in domain_rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
