"""JSON answers of the answer parser: JSON values in the text (fenced, lenient about raw
control characters), the names a value holds, and ``parse_structured``."""

from __future__ import annotations

import ast
import csv
import json
import re
from typing import Any

from near_core.mllm.lexicon import ADJECTIVES, CATEGORY_WORDS, KIND_NOUNS, RECORD_WORDS
from near_core.mllm.parse import hygiene
from near_core.mllm.parse.hygiene import (
    _FENCE_OPEN,
    _JSON_META_KEY,
    _TABLE_LINE,
    _YEAR,
    MAX_CANDIDATES,
    TEXT_MAX,
    _clean_name,
    _dedupe,
    _field_key,
    _is_binomial,
)
from near_core.mllm.parse.spans import _singular, _specialises
from near_core.mllm.parse.verdict import _make_and_model, _parse_text

_JSON_NAME_KEYS = (  # in order of preference: a final pick, then the finest rank named
    "revised",  # {"first_pass": "Red-tailed Hawk", "revised": "Red-shouldered Hawk"}
    "revised_label",  # "Label: Dodge Charger | Confidence: 0.60\nRevised label: Dodge Challenger"
    "revised_answer",
    "corrected_label",
    "updated_label",
    "final_answer",
    "final",
    "final_prediction",
    "final_choice",
    "decision",  # {"top_k": [...], "decision": "Birman"}: the pick
    "label",
    "labels",  # Florence-2 detection: {'<OD>': {'bboxes': [...], 'labels': ['anthurium', 'leaf']}}
    "bboxes_labels",  # and open-vocabulary detection: {'<OPEN_VOCABULARY_DETECTION>': {'bboxes_labels': [X]}}
    "name",
    "product_name",  # {"brand": "IKEA", "product_name": null}: the brand alone names no product
    "full_name",
    "full_label",
    "nom_complet",
    "nombre_completo",
    "nome_completo",
    "nom",
    "nombre",
    "nome",
    "breed",
    "品种",  # {"品牌": "吉普", "车型": "吉普大切诺基 (Jeep Grand Cherokee)"}: not the brand
    "品種",
    "犬种",
    "犬種",
    "猫种",
    "猫種",
    "车型",
    "車種",
    "种类",
    "種類",
    "名称",
    "名前",
    "품종",
    "차종",
    "이름",
    "rasse",
    "raza",
    "razza",
    "raça",
    "species",
    "especie",
    "espèce",
    "specie",
    "espécie",
    "answer",
    "primary",  # "<primary>Shetland Sheepdog</primary><alternative>Rough Collie</alternative>"
    "class",
    "class_name",
    "common_name",
    "cultivar",  # {"genus": "Dahlia", "cultivar": "Bishop of Llandaff"}; after a common name
    "prediction",
    "category",
    "top1",
    "top_1",
    "guess",  # a pick outranks the list it was picked from: {"candidates": [...], "best_guess": X}
    "best_guess",
    "best_match",  # "| **Best match** | **Ferrari 458 Italia Coupe 2012** |"
    "closest_match",
    "top_match",
    "most_likely",
    "breed_guess",  # {"species": "dog", "breed_guess": "Newfoundland"}
    "species_guess",
    "top_prediction",
    "top_candidates",
    "candidates",
    "predictions",
    "guesses",
    "top_k",
    "identification",
    "verdict",  # "| **Verdict** | **Ford F-150 Regular Cab (2007)** |"
    "result",
    "predicted_class",
    "predicted_label",
    "classification",
    "make_model",
    "make_and_model",
    "model",  # without a make: {"type": "Twin-turboprop regional airliner", "model": "Embraer ..."}
)

#: a key that marks its field as the pick among names listed elsewhere ("final_breed",
#: "primary_species"), whatever naming key follows
_PICK_KEY = re.compile(r"(?:final|primary|chosen|selected|main|identified)_(?P<rest>[a-z_]+)")
#: name keys that hold the answer's own pick: empty, they decline whatever else is listed
_FINAL_KEYS = ("final_answer", "final", "final_prediction", "final_choice")
#: name keys that may hold a description of the kind rather than a name or a refusal
_BROAD_KEYS = ("category", "class", "classification", "result")
_TAXONOMY_PATH = re.compile(r"\s*[a-z][a-z &-]*(?:\s*[/>]\s*[a-z][a-z &-]*)+\s*")  # "beauty/lips/lipstick"
_LITERAL_MAX = 20_000  # characters of a Python literal read at most
_LITERAL_ERRORS = (ValueError, SyntaxError, TypeError, MemoryError, RecursionError)  # of ast
_JSON_COMMON_KEYS = ("common_name", "english_name", "common", "vernacular_name")
#: keys of the English name beside a name in another language ({"和名": "イカル", "英名":
#: "Japanese Grosbeak"}, {"nom_commun": ..., "nom_anglais": "Common Kingfisher"})
_ENGLISH_KEYS = ("english_name", "english", "name_en", "common_name_en", "english_common_name",
                 "nom_anglais", "nombre_en_inglés", "nombre_en_ingles", "nombre_inglés", "englischer_name",
                 "name_englisch", "nome_inglese", "nome_em_inglês", "英名", "英文名", "英語名", "英文", "영어명",
                 "영문명", "영어_이름")
_FENCE = re.compile(_FENCE_OPEN + r"\n?(?P<body>.*?)```", re.DOTALL)


_BARE_CALL = re.compile(r"[A-Za-z_][\w.]*\((?:\s*[A-Za-z_]\w*\s*=.*)?\)", re.DOTALL)  # keyword arguments only


def _unfenced(text: str) -> str:
    """``text`` with each fenced code block replaced by its body."""
    return _FENCE.sub(lambda m: m.group("body"), text)


def _json_candidates(text: str) -> list[Any]:
    """JSON values found in ``text``: the whole text, fenced blocks, or the outermost
    braces. Strict parsing first, then lenient (raw control characters inside strings)."""
    stripped = text.strip()
    bodies = [m.group("body") for m in _FENCE.finditer(stripped)]
    if stripped[:1] in "{[" or (not bodies and _BARE_CALL.fullmatch(stripped)):
        bodies.insert(0, stripped)  # also an unfenced call: 'set_label(breed="Japanese Chin")'
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
        else:
            literal = _python_call(body)  # before the literals inside its arguments
            if literal is None:
                literal = _python_literal(body)
            if literal is not None:
                values.append(literal)
    return values


def _python_literal(body: str) -> Any:
    """The Python dict or list a code block prints or assigns (``result = {'species':
    'Bobolink'}``), read as a literal (never executed); None when there is none."""
    start = min((i for i in (body.find("{"), body.find("[")) if i >= 0), default=-1)
    end = max(body.rfind("}"), body.rfind("]"))
    if start < 0 or end <= start or end - start > _LITERAL_MAX:
        return None
    try:
        value = ast.literal_eval(body[start : end + 1])
    except _LITERAL_ERRORS:
        return None
    return value if isinstance(value, dict | list) else None


def _python_call(body: str) -> dict[str, Any] | None:
    """The literal keyword arguments of the one function call a code block holds
    (``label_vehicle(make="Volkswagen", full_label="Volkswagen Golf Hatchback 2012")``), read
    as literals (never executed); None when there is none."""
    if len(body) > _LITERAL_MAX:
        return None
    try:
        call = ast.parse(body.strip(), mode="eval").body
    except _LITERAL_ERRORS:
        return None
    if not isinstance(call, ast.Call):
        return None
    fields = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            continue  # "**options": no field
        try:
            fields[keyword.arg] = ast.literal_eval(keyword.value)
        except _LITERAL_ERRORS:
            continue
    return fields or None


_CALL_NAME = re.compile(  # a function's name: "record_vehicle", "identifyBird", "tools.classify"
    r"[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]*)+"
)
_ARGUMENT_KEYS = ("arguments", "parameters", "args", "input", "params")


def _call_arguments(fields: dict[str, Any]) -> dict[str, Any] | None:
    """The arguments of a tool or function call, ``fields`` keyed in lower case
    ({"name": "record_vehicle", "arguments": {...}}, the arguments also as a JSON string;
    {"type": "function", "function": {...}}; {"function": "classify_car", "parameters":
    {...}}); None when ``fields`` are no call."""
    if isinstance(inner := fields.get("function"), dict):
        return _call_arguments({str(k).casefold(): v for k, v in inner.items()})
    name = next((fields[k] for k in ("name", "tool", "tool_name", "function") if k in fields), None)
    arguments = next((fields[k] for k in _ARGUMENT_KEYS if k in fields), None)
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments, strict=False)
        except ValueError:
            return None
    if isinstance(name, str) and _CALL_NAME.fullmatch(name.strip()) and isinstance(arguments, dict):
        return arguments
    return None


_LOOSE_FIELD = re.compile(  # '"key": "value"', "'key': 'Cooper's Hawk'", '{key: "value"'
    r"""(?:"(?P<key>[^"\n]{1,40})"|'(?P<single_key>[^'\n]{1,40})'|(?<=[{,])\s*(?P<bare_key>[A-Za-z_]\w{0,39}))"""
    r"""\s*:\s*(?:"(?P<raw>(?:[^"\\]|\\.){0,2000})"|'(?P<single>[^\n]{0,2000}?)'(?=\s*(?:[,}\]]|$)))"""
)


def _json_regex_value(text: str, key: str) -> str | None:
    """The string value of ``key`` in JSON-like text that no parser accepts."""
    return _json_regex_fields(text).get(key.casefold())


def _json_regex_fields(text: str) -> dict[str, str]:
    """The string fields of JSON-like text that no parser accepts (truncated, a doubled
    comma, Python quotes around an apostrophe, keys without quotes), in order:
    '{"vehicle": "Lamborghini Aventador Coupe", "year": 20', "{'bird': 'Cooper's Hawk',}"."""
    fields: dict[str, str] = {}
    for m in _LOOSE_FIELD.finditer(text):
        key = m.group("key") or m.group("single_key") or m.group("bare_key")
        value = _unescaped(m.group("raw")) if m.group("single") is None else m.group("single")
        fields.setdefault(key.casefold(), value)
    return fields


def _unescaped(raw: str) -> str:
    try:
        return str(json.loads('"' + raw + '"', strict=False))
    except ValueError:
        return raw


_LOWERCASE_NAME = re.compile(  # a short lower-case name with linking words: "love in the mist"
    r"[a-z][a-z'-]*(?: (?!(?:is|are|was|were|looks?|seems?|appears?|with|and|or)\b)[a-z][a-z'-]*){1,4}"
)
_SCORE_KEYS = ("score", "confidence", "probability", "prob", "p", "likelihood")


def _by_score(items: list[Any]) -> list[Any]:
    """``items`` best first when every one is a dict with a numeric score
    ([{"breed": "A", "score": 0.22}, {"breed": "B", "score": 0.61}] -> B, A); else as given."""
    scores = []
    for item in items:
        lowered = {str(k).casefold(): v for k, v in item.items()} if isinstance(item, dict) else {}
        score = next((lowered[k] for k in _SCORE_KEYS if k in lowered), None)
        if not isinstance(score, int | float) or isinstance(score, bool):
            return items
        scores.append(score)
    order = sorted(range(len(items)), key=lambda i: -scores[i])  # stable: ties keep their order
    return [items[i] for i in order]


def _common_first(names: list[str], fields: dict[str, Any]) -> list[str]:
    """``names`` from a field of ``fields`` (keyed in lower case), led by an English name
    field, else by the common name field when they open with a Latin name or a single word, a
    genus or a name in another language ({"species": "Anas acuta", "common": "Pintail"}, {"species": "Nymphaea",
    "common_name": "Water lily"})."""
    english = next((fields[k] for k in _ENGLISH_KEYS if isinstance(fields.get(k), str)), None)
    if names and english and (glossed := _parse_text(english)) and glossed[0] in (
        english.strip(" ."), _clean_name(english)  # "Blanket flower" read as "Blanket"
    ):
        return _dedupe(glossed + names)  # the English name a field in another language glosses;
        # not a translation that reads as a description ("Spaghetti with clams")
    common = next((fields[k] for k in _JSON_COMMON_KEYS if isinstance(fields.get(k), str)), None)
    if names and common and (_is_binomial(names[0]) or len(names[0].split()) == 1):
        return _dedupe(_parse_text(common) + names)  # {"species": "Nymphaea", "common_name": ...}
    return names


def _kind_of(value: Any) -> bool:
    """True for a text that ends in a kind noun: it says what kind of thing ("Side dish")."""
    words = value.strip(" .").split() if isinstance(value, str) else []
    return bool(words) and words[-1].casefold() in KIND_NOUNS


_REFINING_KEYS = ("type", "subtype", "variety", "kind", "style")


def _finer_first(names: list[str], fields: dict[str, Any], key: str) -> list[str]:
    """``names`` (of the field ``key`` of ``fields``, keyed in lower case) led by the name of
    another field that narrows the first: a kind noun alone yields to a naming field
    ({"label": "dessert", "dish_name": "tiramisu"}), a name to a naming or "type" field's name
    that ends with it ("Food: Pizza" / "Type: Margherita Pizza", {"flower": "Daisies", "type":
    "Oxeye Daisy"})."""
    if not names:
        return names
    first = names[0]
    kind = first.casefold() in KIND_NOUNS
    for other, value in fields.items():
        if other == key or not isinstance(value, str) or _JSON_META_KEY.search(other):
            continue
        if not (_naming_key(other) or other in _REFINING_KEYS):
            continue
        found = _parse_text(value)
        general = _singular(first, frozenset(value.casefold().split()))
        if found and ((kind and _naming_key(other)) or _specialises(found[0], general)):
            return _dedupe([found[0], *names])
    return names


def _scored_keys(value: dict) -> list[str] | None:
    """The keys of a dict that maps names to scores, best first ({"Russian Blue": 0.84,
    "Chartreux": 0.10}); None when a value is no number or a key is a field or no name."""
    scores = list(value.items())
    if len(scores) < 2 or not all(isinstance(v, int | float) and not isinstance(v, bool) for _, v in scores):
        return None
    names = [(_clean_name(str(k)), v) for k, v in scores if not _JSON_META_KEY.search(str(k))]
    if len(names) < len(scores) or any(name is None for name, _ in names):
        return None
    return _dedupe([name for name, _ in sorted(names, key=lambda kv: -kv[1])])[:MAX_CANDIDATES]


def _names_from_value(value: Any, *, depth: int = 0) -> list[str] | None:
    """Names held by a JSON value (None when the value holds no name-like field)."""
    if depth > 3:
        return None
    if isinstance(value, str):
        names = _parse_text(value)
        whole = value.strip(" .")  # {"answer": "love in the mist"}: the field holds one name
        if names and _LOWERCASE_NAME.fullmatch(whole) and whole.startswith(names[0] + " "):
            return _dedupe([whole, *names])
        return names
    if isinstance(value, list):
        names: list[str] = []
        for item in _by_score(value[: MAX_CANDIDATES * 2]):
            names.extend(_names_from_value(item, depth=depth + 1) or [])
        return _dedupe(names)
    if isinstance(value, dict):
        if len(value) == 1 and _TASK_TOKEN.fullmatch(str(next(iter(value)))):  # Florence-2: the
            return _names_from_value(next(iter(value.values())), depth=depth + 1)  # task's output,
            # {'<CAPTION>': 'a beagle dog sitting on the grass'}, whatever the task is called
        lowered = {
            str(k).casefold(): v for k, v in value.items()  # not a shop's taxonomy path:
            if not (str(k).casefold() in _BROAD_KEYS and isinstance(v, str) and _TAXONOMY_PATH.fullmatch(v))
        }  # {"brand": "Casio", "model": "F-91W", "category": "watches/digital"}
        if (arguments := _call_arguments(lowered)) is not None:
            return _names_from_value(arguments, depth=depth + 1)
        picks = [k for k in lowered if (m := _PICK_KEY.fullmatch(k)) is not None and _naming_key(m["rest"])]
        named = bool(picks) or any(k in lowered for k in _JSON_NAME_KEYS if k != "model")
        car = None if named else _make_and_model(lowered)
        if car is not None:
            fuller = (  # {"vehicle": "Fisker Karma Sedan 2012", "make": "Fisker", ...}
                v
                for k, v in lowered.items()
                if k not in ("make", "brand", "manufacturer", "model", "year")
                and isinstance(v, str)
                and not _JSON_META_KEY.search(k)
                and all(w in v.casefold().split() for w in car.casefold().split() if not re.fullmatch(_YEAR, w))
            )  # {"vehicle": "Dodge Challenger SRT8", ..., "year": 2011}: the vehicle's own words
            return _parse_text(next(fuller, car))
        declined = False
        kinds = [k for k, v in lowered.items() if _kind_key(k) and isinstance(v, str) and v.strip()]
        typed = [k for k in lowered if k.endswith("_type") and _kind_key(k.removesuffix("_type"))]  # "aircraft_type"
        for key in [*picks, *_JSON_NAME_KEYS]:  # {"breed_guess": [X, Y], "final_breed": Y}: the pick
            if key in lowered:
                if isinstance(lowered[key], str | int) and re.fullmatch(r"[\d\s–-]+", str(lowered[key])):
                    continue  # "Year range: 2003–2011\nBest guess: 2011": a year guessed, no name
                if key in _BROAD_KEYS and ((kinds and (_kind_of(lowered[key]) or any(
                        k.endswith("name") for k in kinds))) or typed):
                    continue  # {"food": "French Fries", "category": "Side dish"}, {"product_name":
                    # "Leica M6", "category": "35mm rangefinder film camera"}, {"aircraft_type": X,
                    # "category": "wide-body twin-engine airliner"}
                names = _names_from_value(lowered[key], depth=depth + 1)
                if key in _FINAL_KEYS and (lowered[key] is None or names == []):
                    return []  # {"candidates": [...], "final_answer": null}: none was chosen
                declined = declined or lowered[key] is None or (names == [] and not _MIXED.fullmatch(str(lowered[key])))
                if names == [] and isinstance(lowered[key], str):
                    if key in _BROAD_KEYS and lowered[key].strip():
                        declined = False  # {"aircraft": "Cessna 172", "category": "single-engine"}
                    continue  # {"species": "cat", "prediction": "Abyssinian"}: the next key
                if names is not None:
                    names = _common_first(_finer_first(names, lowered, key), lowered)
                    for other in ("alternatives", "candidates"):
                        names += _names_from_value(lowered.get(other), depth=depth + 1) or []
                    return _dedupe(names)
        if declined:
            return []  # {"species": null, "reason": "a distant silhouette"}
        if (scored := _scored_keys(value)) is not None:
            return scored  # {"Russian Blue": 0.84, "Chartreux": 0.10}
        strings = [v for k, v in value.items() if isinstance(v, str) and not _JSON_META_KEY.search(str(k))]
        nested = [v for v in value.values() if isinstance(v, dict | list)]
        objects = [  # {"objects": [{"name": "flower", "species": "saucer magnolia"}]}; not
            v for k, v in value.items()  # {"bird": "X", "alternatives": ["Y"]}
            if isinstance(v, list) and v and all(isinstance(item, dict) for item in v)
            and not _OTHERS_KEY.search(str(k)) and not _JSON_META_KEY.search(str(k))
        ]
        if len(strings) == 1:  # not {"flower": {...}, "certainty": "medium"}: how sure, no name;
            inner = [n for v in objects for n in _names_from_value(v, depth=depth + 1) or []]
            return _dedupe([*inner, *_parse_text(strings[0])])  # {"scene": "garden", "objects":
            # [{"name": "flower", "species": "saucer magnolia"}]}: the objects' names first
        fields = [  # {"vehicle": "Skoda Octavia", "years": "2013-2020"}: the first field, one
            (str(k).casefold(), v)  # keyed by a kind or a name first ({"make": "Kia",
            for k, v in value.items()  # "vehicle": "Kia Soul"})
            if isinstance(v, str) and not _JSON_META_KEY.search(str(k))
        ]
        fields.sort(key=lambda field: (not _kind_key(field[0]), _in_other_language(field[0]),
                                       _is_binomial(field[1].strip())))
        for key, text in fields:  # a common name before a Latin one ("scientific_name",
            # "bird_species"); a field without a name yields ({"vehicle_type": "motorcycle"})
            if names := _parse_text(text):
                return _dedupe(_common_first(_finer_first(names, lowered, key), lowered))
        if fields:
            return []
        if len(nested) == 1:
            return _names_from_value(nested[0], depth=depth + 1)
    return None


_MIXED = re.compile(r"(?i)\s*(?:mixed(?:[ -]breed)?|mix|cross(?:breed|bred)?|mongrel|mutt)\s*\.?\s*")  # "Breed: Mixed
# breed" over the mix's own field ("Likely mix: X × Y"): no decline
_TASK_TOKEN = re.compile(r"<[A-Z][A-Z_]*>")  # a Florence-2 task: "<CAPTION>", "<OD>"
_OTHERS_KEY = re.compile(r"(?i)altern|candidat|differential|other|similar|look|possib|second|runner|top_?\d")
_FIELD_VALUE_MAX = 100  # characters of a field value at most; longer values are prose
_SCORE_KEY = re.compile(r"(?i)probab|confiden|likelihood|score|chance|%")
_YAML_COMMENT = re.compile(r"[ \t]+#[ \t][^\n]*$")  # "decision: Birman   # colourpoint, overrides top-1"
_KEY_LINE = re.compile(  # "common_name: Kentucky Warbler", "- **Name:** Sweet William", "LABEL=X",
    # "Est. calories: 630 kcal", "Item ........ Caesar salad" (dot leaders)
    r"[ \t]*(?:[-*•][ \t]+)?[*_]{0,2}(?P<key>[A-Za-z][\w-]*\.?(?: [A-Za-z][\w-]*\.?){0,2})[*_]{0,2}"
    r"(?:[ \t]*[:：=]|[ \t]*\.{3,})[*_]{0,2}[ \t]*(?P<value>[^\n]*?)[ \t]*"
)
_MEASURE_CELL = re.compile(  # "Carbs 64 g", "Protein 14 g": a nutrient and its amount, no colon
    r"[ \t]*(?P<key>[A-Za-z][A-Za-z -]{0,20}?)[ \t]+(?!(?:19|20)\d\d[ \t]*$)"  # not a name and its
    r"(?P<value>~?\d[\d.,]*[ \t]*(?:[A-Za-z]{1,5}|%)?)[ \t]*"  # year: "Acura TSX Sedan 2012"
)
_TITLE_WORDS_MAX = 5  # a title line over an app's fields: "🍽️ Meal logged!", "Entry #4821"
_FIELD_SEPARATOR = re.compile(  # fields on one line: "Answer: X | Confidence: 0.8", "breed=X; conf=0.6"
    r"[ \t]+\|[ \t]+|;[ \t]*(?=[A-Za-z][\w-]*(?: [A-Za-z][\w-]*){0,2}[ \t]*[:：=])"
)
_COMMA_FIELD = re.compile(r",[ \t]+(?=[A-Za-z][\w-]*(?: [A-Za-z][\w-]*){0,2}[ \t]*[:：=])")
_TAG_ATTRS = r"""(?P<attrs>(?:\s+[A-Za-z][\w:-]*\s*=\s*(?:"[^"<>\n]*"|'[^'<>\n]*'))*)\s*"""
_TAG_FIELD = re.compile(  # "<breed>Chartreux</breed>", an unclosed "<answer>British Shorthair",
    r"<(?P<key>[A-Za-z][\w-]{0,30})"  # '<answer p="0.6">Saluki</answer>', '<bird name="Ruff"/>'
    + _TAG_ATTRS
    + r"(?:/>|>[ \t]*(?P<value>[^<>\n]{0,1000}?)[ \t]*(?:</(?P=key)>|(?=\n)|$))"  # a long <reasoning> too
)
_TAG_ATTR = re.compile(r"""(?P<key>[A-Za-z][\w:-]*)\s*=\s*["'](?P<value>[^"'<>\n]*)["']""")
_WRAPPER_TAG = re.compile(r"</?[A-Za-z][\w-]{0,30}" + _TAG_ATTRS + ">")  # "<result>", "</output>"
_RULER = re.compile(r"[ \t]*\|?[ \t:|-]*-{3,}[ \t:|-]*")


def _table_across(lines: list[str]) -> list[tuple[str, str]] | None:
    """The (key, value) pairs of a table of one row under a header of field keys ("| Make |
    Model | Year |" over "| Spyker | C8 | 2009 |"); None for any other lines."""
    if len(lines) != 2 or not all(ln.strip().startswith("|") and ln.strip().endswith("|") for ln in lines):
        return None
    head, row = ([c.strip(" *_") for c in ln.strip().strip("|").split("|")] for ln in lines)
    if len(head) != len(row) or len(head) < 2 or not any(_naming_key(_field_key(k)) for k in head):
        return None
    return list(zip(head, row, strict=True))


def _title_line(line: str) -> bool:
    """True for a short line that titles an app's fields ("🍽️ Meal logged!", "Entry #4821",
    "Plate analysis:"); not a field, a heading or a bold label ("## Identification: X",
    "**Identification**")."""
    return (len(line.split()) <= _TITLE_WORDS_MAX and _KEY_LINE.fullmatch(line) is None
            and re.search(r"[:：]\s*\S", line) is None and not line.lstrip().startswith(("#", "*", "_")))


def _field_layout(text: str) -> dict[str, str] | None:
    """The fields of an answer written wholly as labelled values, keyed in snake case:
    key-value lines (YAML, "- **Name:** X", "Answer: X | Confidence: 0.8"), XML-like tags
    or a two-column table of attributes; None when any line is prose."""
    body = _unfenced(text).strip()
    tags = list(_TAG_FIELD.finditer(body))
    table = False
    if tags and not _WRAPPER_TAG.sub("", _TAG_FIELD.sub("", body)).strip():
        pairs = [pair for m in tags for pair in _tag_pairs(m)]
    else:
        raw = [ln for ln in body.split("\n") if ln.strip()]
        headed = len(raw) > 1 and _RULER.fullmatch(raw[1]) is not None  # "| Breed | Why ... |\n|---|---|"
        lines = _without_block_scalars([ln for ln in raw if not _RULER.fullmatch(ln)])
        rows = [_TABLE_LINE.fullmatch(ln) for ln in lines]
        scored = rows and rows[0] is not None and _SCORE_KEY.search(rows[0].group("value"))
        if (
            headed and len(rows) > 2 and rows[0] is not None
            and _naming_key(_field_key(rows[0].group("key").strip(" *_")))
            and not _naming_key(_field_key(rows[0].group("value").strip(" *_")))
        ):
            return None  # "| Breed | Why it's less likely |" over a ruler and rows: candidates and
            # reasons, not fields; but "| Common name | Scientific name |" over one row is a record
        if len(lines) > 2 and all(rows) and not scored:  # "| Attribute | Value |" heads rows
            pairs = [(m.group("key"), m.group("value")) for m in rows[1 if headed else 0 :] if m is not None]
            table = True
        elif (across := _table_across(lines)) is not None:  # "| Make | Model | Year |" over one row
            pairs, table = across, True
        else:
            if len(lines) > 3 and _title_line(lines[0]):
                lines = lines[1:]  # a title over the fields: "🍽️ Meal logged!\nfood: Ramen\n..."
            listed = _nested_list_lines(lines)
            cells = [(c, i in listed) for i, ln in enumerate(lines)
                     for cell in _FIELD_SEPARATOR.split(ln) for c in _comma_fields(cell)]
            matches = [(_KEY_LINE.fullmatch(c) or _MEASURE_CELL.fullmatch(c), nested) for c, nested in cells]
            if len(cells) < 2 or not all(m or nested for m, nested in matches):
                return None  # (a nested list may hold bare values: "alternatives:\n  - rabokki")
            pairs = [  # not the fields of a nested list: "alternatives:\n  - name: X"
                (m.group("key"), m.group("value")) for m, nested in matches if m is not None and not nested
            ]
    fields: dict[str, str] = {}
    for key, value in pairs:
        fields.setdefault(_field_key(key), value.strip(" *_"))
    if any(len(value) > _FIELD_VALUE_MAX and not _JSON_META_KEY.search(key)
           and not (table and not _naming_key(key)) for key, value in fields.items()):
        return None  # "**Overall Impression:** Small, finch-like songbird with ...": prose;
        # not "reasoning: <a sentence>" beside "common_name: Black Morel", nor a table's
        # described features ("| Flower shape | Flat, rounded, moth-like, with ... |")
    named = any(  # a field that holds the name, short: not "Initial guess: ... Check: ..."
        _naming_key(key) and 0 < len(value.split()) <= hygiene._NAME_WORDS_MAX
        for key, value in fields.items()
    )
    return fields if named else None


_BLOCK_SCALAR = re.compile(r"[ \t]*[A-Za-z_][\w -]{0,39}:[ \t]*[>|][-+]?[ \t]*")  # "notes: >"


def _without_block_scalars(lines: list[str]) -> list[str]:
    """``lines`` of YAML without its block scalars ("notes: >" or "why: |" and the lines
    indented under it): prose a field holds, never a name."""
    kept, block_indent = [], None
    for line in lines:
        indent = len(line) - len(line.lstrip(" \t"))
        if block_indent is not None and indent > block_indent:
            continue
        block_indent = indent if _BLOCK_SCALAR.fullmatch(line) else None
        if block_indent is None:
            kept.append(line)
    return kept


def _nested_list_lines(lines: list[str]) -> set[int]:
    """Indices of ``lines`` inside a list nested under a field ("alternatives:\n  - name: X\n
    confidence: 0.2"): indented past the first lines' margin, from a "- " item on."""
    margin = min((len(ln) - len(ln.lstrip(" \t")) for ln in lines), default=0)
    nested, inside = set(), False
    for i, line in enumerate(lines):
        deeper = len(line) - len(line.lstrip(" \t")) > margin
        inside = deeper and (inside or line.lstrip(" \t").startswith(("- ", "* ")))
        if inside:
            nested.add(i)
    return nested


_CSV_HEADER = re.compile(r"[ \t]*[A-Za-z_ ]{1,30},[ \t]*[A-Za-z_ ]{1,30}[ \t]*")  # "name,score"
_CSV_ROW = re.compile(  # 'Horned Grebe,0.62', '"Anna's Hummingbird",0.57', 'abyssinian,71%'
    r"""[ \t]*"?(?P<name>[^,"\n]{2,60}?)"?[ \t]*,[ \t]*(?P<score>\d{0,3}(?:\.\d+)?)[ \t]*%?[ \t]*"""
)


def _csv_names(text: str) -> list[str] | None:
    """The names of an answer written as comma-separated rows of a name and a score, with or
    without a header ("name,score\nHorned Grebe,0.62\nEared Grebe,0.31"), best first; None
    when any line is something else."""
    lines = [ln for ln in _unfenced(text).strip().split("\n") if ln.strip()]
    if lines and _CSV_HEADER.fullmatch(lines[0]) and not _CSV_ROW.fullmatch(lines[0]):
        lines = lines[1:]
    rows = [_CSV_ROW.fullmatch(ln) for ln in lines]
    if len(rows) < 2 or not all(row is not None and row.group("score") for row in rows):
        return None
    ranked = sorted(rows, key=lambda row: -float(row.group("score")))  # stable: ties keep order
    return _dedupe([name for row in ranked for name in _parse_text(row.group("name"))[:1]])


_CSV_CELL = r"[ \t]*[A-Za-z_][\w ]{0,30}"  # a field name of a header: "species", "scientific_name"
_CSV_HEAD = re.compile(_CSV_CELL + r"(?P<sep>[,;])" + _CSV_CELL + r"(?:(?P=sep)" + _CSV_CELL + r")*[ \t]*")
_NUMBER = re.compile(r"\s*\d{1,3}(?:\.\d+)?\s*%?\s*")


def _csv_records(text: str) -> list[dict[str, Any]] | None:
    """The rows of a comma- or semicolon-separated table with a header of field names, as records keyed
    by the fields in snake case ("species,scientific_name,confidence\nLoggerhead
    Shrike,Lanius ludovicianus,0.82"), numbers as numbers; the block may be fenced or the
    first paragraph of an answer that goes on in prose. None when there is no such table."""
    blocks = ([m.group("body") for m in _FENCE.finditer(text)]
              or [re.split(r"\n[ \t]*\n", text.strip(), maxsplit=1)[0]])
    for block in blocks:
        lines = [ln for ln in block.strip().split("\n") if ln.strip()]
        head_line = _CSV_HEAD.fullmatch(lines[0]) if len(lines) >= 2 else None
        if head_line is None:
            continue
        rows = list(csv.reader(lines, delimiter=head_line["sep"], skipinitialspace=True))  # "," or ";"
        head = [_field_key(cell) for cell in rows[0]]
        if len(head) < 2 or any(len(row) != len(head) for row in rows[1:]):
            continue
        return [{key: float(cell.strip().rstrip("%")) if _NUMBER.fullmatch(cell) else cell.strip()
                 for key, cell in zip(head, row, strict=True)} for row in rows[1:]]
    return None


def _yaml_records(text: str) -> dict[str, Any] | None:
    """An answer written as YAML with lists of records ("predictions:\n  - label: X\n
    confidence: 0.57\n  - label: Y ..."), as the dict it spells, numbers as numbers; None
    unless every line is a key, a list item or a field of the item above it."""
    lines = _without_block_scalars(
        [_YAML_COMMENT.sub("", ln) for ln in _unfenced(text).strip().split("\n") if ln.strip()]
    )
    fields: dict[str, Any] = {}
    items: list[dict[str, Any]] | None = None
    item_indent = -1  # where the "- " of the list's items sits; a field deeper in belongs to one
    for line in lines:
        m = _KEY_LINE.fullmatch(line)
        if m is None or ":" not in line or "*" in line or "•" in line:
            return None  # YAML, not markdown fields ("- **Black Rosy-Finch:** ...")
        key, value = _field_key(m["key"]), m["value"].strip(" \"'")
        parsed: Any = float(value.rstrip("%")) if _NUMBER.fullmatch(value) else value
        indent = len(line) - len(line.lstrip())
        if line.lstrip().startswith("- "):
            if items is None:
                return None
            items.append({key: parsed})
            item_indent = indent
        elif items and indent > item_indent:
            items[-1][key] = parsed
        elif not value:  # a list, or a mapping whose fields are read as the answer's own
            items = fields.setdefault(key, [])
        else:  # ("result:\n  top_k:\n    - breed: X\n  decision: Y": Y is no field of an item)
            fields[key], items = parsed, None
    fields = {k: v for k, v in fields.items() if v != []}
    return fields if any(isinstance(v, list) for v in fields.values()) else None


def _field_paragraph(text: str, *, tables_only: bool = False) -> list[str] | None:
    """The names of the one paragraph of an answer that is written as labelled fields (a
    two-column table of attributes, "Species: X" lines; with ``tables_only`` a table) amid
    prose; None when no paragraph, or more than one, names something so."""
    found = [names for m in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", _unfenced(text))
             if not (tables_only and not m.group(0).lstrip().startswith("|"))
             and (fields := _field_layout(m.group(0))) is not None
             and (names := _names_from_value(fields)) and _names_by_key(fields)]
    return found[0] if len(found) == 1 else None


def _names_by_key(fields: dict[str, Any]) -> bool:
    """True when a field keyed by a name or a kind names something, or the keys are names
    scored; not a table of attributes ("| Flower head | Perfectly spherical ... |", "| Centre |
    White stigma ... |", "| Texture | Spiky ... |") beside the prose that names."""
    return _scored_keys(fields) is not None or any(
        (_naming_key(key) or ((m := _PICK_KEY.fullmatch(key)) is not None and _naming_key(m["rest"])))
        and _names_from_value(value) for key, value in fields.items()
    )


def _comma_fields(cell: str) -> list[str]:
    """``cell`` split into the fields it holds on one line ("Car: Hyundai Tucson, Year:
    2015, Confidence: 70%"), when every part is a field that names or qualifies; else
    ``[cell]`` (not "Answer: X — no, correcting: Y")."""
    parts = _COMMA_FIELD.split(cell)
    keys = [_field_key(m.group("key")) if (m := _KEY_LINE.fullmatch(part)) else None
            for part in parts]
    known = all(k is not None and (_naming_key(k) or _JSON_META_KEY.search(k)) for k in keys)
    return parts if len(parts) > 1 and known else [cell]


def _tag_pairs(tag: re.Match[str]) -> list[tuple[str, str]]:
    """The fields of one XML-like tag: its text under its own key, then its attributes
    ('<bird common="Ruff" latin="Calidris pugnax"/>' -> bird: Ruff, common: Ruff, latin: ...);
    a tag without text takes the value of its first attribute that is not a score or a note,
    and a wrapper tag ("<result>" on a line of its own) gives none."""
    attrs = [(m.group("key"), m.group("value")) for m in _TAG_ATTR.finditer(tag.group("attrs"))]
    value = tag.group("value") or next(
        (v for k, v in attrs if v.strip() and not _JSON_META_KEY.search(k)), ""
    )
    return ([(tag.group("key"), value)] if value else []) + attrs


def _naming_key(key: str) -> bool:
    """True for a field key that holds a name ("species", "common_name", "flower", "model",
    "Type: Ilyushin Il-76TD")."""
    return (key in _JSON_NAME_KEYS or _kind_key(key)
            or key in ("make", "brand", "manufacturer", "model", "variant", "type"))


_LANGUAGE_SUFFIX = re.compile(r"_(?P<language>en|eng|english|zh|cn|ja|jp|ko|kr|native|local)$")


def _in_other_language(key: str) -> bool:
    """True for a field key marked as holding a name in a language other than English
    ("dish_name_zh" beside "dish_name_en")."""
    m = _LANGUAGE_SUFFIX.search(key)
    return m is not None and m["language"] not in ("en", "eng", "english")


def _kind_key(key: str) -> bool:
    """True for a field key naming the kind of thing or a name ("vehicle", "flower",
    "common_name", "bird_species", "dog_breed", "likely_id", "leaf_id"); not a plural ("Flowers: red tubes" describes
    them)."""
    key = _LANGUAGE_SUFFIX.sub("", key)  # "species_en", "dish_name_zh"
    *before, head = key.rsplit("_", 2)[-2:]
    return (
        (head in CATEGORY_WORDS and not head.endswith("s") and not (before and before[0] in ADJECTIVES))  # not
        # "Open flower: pale blue ...", a state of the flower
        or head in ("species", "breed", "variant", "cultivar", "food", "product")  # not "family"; "Likely cultivar"
        or key in ("object", "item", "title", "landmark", "monument", "instrument", "artwork")
        or key.endswith("name")
        or re.fullmatch(rf"(?!(?:{'|'.join(RECORD_WORDS)})_)[a-z]+_id", key) is not None  # "likely_id", "Leaf
        # ID: Ginkgo"; not "image_id"
    )


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
