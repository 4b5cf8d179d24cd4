"""JSON answers of the answer parser: JSON values in the text (fenced, lenient about raw
control characters), the names a value holds, and ``parse_structured``."""

from __future__ import annotations

import json
import re
from typing import Any

from near_core.mllm.parse.hygiene import MAX_CANDIDATES, TEXT_MAX, _dedupe, _is_binomial
from near_core.mllm.parse.verdict import _JSON_META_KEY, _make_and_model, _parse_text

_JSON_NAME_KEYS = (
    "label",
    "name",
    "full_name",
    "species",
    "breed",
    "answer",
    "final_answer",
    "class",
    "class_name",
    "common_name",
    "prediction",
    "category",
    "top_candidates",
    "candidates",
    "predictions",
    "guesses",
    "top_k",
    "identification",
    "result",
    "guess",
    "best_guess",
    "top_prediction",
    "predicted_class",
    "predicted_label",
    "classification",
)

_JSON_COMMON_KEYS = ("common_name", "english_name", "common", "vernacular_name")
_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n?(?P<body>.*?)```", re.DOTALL)


def _json_candidates(text: str) -> list[Any]:
    """JSON values found in ``text``: the whole text, fenced blocks, or the outermost
    braces. Strict parsing first, then lenient (raw control characters inside strings)."""
    stripped = text.strip()
    bodies = [m.group("body") for m in _FENCE.finditer(stripped)]
    if stripped[:1] in "{[":
        bodies.insert(0, stripped)
    elif not bodies and (start := stripped.find("{")) >= 0:
        end = stripped.rfind("}")
        if end > start:
            bodies.append(stripped[start : end + 1])
    values = []
    for body in bodies[:4]:
        body = body.strip()
        for strict in (True, False):
            try:
                values.append(json.loads(body, strict=strict))
                break
            except (ValueError, RecursionError):
                continue
    return values


def _json_regex_value(text: str, key: str) -> str | None:
    """The string value of ``key`` in JSON-like text that no parser accepts."""
    m = re.search(r'"' + re.escape(key) + r'"\s*:\s*"((?:[^"\\]|\\.){0,2000})"', text)
    if m is None:
        return None
    raw = m.group(1)
    try:
        return str(json.loads('"' + raw + '"', strict=False))
    except ValueError:
        return raw


def _names_from_value(value: Any, *, depth: int = 0) -> list[str] | None:
    """Names held by a JSON value (None when the value holds no name-like field)."""
    if depth > 3:
        return None
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, list):
        names: list[str] = []
        for item in value[: MAX_CANDIDATES * 2]:
            names.extend(_names_from_value(item, depth=depth + 1) or [])
        return _dedupe(names)
    if isinstance(value, dict):
        lowered = {str(k).casefold(): v for k, v in value.items()}
        named = any(k in lowered for k in _JSON_NAME_KEYS)
        car = None if named else _make_and_model(lowered)
        if car is not None:
            fuller = (  # {"vehicle": "Fisker Karma Sedan 2012", "make": "Fisker", ...}
                v
                for k, v in lowered.items()
                if k not in ("make", "brand", "manufacturer", "model", "year")
                and isinstance(v, str)
                and not _JSON_META_KEY.search(k)
                and all(w in v.casefold().split() for w in car.casefold().split())
            )
            return _parse_text(next(fuller, car))
        for key in _JSON_NAME_KEYS:
            if key in lowered:
                names = _names_from_value(lowered[key], depth=depth + 1)
                if names is not None:
                    common = next(
                        (lowered[k] for k in _JSON_COMMON_KEYS if isinstance(lowered.get(k), str)),
                        None,
                    )
                    if names and common and _is_binomial(names[0]):  # "species": Latin
                        names = _parse_text(common) + names
                    for other in ("alternatives", "candidates"):
                        names += _names_from_value(lowered.get(other), depth=depth + 1) or []
                    return _dedupe(names)
        strings = [v for v in value.values() if isinstance(v, str)]
        if len(strings) == 1:
            return _parse_text(strings[0])
        fields = [  # {"vehicle": "Skoda Octavia", "years": "2013-2020"}: the first field
            v for k, v in value.items() if isinstance(v, str) and not _JSON_META_KEY.search(str(k))
        ]
        if fields:
            return _parse_text(fields[0])
        nested = [v for v in value.values() if isinstance(v, dict | list)]
        if len(nested) == 1:
            return _names_from_value(nested[0], depth=depth + 1)
    return None


def parse_structured(text: str, *, key: str = "label") -> list[str] | None:
    """Names in a structured-output (JSON) answer: the value of ``key``.

    Returns the cleaned names (``[]`` when the value is empty, a refusal or "unknown"), or
    None when ``text`` holds no JSON object with ``key`` (the caller then falls back to
    :func:`parse_answer`). Tolerates code fences and raw control characters in strings.
    """
    if not isinstance(text, str):
        return None
    text = text[:TEXT_MAX]
    for value in _json_candidates(text):
        if isinstance(value, dict) and key in value:
            return _names_from_value(value[key]) or []
    raw = _json_regex_value(text, key)
    return None if raw is None else _parse_text(raw)
