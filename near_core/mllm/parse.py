"""Parse raw multimodal-LLM answers into candidate class names.

MLLM output is untrusted text: the parser never evaluates it, never raises on a string, and
returns plain printable names of at most NAME_MAX characters, at most MAX_CANDIDATES of them.

Answers come as JSON (structured output, possibly fenced, possibly with raw control characters
inside strings) or as free text: a preamble ("The bird in the image is a **Horned Puffin**
(*Fratercula corniculata*)..."), reasoning that ends in a final answer, lists of candidates,
several names ("either A or B"), Latin names only, refusals. Candidates, best first:

1. an explicit final answer ("Final answer: X", "**Answer:** X", "Breed: X");
2. names introduced by an identifying phrase ("is a X", "appears to be X", "resembles X",
   "ist ein X") and bold names, in order of appearance; when the answer opens with reasoning,
   the last concluding sentence ("Therefore, it is a X") comes first; a more specific later
   name ("a Shearwater, specifically a Short-tailed Shearwater") replaces a generic one;
3. short Title-Case list items ("1. Horned Puffin");
4. for a one-line answer without such phrases, the answer itself ("Horned Puffin").

Names are cleaned: markdown, quotes and trailing punctuation dropped; a parenthesised (Latin)
name dropped when a common name is present; plurals after "are" made singular. An answer that
names nothing (a refusal, "unknown", "I cannot determine...") gives [].
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

NAME_MAX = 80
"""Longest name returned, in characters (longer names are cut at a word boundary)."""

MAX_CANDIDATES = 5
"""Most candidates returned per answer."""

TEXT_MAX = 20_000
"""Characters of an answer that are examined (the head and tail of longer answers)."""

_NAME_WORDS_MAX = 8
_WINDOW = 300  # characters around an identifying phrase that are examined

_JSON_NAME_KEYS = (
    "label",
    "name",
    "species",
    "breed",
    "answer",
    "final_answer",
    "class",
    "class_name",
    "common_name",
    "prediction",
    "category",
)

_GENERIC_WORDS = """
    a an the this that it its bird birds dog dogs cat cats animal animals breed breeds species
    image picture photo photograph object objects unknown none null nil n/a na nothing
    unidentified undetermined unclear uncertain not sure unsure other others various mixed mix
    mixed-breed puppy puppies canine canines flower flowers plant plants car cars vehicle
    aircraft airplane item thing specimen subject individual answer label name class yes no
    true false note key features characteristics identification analysis conclusion summary
    sure okay ok hello hi certainly step
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
_FUNCTION_WORDS_TEXT = """
    i i'm it it's is are was be been this that these those to on at in for with by from look
    looks based think see seems appears can could would should will not no
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())

_REFUSAL = re.compile(
    r"\b(?:can ?not|can't|cannot|unable to|not able to|impossible to|not possible to|"
    r"don't know|do not know|not sure|unsure|unknown|unidentifiable|no (?:bird|dog|animal)s?\b|"
    r"sorry|i apologi[sz]e|not clear enough|insufficient)",
    re.IGNORECASE,
)

# Lower-case words that may sit inside a multi-word name ("Black and Tan Coonhound").
_CONNECTORS = frozenset({"and", "of", "de", "du", "des", "del", "della", "la", "le", "von", "van"})
_ABBREVIATIONS = frozenset({"St.", "Mt.", "Ste."})
_LATIN_EPITHET = re.compile(
    r"^[a-z]{3,}(?:us|um|ae|ii|ensis|atus|ata|atum|ina|inus|ana|anus|alis|aris|icus|ica|"
    r"oides|ops|orum|arum|is|ax|ix|or|ilus|ulus|ula|ella)$"
)

# Words skipped between an identifying phrase and the name ("is most likely a young X").
_PREFIX = re.compile(
    r"^(?:(?:most|more|very|highly|quite|likely|probably|possibly|definitely|clearly|actually|"
    r"indeed|specifically|certainly|perhaps|maybe|either|rather|also|of|an?|the|ein|eine|einen|"
    r"un|une|una|uno|el|le|la|il|"
    # lower case only: "Three-toed", "Male Mallard Duck" may be (part of) a name
    r"(?-i:both|all|two|three|four|several|male|female|young|juvenile|adult|immature|baby|"
    r"breeding|non-breeding|purebred)|"
    r"(?:member|type|kind|species|breed|variety|form|sort|pair)\s+of)\s+)*",
    re.IGNORECASE,
)
_IDENT = re.compile(
    r"(?<![\w'])(?P<verb>is|are|was|were|be|being|it's|that's|looks? (?:most |more )?like|"
    r"resembles?|resembling|(?:(?:identif|classif|recogni[sz]|distinguish)\w*"
    r"(?: (?:it|this|that|them|the)(?: \w+)?)?|known|described) as|called|named|"
    r"consistent with|indicative of|suggestive of|characteristics? of|typical of|matches|like|"
    r"specifically|namely|rather|instead|shows?|depicts?|features|"
    r"(?:photo|photograph|picture|image) of|ist|est|es|è|é)\s+",
    re.IGNORECASE,
)
_PLURAL_PREFIX = re.compile(r"\s*(?:both|all|two|three|four|several|pair of)\s", re.IGNORECASE)
_ARTICLE_END = re.compile(
    r"(?:^|\s)(?:an?|the|ein|eine|einen|un|une|una|uno|el|le|la|il)\s+$", re.IGNORECASE
)
_CORRECTION = re.compile(r"\b(?:actually|more likely|rather|instead)\s+\S*\s*$", re.IGNORECASE)
_RANK_WORD = re.compile(r"^(?:genus|family|subfamily|order|suborder|tribe|group)\b", re.IGNORECASE)
_PLURAL_VERBS = frozenset({"are", "were", "look like", "resemble"})
_NEGATION = re.compile(r"(?:\bnot|n't|\bnever)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_REFINEMENT = re.compile(
    r"^\s*,?\s*(?:and\s+)?(?:more\s+)?(?:specifically|namely|precisely)\s*,?\s+", re.IGNORECASE
)
_ALTERNATIVE = re.compile(
    r"^\s*(?:,\s*|\s)(?:or|and/or|oder|ou|o)\s+(?:possibly\s+|perhaps\s+|maybe\s+)?|^\s*,\s+(?=\S)",
    re.IGNORECASE,
)
_AFTER_NAME = re.compile(r"^\s*(?:\([^()\n]{0,200}\)|\*[^*\n]{1,80}\*|_[^_\n]{1,80}_(?!\w))")
_LOWERCASE_SPAN = re.compile(r"(?P<span>[^\W\d_][\w' -]{0,60}?)(?=\s*(?:[.!?(\n]|$))")
_TRAILING_GENERIC = re.compile(
    r"(?:\s+(?:breed|breeds|species|family|genus|mix|puppy|puppies|variety))+$"
)
_FINAL = re.compile(
    r"(?im)^[ \t>#*_-]*+(?:\d+[.)]\s*+)?[*_]*+"
    r"(?:(?:most likely|likely|probable|predicted|best|my|the|top|final)\s+)*"
    r"(?:final answer|answer|final|conclusion|identification|(?:identified )?(?:species|breed)"
    r"(?: identified| identification| name)?|prediction|result|label|classification|guess)"
    r"\s*[*_]*\s*[:：]\s*[*_]*\s*(?P<rest>[^\n]*)"
)
_ANSWER_TAG = re.compile(
    r"<answer>\s*(?P<rest>[^<]{0,500}?)\s*</answer>|\\boxed\{(?P<boxed>[^{}\n]{0,200})\}",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"^\W*(?P<name>[^\n]{1,100}?)\s+(?:is|appears|looks|seems)\b")
_CONCLUSION = re.compile(
    r"(?i)^\W*(?:therefore|thus|hence|so|in conclusion|in summary|to summari[sz]e|to conclude|"
    r"overall|consequently|all in all|my answer|the answer|based on|given|considering|"
    r"after|taking)\b"
)
_BOLD = re.compile(r"\*\*(?P<a>(?:[^*\n]|\*(?!\*)){1,300}?)\*\*|__(?P<b>[^_\n]{1,300}?)__")
_ITALIC_START = re.compile(r"^\*(?P<a>[^*\n]{1,120}?)\*|^_(?P<b>[^_\n]{1,120}?)_(?!\w)")
_LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*+•]|\d+[.)])[ \t]+(?P<item>[^\n]+)$")
_SENTENCE_END = re.compile(r"(?<!\bSt)(?<!\bMt)(?<!\bSte)[.!?](?=\s|$)|\n")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n?(?P<body>.*?)```", re.DOTALL)
_TOKEN = re.compile(r"^[\"'(]*(?P<core>.*?)(?P<tail>[\"'),.;:!?]*)$", re.DOTALL)
_EDGE_PUNCT = " \"'.,;:!?-–—"


@dataclass(frozen=True)
class _Mention:
    """A candidate name found at ``pos`` in the answer, in sentence number ``sentence``
    (-1: not in running text); ``conclusion``: the sentence concludes ("Therefore, ...");
    ``correction``: the name corrects an earlier one ("... is actually a X")."""

    pos: int
    name: str
    sentence: int = -1
    conclusion: bool = False
    correction: bool = False


# ----------------------------------------------------------------------------- text hygiene


def _printable(text: str) -> str:
    """``text`` with every non-printable character except newline turned into a space."""
    return "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if len(text) > TEXT_MAX:
        half = TEXT_MAX // 2
        text = text[:half] + "\n" + text[-half:]
    _, closed, after_thinking = text.rpartition("</think>")
    if closed and after_thinking.strip():  # a reasoning model's answer follows its thoughts
        text = after_thinking
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _printable(text)


def name_key(name: str) -> str:
    """Comparison key of a name: case-folded letters and digits only ("Black-footed
    Albatross", "black footed albatross" and "BlackFooted Albatross" share a key)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", name).casefold())


def _strip_markdown(text: str) -> str:
    text = re.sub(r"[*`]+", "", text)
    text = re.sub(r"(?<!\w)_+|_+(?!\w)", " ", text)
    return re.sub(r"^[\s#>]+", "", text)


def _clean_name(raw: str) -> str | None:
    """A candidate span as a plain name, or None when it is no usable name.

    Drops markdown, brackets, a parenthesised (Latin) name when something else remains,
    leading articles, trailing generic words ("breed"), quotes and trailing punctuation; caps
    the length at NAME_MAX.
    """
    text = _strip_markdown(_printable(raw).replace("\n", " "))
    without = _PARENS.sub(" ", text)
    inner = _PARENS.findall(text)
    text = inner[0][1:-1] if inner and not without.strip(_EDGE_PUNCT) else without
    text = " ".join(re.sub(r"[()\[\]{}<>]", " ", text).split())
    text = re.sub(r"^(?:(?:an?|the)\s+)+", "", text, flags=re.IGNORECASE)
    text = _TRAILING_GENERIC.sub("", text.strip(_EDGE_PUNCT)).strip(_EDGE_PUNCT)
    words = text.split()
    if not words or len(words) > _NAME_WORDS_MAX or not any(ch.isalpha() for ch in text):
        return None
    if all(w.casefold() in _GENERIC for w in words if not w[:1].isdigit()):
        return None
    if len(text) > NAME_MAX:
        cut = text[:NAME_MAX]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(_EDGE_PUNCT)
    return text or None


# ----------------------------------------------------------------------------- name spans


def _split_token(token: str) -> tuple[str, str]:
    m = _TOKEN.match(token)
    return (m.group("core"), m.group("tail")) if m else (token, "")


def _title_case(name: str) -> bool:
    """True for names written as proper names: "Horned Puffin", "Black and Tan Coonhound",
    "Audi A6 2012"."""
    words = name.split()
    return any(_is_capitalised(w) for w in words) and all(
        _is_capitalised(w) or w[:1].isdigit() or w in _CONNECTORS for w in words
    )


def _is_capitalised(word: str) -> bool:
    """True for words that can start or continue a name: "Puffin", "Wood-Pewee", "角海鹦"."""
    return bool(word) and word[0].isalpha() and not word[0].islower()


def _capitalised_run(rest: str) -> tuple[str | None, str]:
    """The leading run of capitalised words of ``rest`` (a name in running text, or a Latin
    binomial) and the text after it."""
    tokens = re.split(r"(\s+)", rest.lstrip())
    words: list[str] = []
    consumed = 0
    for i in range(0, len(tokens), 2):
        token = tokens[i]
        if token.startswith("("):
            break
        core, tail = (token, "") if token in _ABBREVIATIONS else _split_token(token)
        connects = (  # "Black and Tan": a connector between capitalised words
            core in _CONNECTORS
            and words
            and not tail
            and i + 2 < len(tokens)
            and _is_capitalised(_split_token(tokens[i + 2])[0])
        )
        epithet = (  # "Larus argentatus": a Latin binomial
            len(words) == 1 and _LATIN_EPITHET.match(core) and tail[:1] in ("", *".,;:)!?")
        )
        model_number = bool(words) and core[:1].isdigit()  # "Boeing 747-400", "Audi A6 2012"
        year = not words and re.fullmatch(r"(?:19|20)\d\d", core) is not None  # "a 2012 Audi"
        if not (_is_capitalised(core) or connects or epithet or model_number or year):
            break
        words.append(core)
        consumed = i + 1
        if tail:
            break
    if not any(_is_capitalised(w) for w in words):
        return None, rest
    return " ".join(words), "".join(tokens[consumed:])


def _lowercase_span(rest: str) -> str:
    """A name written in lower case at the start of ``rest``: one to four words that end
    the sentence or precede a parenthesis ("is a keeshond.", "a member of the cormorant
    family (Phalacrocoracidae)"); "" for descriptions ("a small, fluffy dog", "a bird with
    ...", "a medium-sized dog")."""
    m = _LOWERCASE_SPAN.match(rest)
    if m is None:
        return ""
    span = _TRAILING_GENERIC.sub("", m.group("span").rstrip())  # "an english setter puppy"
    words = span.split()
    if not 0 < len(words) <= 4 or words[-1].casefold() in _GENERIC:
        return ""
    if any(w.casefold() in _FUNCTION_WORDS or w.casefold() in _GENERIC for w in words[:-1]):
        return ""
    return span


def _leading_name(rest: str, *, allow_lowercase: bool) -> tuple[str | None, str]:
    """The name at the start of ``rest`` (bold or italic span, capitalised words, or with
    ``allow_lowercase`` a short lower-case phrase) and the text after it."""
    m = _BOLD.match(rest) or _ITALIC_START.match(rest)
    if m is not None:
        return _clean_name(m.group("a") or m.group("b") or ""), rest[m.end() :]
    run, after = _capitalised_run(rest)
    if run is not None:
        return _clean_name(run), after
    if allow_lowercase and (span := _lowercase_span(rest)):
        return _clean_name(span), rest[len(span) :]
    return None, rest


def _word_keys(name: str) -> list[str]:
    return [k for k in (name_key(w) for w in re.split(r"[\s\-]+", name)) if k]


def _specialises(specific: str, generic: str) -> bool:
    """True when ``specific`` ends with all of ``generic``'s words and has more
    ("Short-tailed Shearwater" specialises "Shearwater")."""
    s, g = _word_keys(specific), _word_keys(generic)
    return len(s) > len(g) > 0 and s[-len(g) :] == g


def _singular(name: str, words_used: frozenset[str]) -> str:
    """``name`` with its last word made singular ("Clumber Spaniels" -> "Clumber Spaniel"),
    preferring the form that the answer uses (``words_used``: its words in lower case;
    "Collies" -> "Collie")."""
    words = name.split()
    last = words[-1]
    low = last.lower()
    if low.endswith("ies") and len(low) > 4:
        variants = [last[:-3] + "y", last[:-1]]
    elif low.endswith(("ches", "shes", "sses", "xes")):
        variants = [last[:-2]]
    elif low.endswith("s") and not low.endswith("ss") and len(low) > 3:
        variants = [last[:-1]]
    else:
        return name
    for variant in variants:
        if variant.lower() in words_used:
            return " ".join([*words[:-1], variant])
    if low.endswith("us"):  # "Platypus": singular unless the text says otherwise
        return name
    return " ".join([*words[:-1], variants[0]])


def _span_names(
    rest: str, *, allow_lowercase: bool, plural: bool, words_used: frozenset[str]
) -> list[str]:
    """Names at the start of ``rest``, the text right after an identifying phrase: the name,
    refined by a more specific one ("X (most likely the Common X)", "X, specifically Y"), then
    alternatives ("A or B", "A, B, or C"). A lower-case name is taken only with
    ``allow_lowercase`` and after an article ("is a frigatebird")."""
    names: list[str] = []
    prefix = _PREFIX.match(rest.lstrip())
    prefix_text = prefix.group(0) if prefix else ""
    rest = rest.lstrip()[len(prefix_text) :]
    if _RANK_WORD.match(rest):
        return []  # "a member of the genus Zosterops" names a genus, not the class
    allow_lowercase = allow_lowercase and _ARTICLE_END.search(" " + prefix_text) is not None
    while len(names) < MAX_CANDIDATES:
        name, after = _leading_name(rest, allow_lowercase=allow_lowercase and not names)
        if name is None:
            break
        paren = re.match(r"^\s*\(([^()\n]{0,200})\)", after)
        if paren is not None:
            inner = _PREFIX.sub("", paren.group(1).strip(" *_"), count=1)
            inner_name, _ = _leading_name(inner, allow_lowercase=False)
            if inner_name is not None and _specialises(inner_name, name):
                name = inner_name
        after = _AFTER_NAME.sub("", after, count=1)
        refinement = _REFINEMENT.match(after)
        if refinement is not None:
            tail = _PREFIX.sub("", after[refinement.end() :], count=1)
            refined, tail = _leading_name(tail, allow_lowercase=False)
            if refined is not None:
                name, after = refined, _AFTER_NAME.sub("", tail, count=1)
        names.append(_singular(name, words_used) if plural else name)
        alternative = _ALTERNATIVE.match(after)
        if alternative is None:
            break
        rest = _PREFIX.sub("", after[alternative.end() :], count=1)
    return names


# ----------------------------------------------------------------------------- candidates


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of ``text``; line breaks also end sentences."""
    out = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[start : m.end()].strip():
            out.append((start, text[start : m.end()]))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:]))
    return out


def _words_used(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[^\W_][\w'-]*", text.lower()))


def _identified(text: str, *, allow_lowercase: bool) -> list[_Mention]:
    """Names that follow identifying phrases, in order of appearance."""
    mentions = []
    words_used = _words_used(text)
    for index, (start, sentence) in enumerate(_sentences(text)):
        conclusion = bool(_CONCLUSION.match(_strip_markdown(sentence)))
        for m in _IDENT.finditer(sentence):
            before = sentence[max(0, m.start() - _WINDOW) : m.start()]
            after = sentence[m.end() : m.end() + _WINDOW]
            if _NEGATION.search(before) or re.match(r"\s*(?:not|n't)\b", after, re.IGNORECASE):
                continue
            verb = m.group("verb").lower()
            plural = (
                verb in _PLURAL_VERBS
                or (verb == "be" and re.search(r"\b(?:appear|seem)\s+to\s+$", before) is not None)
                or _PLURAL_PREFIX.match(after) is not None
            )
            correction = _CORRECTION.search(before[-40:] + m.group(0)) is not None or bool(
                re.match(r"\s*(?:more likely|actually|rather)\b", after, re.IGNORECASE)
            )
            names = _span_names(
                after, allow_lowercase=allow_lowercase, plural=plural, words_used=words_used
            )
            mentions.extend(
                _Mention(start + m.start(), name, index, conclusion, correction) for name in names
            )
    return mentions


def _final_answer(text: str) -> tuple[list[str], bool]:
    """Names after the last explicit answer marker that has content ("Final answer: X",
    "<answer>X</answer>", "\\boxed{X}"), and whether it gives a refusal ("Final answer:
    unknown")."""
    tagged = [m.group("rest") or m.group("boxed") or "" for m in _ANSWER_TAG.finditer(text)]
    marked = [m.group("rest") for m in _FINAL.finditer(text)]
    for rest in reversed(marked + tagged):  # a tag outranks a marker; the last one first
        rest = rest.strip()
        if not rest:
            continue
        names = [x.name for x in _identified(rest, allow_lowercase=True)]
        if not names and not re.search(r",|\bor\b", _PARENS.sub(" ", rest)):
            whole = _short_answer(_PREFIX.sub("", rest, count=1))  # "Final answer: X"
            names = [whole] if whole is not None else []
        names = names or _span_names(  # "Final answer: A or B"
            rest, allow_lowercase=True, plural=False, words_used=frozenset()
        )
        if names:
            return names, False
        words = _strip_markdown(rest).strip(_EDGE_PUNCT).casefold().split()
        if _REFUSAL.search(rest) or (words and all(w in _GENERIC for w in words)):
            return [], True
    return [], False


def _bold_names(text: str) -> list[_Mention]:
    """Bold spans that are names; headings ("**Coloration**:", "### **Key Features**") and
    lower-case phrases are skipped."""
    mentions = []
    for m in _BOLD.finditer(text):
        inner = m.group("a") or m.group("b") or ""
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[m.end() : m.end() + 4].lstrip(" *_").startswith((":", "：")):
            continue
        if inner.rstrip().endswith(":") or text[line_start : m.start()].lstrip().startswith("#"):
            continue
        if re.search(
            r"\b(?:genus|family|subfamily|order)\s+$", text[max(0, m.start() - 12) : m.start()]
        ):
            continue
        name = _clean_name(inner)
        if name is not None and _title_case(name):
            mentions.append(_Mention(m.start(), name))
    return mentions


def _list_names(text: str) -> list[str]:
    """List items that are short Title-Case names ("1. Horned Puffin", "- Tufted Puffin -
    less likely"); items that are headings ("1. Coloration: ...") are skipped."""
    names = []
    for m in _LIST_ITEM.finditer(text):
        item = _strip_markdown(m.group("item"))
        parts = re.split(r"(\s[-–—]\s|[:：]|\s\()", item, maxsplit=1)
        if len(parts) > 1 and parts[1] in (":", "："):
            continue
        name = _clean_name(parts[0])
        if name is not None and len(name.split()) <= 5 and _title_case(name):
            names.append(name)
    return names


def _short_answer(text: str) -> str | None:
    """The whole answer as a name, when it is one short line that reads as a name: Title
    Case ("Horned Puffin", "Fratercula corniculata" too) or a few plain words
    ("golden retriever"), not a sentence."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) != 1 or len(_PARENS.sub(" ", lines[0]).split()) > 6:
        return None
    name = _clean_name(lines[0])
    if name is None or ":" in name:
        return None
    words = name.split()
    if _capitalised_run(name)[0] == name:
        return name
    plain = len(words) <= 4 and not any(w.casefold() in _FUNCTION_WORDS for w in words)
    return name if plain else None


def _subject_name(text: str) -> str | None:
    """A Title-Case name that opens the answer: "Horned Puffin - a seabird...", "Horned
    Puffin\n\n...", "Horned Puffin is the bird in this image."."""
    first_line = text.strip().split("\n", 1)[0]
    parts = re.split(r"(\s[-–—]\s|[:.;!?]\s|[:.;!?]$)", first_line, maxsplit=1)
    if len(parts) > 1 and parts[1].strip().startswith(":"):
        return None  # a heading ("Possible species:", "Step 1:")
    head = parts[0]
    subject = _SUBJECT.match(head)
    name = _clean_name(subject.group("name") if subject else head)
    if name is None or len(name.split()) > 5:
        return None
    return name if _title_case(name) else None


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
            if len(out) == MAX_CANDIDATES:
                break
    return out


def _best_mention(mentions: list[_Mention], text: str) -> _Mention:
    """The mention to rank first: the first one, unless a later sentence corrects it ("is
    actually a X") or, when the answer opens with reasoning rather than a name, concludes it
    ("Therefore, it is a X"); then the first name of the last such sentence."""
    first = mentions[0]
    sentences = _sentences(text)
    opens_with_reasoning = first.pos >= sentences[0][0] + len(sentences[0][1])
    overriding = [
        m
        for m in mentions
        if m.sentence > first.sentence >= 0
        and (m.correction or (m.conclusion and opens_with_reasoning))
    ]
    if overriding:
        last = max(m.sentence for m in overriding)
        first = next(m for m in mentions if m.sentence == last)
    return first


def _parse_text(text: str) -> list[str]:
    """Candidate names in a free-text answer, best first."""
    text = _prepare(text)
    if not text.strip():
        return []
    final, refused = _final_answer(text)
    if refused:
        return []
    identified = _identified(text, allow_lowercase=False)
    mentions = sorted(identified + _bold_names(text), key=lambda m: m.pos)
    opening = [  # "The dog in the image is a keeshond." before any capitalised name
        m
        for m in _identified(text, allow_lowercase=True)
        if m.sentence <= 1
        and m.name == m.name.lower()
        and (not mentions or m.pos < mentions[0].pos)
    ]
    identified += opening
    mentions = sorted(mentions + opening, key=lambda m: m.pos)
    if not final and not identified:
        if _REFUSAL.search(text):
            return []
        if not mentions:
            short = None if _IDENT.search(text) else _short_answer(text)
            listed = _list_names(text)
            if short is not None or listed:
                return [short] if short is not None else _dedupe(listed)
            subject = _subject_name(text)
            if subject is not None:
                return [subject]
            mentions = _identified(text, allow_lowercase=True)
    names = [m.name for m in mentions] + _list_names(text)
    if mentions:
        best = _best_mention(mentions, text).name
        if len(_word_keys(best)) == 1:  # "a Poodle ... a Standard Poodle": the specific one
            best = next((n for n in names if _specialises(n, best)), best)
        names.insert(0, best)
    return _dedupe(final + names)


# ----------------------------------------------------------------------------- JSON


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
        for key in _JSON_NAME_KEYS:
            if key in lowered:
                names = _names_from_value(lowered[key], depth=depth + 1)
                if names is not None:
                    for other in ("alternatives", "candidates"):
                        names += _names_from_value(lowered.get(other), depth=depth + 1) or []
                    return _dedupe(names)
        strings = [v for v in value.values() if isinstance(v, str)]
        if len(strings) == 1:
            return _parse_text(strings[0])
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


def parse_answer(text: str) -> list[str]:
    """Candidate names in a raw MLLM answer, best first; [] when it names nothing.

    Accepts JSON answers (any common name key, or a single string value) and free text.
    Each name is plain printable text of at most NAME_MAX characters; at most
    MAX_CANDIDATES names. Never raises on a string; a non-string gives [].
    """
    if not isinstance(text, str):
        return []
    for value in _json_candidates(text[:TEXT_MAX]):
        names = _names_from_value(value)
        if names is not None:
            return names
    if "{" in text[:TEXT_MAX]:  # JSON that no parser accepts (truncated, say)
        for key in _JSON_NAME_KEYS[:5]:
            raw = _json_regex_value(text[:TEXT_MAX], key)
            if raw is not None:
                return _parse_text(raw)
    return _parse_text(text)
