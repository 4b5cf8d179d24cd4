"""Parse raw multimodal-LLM answers into candidate class names.

MLLM output is untrusted text: the parser never evaluates it, never raises on a string, and
returns plain printable names of at most NAME_MAX characters, at most MAX_CANDIDATES of them.

Answers come as JSON (structured output, possibly fenced, possibly with raw control characters
inside strings) or as free text in any domain: a preamble ("The bird in the image is a
**Horned Puffin** (*Fratercula corniculata*)..."), step-by-step reasoning with headings that
ends in a verdict, lists and tables of candidates, hedges ("either A or B", "similar to A or
B"), Latin names, names in lower case ("a globe thistle"), refusals. Candidates, best first:

1. an explicit final answer ("Final answer: X", "**Answer:** X", an "Answer" / "Verdict"
   heading with the name under it, "<answer>X</answer>");
2. names introduced by an identifying phrase ("is a X", "appears to be X", "similar to X",
   "I'd go with X", "ist ein X"), bold names, candidate-list items and a name that opens the
   answer, in order of appearance. Section headings ("**Step 1: ...**", "**Overall
   Impression:**", a bold line of its own in a structured answer), look-alikes the answer sets
   aside ("unlike the X", "the X is unlikely") and higher taxa ("the flycatcher family") rank
   last. When the answer opens with reasoning, the last verdict sentence ("Therefore, it is a
   X", "I can confidently identify it as a **X**") comes first; a correction ("is actually a
   X", "I lean towards X", "more precisely, X") replaces an earlier name; a more specific later
   name ("a Shearwater, specifically a Short-tailed Shearwater") replaces a generic one; a
   verdict on a hedge ("either A or B; the stripe suggests B", "most likely B", "on balance,
   B") puts B first, then A; a likeness is overridden by a plain statement after "but" ("it
   resembles X, but the nape shows it is Y"); a name the answer rules out anywhere ("the
   leaves rule out the X", "Not a X") is not first; a look-alike in a hedged or concessive
   clause gives way to the plain statement after it in the sentence ("Although it resembles
   a X, the line identifies it as a Y", "might suggest a X, but ..., so this is a Y"); a
   committed specific name after a generic one ("Stag beetle — most likely the European stag
   beetle") comes first; a labelled field that opens the answer ("Style: Chippendale.") is
   the answer;
3. for a one-line answer without such phrases, the answer itself ("Horned Puffin"), or its
   synonyms between slashes in order ("Hen of the woods / maitake").

Names are cleaned: markdown, quotes and trailing punctuation dropped; a parenthesised (Latin)
name dropped when a common name is present, and a Latin name glossed with a common name
("*Astrantia major*, commonly known as greater masterwort", "Echinops ritro (globe thistle)",
"a **Plumeria**, commonly known as **frangipani**") gives the common name first; category nouns after a name ("a Ragdoll cat", "the cheese in the
image ... a Stilton cheese") dropped, not the nouns that end common names ("poison dart frog",
"a common frog"); a style or the side of a finding before a name dropped ("Peruvian-style ceviche",
"a left pleural effusion"); plurals after "are" made singular ("these are two mallards" -> "mallard"); a
brand that opens lower-case before a capital ("iPhone 15 Pro") is a capitalised name; a
description that points back at a name ("the smaller model", "the former one") is none.
Lower-case names are read after an article ("a great tit"), as several words ("is pad
thai") or as one noun after a short subject ("The mineral in the photo is amethyst.",
"looks like quartz"; not "is tricky.").
An answer that names nothing (a refusal, "unknown", "I cannot determine...", a description
of the picture: "shows a cluster of dark berries on a branch", or a declined species
followed by a category: "I can't identify the specific dish. It is a bowl of noodle soup")
gives [], as do thoughts that a token limit cut off before they settled on a name. No rule
is tied to a domain's vocabulary: the cues are phrases, layout, the binomial form, category
nouns and word shapes (plurals, adjective endings).


The package, each module importing only those before it:

- :mod:`.hygiene`: text hygiene (printable text, NFKC, chat-template debris) and name
  cleaning (markdown, quotes, trailing categories, Latin glosses), ``name_key``, the limits;
- :mod:`.cjk`: answers written in Chinese, Japanese or Korean (copulas and verdict labels of
  those languages, a first guess dropped, the English gloss of the verdict);
- :mod:`.phrasebook`: answers written in other languages with Latin or Cyrillic letters (their
  copulas, category words, refinements, glosses and labels put into English cues);
- :mod:`.spans`: the name span after an identifying phrase (capitalised runs, lower-case
  names, hedges, refinements, plurals);
- :mod:`.mentions`: candidate mentions in an answer (identifying phrases, bold names, list
  items, the name that opens it, a one-line answer);
- :mod:`.verdict`: choosing the answer (an explicit final answer or labelled field, the best
  mention, revisions, take-backs, declines): ``_parse_text``;
- :mod:`.structured`: JSON answers (``parse_structured``, names in JSON values);
- this module: :func:`parse_answer` and the public names.
"""

from __future__ import annotations

import re

from near_core.mllm.parse.cjk import mainly_cjk, parse_cjk
from near_core.mllm.parse.hygiene import (
    _CJK,
    _SETTLED,
    _THINKING_END,
    MAX_CANDIDATES,
    NAME_MAX,
    TEXT_MAX,
    _cut_off_thoughts,
    _dedupe,
    _so_settled,
    _strip_markdown,
    after_thoughts,
    name_key,
)
from near_core.mllm.parse.phrasebook import english_cues
from near_core.mllm.parse.spans import _description, _specialises, _word_keys
from near_core.mllm.parse.structured import (
    _FENCE,
    _csv_names,
    _csv_records,
    _field_layout,
    _field_paragraph,
    _json_candidates,
    _json_regex_fields,
    _names_from_value,
    _yaml_records,
    parse_structured,
)
from near_core.mllm.parse.verdict import (
    _TAKING_BACK,
    _final_answer,
    _first_bold_phrase,
    _in_english,
    _parse_text,
    _restates_fields,
    _translated_first,
    _unless_declined,
)

__all__ = ["MAX_CANDIDATES", "NAME_MAX", "TEXT_MAX", "name_key", "parse_answer", "parse_structured"]


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
            return _revised_after(names, text[:TEXT_MAX])
    if (listed := _yaml_records(text[:TEXT_MAX])) is not None and (names := _names_from_value(listed)):
        return names  # "predictions:\n  - label: X\n    confidence: 0.57\n  - label: Y ..."
    fields = _field_layout(text[:TEXT_MAX])  # YAML lines, XML-like tags, attribute tables
    if fields is not None and (names := _names_from_value(fields)) is not None:
        return names
    if (rows := _csv_names(text[:TEXT_MAX])) is not None:  # "name,score" rows
        return rows[:MAX_CANDIDATES]
    records = _csv_records(text[:TEXT_MAX])  # "species,scientific_name,confidence" and rows
    if records is not None and (names := _names_from_value(records)):
        return names
    if "{" in text[:TEXT_MAX]:  # JSON that no parser accepts (truncated, say)
        fields = _json_regex_fields(text[:TEXT_MAX])
        if fields and (names := _names_from_value(fields)) is not None:
            return names
    if _cut_off_thoughts(text):
        return []  # the token limit ended the thoughts before any answer
    cjk = _CJK.search(text[:TEXT_MAX]) is not None and mainly_cjk(after_thoughts(text[:TEXT_MAX]))
    if cjk and (names := parse_cjk(text[:TEXT_MAX])) is not None:
        return _dedupe(names)  # "这是一只柴犬。", "この犬は秋田犬です。", after thoughts in English
    text = _INLINE_TAG.sub(r"\g<inner>", text)  # "a <name>Blanket Flower</name>": a tag around a word
    if "\n" not in text.strip() and (option := _OPTION_LETTER.match(text)) is not None:
        text = text[option.end() :]  # "C. Audi R8 Coupe 2012": a multiple-choice pick, by its letter
    text = english_cues(text)  # "Ini adalah anjing Kintamani" -> "This is a Kintamani"
    names = _descriptions_last(_specialised_fragment(text) or _parse_text(text))
    if names and len(names[0].split()) >= 3 and _CJK.search(names[0]) and (said := parse_cjk(text[:TEXT_MAX])):
        names = _dedupe([*said, *names])  # "이 새는 **Black-capped Chickadee**(...)입니다." with
        # more English than Korean: a Korean sentence is no name, its verdict is
    if names and (label := _last_answer_line(text[:TEXT_MAX])) is not None:
        names = _revised_after(names, text[:TEXT_MAX], end=label.end())  # "**Answer:** Shih Tzu\n\n
        # Wait — ... this is more likely a **Japanese Chin**"
    if (table := _field_paragraph(text[:TEXT_MAX], tables_only=True)) and not (
        names and set(_word_keys(names[0])) & set(_word_keys(table[0]))
        and not _specialises(table[0], names[0])  # "it's a moth" and "| Common name | Hummingbird
        # Hawk-moth |"; "| **Instrument** | Theremin |"; "| **Identification** | **Fire Lily** |"
        and not _glossed(table[0], text[:TEXT_MAX])  # with "The fire lily, also called flame lily"
    ) and not _final_answer(text[:TEXT_MAX])[0]:
        # amid prose that names other things; not where the prose names it again, fuller, or
        return _unless_declined(table, text[:TEXT_MAX])  # answers in so many words ("**Answer:** X")
    if not names and (block := _field_paragraph(text[:TEXT_MAX])) is not None:
        names = _unless_declined(block, text[:TEXT_MAX])  # fields amid prose that names
        # nothing ("| Identification | X |"); not "* **BMW X3**: compact ... I can't determine which"
    if not names and (bold := _first_bold_phrase(text[:TEXT_MAX])) is not None:
        names = _in_english([bold], text)  # "affected by **late blight**": names in lower case,
        # set in bold; "parece un **gato persa** (Persian)": the English one first
    return _translated_first(_settled_first(_finished_in_thoughts(names, text[:TEXT_MAX]), text), text[:TEXT_MAX])


def _glossed(name: str, text: str) -> bool:
    """True when ``text`` gives ``name`` other names ("The fire lily, also called flame lily")."""
    return re.search(re.escape(name) + _OTHER_NAMES_AFTER, text, flags=re.IGNORECASE) is not None


_OTHER_NAMES_AFTER = r"[*_]*,?\s+(?:also|sometimes|often|commonly)\s+(?:called|known as)\b"


def _settled_first(names: list[str], text: str) -> list[str]:
    """``names`` led by the name of thoughts a token limit cut off after a bare "So X." ("...
    So beagle. Next I'll describe the"), unless a later sentence names ``names[0]`` again
    ("So Datura stramonium. ... So the answer is thorn apple, ...")."""
    settled = _so_settled(text)
    if settled is None or (names and re.search(re.escape(names[0]), text[settled.end() :], flags=re.IGNORECASE)):
        return names
    cleaned = _parse_text(settled["name"])
    return _dedupe([cleaned[0], *names]) if cleaned else names


def _finished_in_thoughts(names: list[str], text: str) -> list[str]:
    """``names`` of an answer that the token limit cut mid-word after the closed thoughts
    ("... So final answer: petunia.</think>\n\n**Answer: Pe"): the thoughts' verdict where the
    answer gives no name or only the start of that one, or names nothing before the cut after
    thoughts that settled ("I'm fairly confident this is a X</think> ... sitting on the"); else,
    for an answer cut after a whole word ("... So American White Pelican.</think>\n\nAmerican
    White", "... is most likely a Black-capped"), the last fuller name in the thoughts that
    begins with those words."""
    thoughts, closed, answer = _THINKING_END.sub("</think>", text).rpartition("</think>")
    tail = _strip_markdown(answer).rstrip()
    if not (closed and tail[-1:].isalnum()):
        return names  # most answers: no closed thoughts, or an answer that ends its sentence
    if names:
        cut = names[0]
    elif answer.count("**") % 2 == 1:  # "The flower is a **Persian cyc"
        cut = ""
    elif capitals := _CAPITALISED_END.search(tail.rsplit("\n", 1)[-1]):  # "The bird is most likely
        cut = capitals[0]  # a Black-capped" (a run of capitals keeps to its line)
    elif _NO_SENTENCE_END.search(tail) and _SETTLED.search(thoughts):  # "... sitting on the": a
        cut = ""  # sentence cut before the name the thoughts settled on; not "... Answer: unknown"
    else:
        cut = None
    if cut is None or not tail.endswith(cut):
        return names
    settled = parse_answer(thoughts)
    word_cut = settled and re.match(re.escape(cut) + r"\w", settled[0], flags=re.IGNORECASE)  # "Tree Swal"
    if settled and (not cut or word_cut):
        return settled
    fuller = [  # "American White" after "... So American White Pelican.": the thoughts' name it began
        m[0] for m in re.finditer(re.escape(cut) + r"[ \t-]+[A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*)*", thoughts)
    ] if cut else []
    return _dedupe([*_parse_text(fuller[-1])[:1], *names]) if fuller else names


_CAPITALISED_END = re.compile(r"[A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*)*$")
_NO_SENTENCE_END = re.compile(r"(?i)\b(?:the|an?|of|on|in|at|with|and|or|to|is|are|its|their)$")  # "sitting on the"


_INLINE_TAG = re.compile(  # a tag closed on its line, after a word of prose; not an answer's own tag
    r"(?<=[^\s>]\s)<(?P<tag>(?!answer|final|think|reason|reflect|output)[a-z_]{2,20})>(?P<inner>[^<>\n]{1,120})</(?P=tag)>"
)
_OPTION_LETTER = re.compile(r"\s*[A-E][.)]\s+(?=[A-Z0-9][\w-]*\s+[A-Z0-9])")  # not "C. elegans"
_FRAGMENTS = re.compile(  # "Moth. Rosy maple moth.", with a third bare fragment at most
    r"\s*(?P<first>[^.!?\n]{2,40})\.\s+(?P<second>[^.!?\n]{2,80}?)(?:\.\s+[^.!?\n]{2,60})?[.!]?\s*"
)


def _specialised_fragment(text: str) -> list[str]:
    """The names of a terse answer of bare names where the second specialises the first
    ("Moth. Rosy maple moth.", "Ladybug. Two-spot ladybug. Adalia bipunctata"): the specific
    one first; [] for any other answer."""
    m = _FRAGMENTS.fullmatch(text[:TEXT_MAX])
    if m is None:
        return []
    first, second = _parse_text(m["first"]), _parse_text(m["second"])
    if first and second and (first[0], second[0]) == (m["first"].strip(), m["second"].strip()) \
            and _specialises(second[0], first[0]):
        return _dedupe([*second, *first])
    return []


_NOTE_LABEL = re.compile(r"(?i)^[\W_]*(?:note|update|edit|addendum)\s*[:：]\s*")


_ANSWER_LINE = re.compile(r"(?im)^[\W_]*(?:final\s+)?answer[*_]*\s*[:：][^\n]*$")


def _last_answer_line(text: str) -> re.Match[str] | None:
    """The last line of ``text`` that gives an answer with a label ("**Answer:** X")."""
    return next(reversed(list(_ANSWER_LINE.finditer(text))), None)


def _revised_after(names: list[str], text: str, *, end: int | None = None) -> list[str]:
    """``names`` of an answer given as JSON (or, with ``end``, on a labelled line ending
    there), after the name that prose following it revises it to ("```json {...}```
    Actually, looking again ..., this fits **Red-throated Loon** better"), or, after JSON, to
    the name it restates in full: the revision first."""
    fenced = end is None  # JSON, whose prose after it may restate the name in full
    if end is None:
        fence = _FENCE.search(text)
        end = fence.end() if fence is not None else text.rfind("}") + 1
    tail = text[end:].strip() if end > 0 else ""
    if not tail or not names:
        return names
    revised = _TAKING_BACK.match(_NOTE_LABEL.sub("", tail)) is not None
    restatable = fenced and _restates_fields(tail, names[0])  # the prose holds every word of the name
    if not (revised or restatable):
        return names  # most answers: no parse of the prose after them
    later = parse_answer(tail)  # the prose, or an updated JSON block after it
    restated = (  # '{"make": "Nissan", "model": "Leaf", "year": 2012}\nFull name: 2012 Nissan Leaf
        restatable and bool(later) and len(later[0]) > len(names[0]) and _restates_fields(later[0], names[0])
    )  # Hatchback': its own words in full
    return _dedupe([*later[:1], *names])[:MAX_CANDIDATES] if revised or restated else names


def _descriptions_last(names: list[str]) -> list[str]:
    """``names`` with a first one that describes rather than names ("barred", "painted
    white", "one traded as") after the first that names."""
    if not names or not _description(names[0]):
        return names
    first_name = next((i for i, name in enumerate(names) if not _description(name)), None)
    if first_name is None:
        return names
    return [*names[1 : first_name + 1], names[0], *names[first_name + 1 :]]
