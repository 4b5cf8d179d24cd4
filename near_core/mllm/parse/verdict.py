"""Choosing the answer: an explicit final answer or a labelled field, the best of the
candidate mentions (verdicts, revisions, take-backs, more specific later names), names the
answer rules out, declines, and the common name beside a Latin one: ``_parse_text``."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import Any

from near_core.mllm.lexicon import (
    BODY_STYLES,
    CATEGORY_WORDS,
    CLASS_WORDS,
    CLAUSE_WORDS,
    COUNT_WORDS,
    DESCRIPTIVE,
    FOREIGN_SEX_WORDS,
    FUNCTION_WORDS,
    GENERIC,
    HOLDER_NOUNS,
    OPENERS,
    PART_NOUNS,
    PERSON_NOUNS,
    RECORD_WORDS,
    SCENE_WORDS,
    SERVING_NOUNS,
    TIMES_OF_DAY,
    TINTS,
    UNNAMED_HEADS,
)
from near_core.mllm.parse.hygiene import (
    _ALIAS_LABEL,
    _ARROW,
    _BOXED,
    _CJK,
    _CJK_CHAR,
    _EDGE_PUNCT,
    _FAMILY,
    _JSON_META_KEY,
    _LATIN_IN_BRACKETS,
    _PARENS,
    _SEX_AGE,
    _YEAR,
    HEDGE,
    _acronym_of,
    _adjective_like,
    _clean_name,
    _dedupe,
    _is_binomial,
    _kind_name,
    _prepare,
    _strip_markdown,
    name_key,
    spaced_genera,
)
from near_core.mllm.parse.mentions import (
    _CONCLUSION,
    _IDENT,
    _LIST_ITEM,
    _POSSIBILITY,
    _QUESTION_WORD,
    _SENTENCE_END,
    _SENTENCE_REVISION,
    _TITLE_WITH_LATIN,
    _VERDICT,
    _WINDOW,
    _bare_phrase,
    _bold_names,
    _closing_bracket,
    _glossing_binomial,
    _identified,
    _is_structured,
    _likeliest,
    _list_mentions,
    _Mention,
    _opening_binomial,
    _opening_name,
    _section_title,
    _sentences,
    _short_answer,
    _slash_names,
    _subject_name,
    _verdict_before,
    _words_used,
)
from near_core.mllm.parse.phrasebook import foreign, foreign_name
from near_core.mllm.parse.spans import (
    _BOLD,
    _CONCESSIVE,
    _DESCRIBED_NAME,
    _FORMER_NAME,
    _LATIN_EPITHET,
    _PREFIX,
    _QUANTITY_OF,
    _RANK_WORD,
    _TINT,
    _VERSIONS,
    _capitalised_run,
    _described_refinement,
    _description,
    _leading_name,
    _lowercase_name,
    _nickname_of,
    _plain_name,
    _plural_word,
    _singular,
    _span_names,
    _specialises,
    _title_case,
    _word_keys,
)

_HEADING_WORDS_MAX = 8  # a line ending in ":" with at most this many words is a heading
_REFUSAL = re.compile(
    r"\b(?:can ?not|can't|cannot|unable to|not able to|impossible to|not possible to|"
    r"don't know|do not know|not sure|unsure|unknown|unidentifiable|no (?:bird|dog|animal)s?\b|"
    r"(?:don't|do not) (?:actually )?see (?:an?|any) (?:bird|dog|cat|animal|flower|plant|car|vehicle)\b|"
    r"sorry|i apologi[sz]e|not clear enough|insufficient)",
    re.IGNORECASE,
)
_ALIAS = re.compile(
    # what joins a Latin name to its common name: "*X y*, commonly known as Z", "X y - the Z"
    r"(?i)^[*_]*\s*(?:(?P<sep>,|;|:|\s[-–—]|[-–—])\s*)?"
    r"(?P<alias>(?:(?:the|an?)\s+(?:[a-z]+\s+){1,3}?(?=(?:(?:also|more|better|commonly|popularly|often)\s+)*"
    r"(?:known|called)\b))?"  # "*X y*, the mushroom commonly known as ...", ", a slime mold known as"
    r"(?:(?:which is|also|more|better|commonly|popularly|often|sometimes)\s+)*"
    r"(?:known|called|referred to)(?:\s+(?:commonly|popularly))?(?:\s+to\s+\w+)?(?:\s+as)?|aka|i\.\s?e\.,?|"
    r"(?:(?:the|its)\s+)?common name\s*(?:is\s+)?[:：-]?|"  # "*Nigella damascena* — i.e. love-in-a-mist",
    # "*X y* — the common name is Z"
    r"(?:most |many )?(?:people|birders|gardeners|growers|one|we|you) (?:call|calls) (?:it|them)|(?<=[,;:\-–—]\s)(?:or|the)\s)?\s*"
)
_SPECIES_REFUSAL = re.compile(
    # the answer declines the fine-grained name: what it says after is a category at most
    r"(?i)\b(?:can ?not|can't|unable to|not able to|couldn't|could not)\s+(?:\w+\s+){0,2}?"
    r"(?:identify|determine|tell|name|pin down|confirm)\s+(?:\w+\s+){0,2}?"
    r"(?:species|breed|dish|variety|cultivar|model|make|type|kind|specific|exact|precise)\b|"
    r"\b(?:exact|specific|precise)\s+(?:species|breed|variety|cultivar|(?:make and )?model)\s+(?:can ?not|"
    r"can't|could not|couldn't)\s+be\s+(?:determined|identified|confirmed|told|pinned down)"
)
_FINAL = re.compile(
    r"(?im)(?:^|(?<=[.!?] )(?=[*_]*(?:my )?final (?:answer|identification|verdict)\b|"  # or
    r"[*_]+(?:conclusion|verdict|answer)\s*[:：])|(?<=\bso )(?=final(?:\s+answer)?\s*[:：])|(?<=, )(?=so\s*[:：]))"  # "... family. **Conclusion: X**
    # (*Y z*)", "Okay, so final: X"
    r"[ \t>#*_-]*+(?:\d+[.)]\s*+|step\s*\d+\s*[:.)–—-]\s*+)?[*_]*+"  # "... of the Sebring. Final
    # answer: **X**.", "**Step 4: Conclusion:** X"
    r"(?:(?:most likely|likely|probable|predicted|best|my|the|top|final|revised|corrected)[\s_]+)*"
    r"(?:final answer|answer|final|conclusion(?: so far)?|identification|identified(?: as)?|id|common name|verdict|decision|"
    r"(?-i:IMPRESSION)|(?<![\w ])(?:impression|assessment)|"  # a report's verdict, "IMPRESSION:
    # Pulmonary nodule", "**Impression:** X"; not "**Overall Impression:**"
    r"(?:presumptive|probable|tentative) id|identified (?:element|organism|object|vehicle|car|model)|"
    r"(?<![\w ])(?!(?:" + "|".join(RECORD_WORDS) + r")\b)[a-z]{2,12} id(?!\w)|"  # "Leaf ID: X"
    r"(?<=best )match|(?<=closest )match|(?<=top )match|(?<![\w ])(?:(?:full|complete) )?name|"  # "Full name: X"
    r"(?:identified |(?:" + "|".join(sorted(CATEGORY_WORDS)) + r") )?(?:species|breed|scene|landmark|"
    r"(?<![\w ])(?:main )?dish)"  # "Bird species:", "Dish: Lobster roll", "Main dish: X"
    r"(?: identified| identification| name)?|prediction|result|label|classification|guess|"
    r"diagnosis|finding|(?:tissue|cell) (?:type|class)|organism|"  # "## Tissue type: Normal colonic mucosa"
    r"(?<![\w ])most consistent with|"  # "- **Most consistent with:** Papilledema"
    r"(?<![\w ])most likely|so|therefore|thus|hence|(?<=\n)(?-i:A)|"  # "So: gloxinia (...).", "Q: ...\nA: X"
    r"(?:you asked for )?(?:the )?(?:exact|specific) (?:[a-z]+ ){0,2}(?:species|breed|model|variety)"
    r"(?: in (?:this|the) (?:image|photo|picture))?)"  # "Exact dog breed in this image: X"
    r"\s*[*_]*\s*(?:[:：→=]|->|\s[-–—]\s|[–—])\s*(?:[*_]+(?![*_]*\w))?\s*(?P<rest>[^\n]*)"
)
_ANSWER_TAG = re.compile(
    r"<(?P<tag>answer|conclusion|final_answer|final|label|common_name|breed|species|identification|prediction)>"
    r"\s*(?P<rest>[^<]{0,500}?)\s*</(?P=tag)>|"  # "<label>pelargonium</label>": a field of the answer
    r"\\boxed\{(?P<boxed>[^{}\n]{0,200})\}",
    re.IGNORECASE,
)
_TAKING_BACK = re.compile(  # a sentence that opens by doubting what came before
    r"(?i)^\W*(?:however|hmm+|but|wait|actually|correction|on second (?:look|thought|glance)|"
    r"(?:looking|examining|on|upon)(?: at)?(?: \w+){0,3} (?:again|more closely|closer)|"
    r"(?:up)?on (?:a )?closer (?:inspection|look))\b"
)


def _extends(specific: str, make: str) -> bool:
    """True when ``specific`` opens with the words of ``make`` and adds capitalised ones, a
    model of that make, a variant of that model or a species of that genus ("Ford F-150"
    extends "Ford", "Mercedes-Benz C-Class" "Mercedes-Benz", "Jeep Wrangler Unlimited" "Jeep
    Wrangler")."""
    s, m = _word_keys(specific), _word_keys(make)
    added = specific.split()[1:]
    return (
        len(s) > len(m)
        and s[: len(m)] == m
        and all(  # not "Whippet include"; but "Suzuki Kizashi sedan"
            w[:1].isupper() or w[:1].isdigit() or w.casefold() in BODY_STYLES
            for w in added
        )
    )


def _restates(later: str, first: str) -> bool:
    """True when ``later`` names what ``first`` named: the same words or fewer ("the 3500
    Crew Cab" after "Dodge Ram Pickup 3500 Crew Cab"), or a variety of it that adds words in
    front ("Long-Haired German Shepherd" after "German Shepherd Dog")."""
    named = first.split()
    core = " ".join(named[:-1]) if len(named) > 1 and named[-1].casefold() in CATEGORY_WORDS else first
    return set(_word_keys(later)) <= set(_word_keys(first)) or _specialises(later, core)


def _with_class_words(full: str, name: str) -> bool:
    """True when ``full`` is ``name`` with a model year in front and/or words after it that a
    vehicle class name carries: a body style, a cab or trim word, a code with a digit or in
    capitals ("2012 Toyota Sequoia SUV", "Chevrolet Silverado 1500 Extended Cab",
    "Jeep Grand Cherokee SRT8"); not a variety in front ("Harlequin Great Dane")."""
    f, n = full.split(), name.split()
    keys = [name_key(w) for w in f]
    at = next((i for i in range(len(f)) if keys[i : i + len(n)] == [name_key(w) for w in n]), -1)
    if at < 0 or len(f) == len(n):
        return False
    before, after = f[:at], f[at + len(n) :]
    year = all(re.fullmatch(_YEAR, w) for w in before)
    return year and all(
        w.casefold() in BODY_STYLES | CLASS_WORDS or any(c.isdigit() for c in w) or w.isupper()
        for w in after
    )


def _variant_of(later: str, name: str) -> bool:
    """True when ``later`` names a variant of the model ``name`` by one of its model codes:
    the code with a suffix that is no further digit nor a plural ("C-130H" of "Lockheed C-130
    Hercules", "BAe 146-200" of "British Aerospace 146"; not "D7500" of "Nikon D750", "500s"
    of "Fiat 500"), or one of the codes it joins with a slash ("F/A-18E" of "F/A-18E/F")."""
    codes = [w.casefold() for w in name.split() if any(c.isdigit() for c in w)]
    for word in (w.casefold() for w in later.split()):
        for code in codes:
            suffix = code[len(word) :] if code.startswith(word) else None
            if suffix is not None and suffix.startswith("/"):
                return True
            suffix = word[len(code) :] if word.startswith(code) else ""
            if suffix and not suffix[0].isdigit() and suffix not in ("s", "'s", "’s"):
                return True
    return False


def _names_model(full: str, model: str) -> bool:
    """True when ``full`` is ``model`` with its make or model year in front ("Aston Martin
    V8 Vantage" for "V8 Vantage", "2011 Mazda Tribute" for "Mazda Tribute"); not a variety
    ("Harlequin Great Dane" for "Great Dane")."""
    added = full.split()[: len(full.split()) - len(model.split())]
    year = len(added) == 1 and re.fullmatch(_YEAR, added[0]) is not None
    with_digit = any(ch.isdigit() for ch in model)
    return _specialises(full, model) and _title_case(full) and (year or with_digit)


def _dated_model(full: str, model: str) -> bool:
    """True when ``full`` is a model year, then ``model`` and more words of its name ("2007
    Dodge Dakota Club Cab" for "Dodge Dakota")."""
    if full[:2] not in ("19", "20"):
        return False
    words, keys = _word_keys(full), _word_keys(model)
    return (
        re.fullmatch(_YEAR, full.split()[0]) is not None
        and words[1 : 1 + len(keys)] == keys
        and len(words) > len(keys) + 1
        and _title_case(full)
    )


_ANSWER_HEADING = re.compile(
    r"(?im)^[ \t#>*_]*(?:step\s*\d+\s*[:.)–—-]?\s*)?(?:(?:so|thus|therefore),?\s+)?(?:(?:the|my)\s+)?"
    r"(?:final answer|answer|verdict|decision|conclusion|"
    r"final identification|final verdict|result|(?:final )?assessment|final thoughts|summary|response)"
    r"(?:[ \t]+is(?=[ \t]*[:：]))?"  # "So the final answer is:\n\n**X**"
    r"(?:[ \t*_:：]*\n\s*|[ \t]*\.[ \t]*\*\*[ \t]+(?=\S))"  # its own line, or "**Step 4 – Answer.** X"
    r"(?P<rest>[^\n]+)"
)

_NAME_HEADING = re.compile(  # a heading over a line: "**Identification**\n\nYellow-billed Cuckoo", "### Breed\n**X**"
    r"(?im)^[ \t#>*_]*(?:(?:(?:breed|species|bird|dog|cat|flower|plant|car|vehicle)\s+)?identification|"  # "## Breed
    r"(?:top|best|closest) match|most likely|breed|species)[ \t*_:：]*\n\s*"  # Identification\n\n**Pug**"
    r"(?P<rest>[^\n]+)"
)


def _names_only(line: str) -> bool:
    """True for a line under a :data:`_NAME_HEADING` that is a name and nothing else ("Yellow-billed
    Cuckoo (*Coccyzus americanus*)"); not prose about it, a list or fields ("**Make:** Audi")."""
    return (
        _short_answer(line, whole=True) is not None
        and (re.match(r"\s*(?:[-*+•]\s|\d+[.)]|\*\*)", line) is None or re.fullmatch(r"\s*\*\*[^*\n]+\*\*\s*", line))
        and ":" not in line
    )

_LABELLED_LINE = re.compile(  # a bold line of its own: "**Aircraft: Boeing 737-800**"
    r"(?m)^[ \t>#]*\*\*(?:[A-Z][a-z]+ )?(?P<label>[A-Za-z][a-z]+)\s*:\s*(?P<rest>[^*\n]{2,80}?)"
    r"\*\*[ \t]*(?:\([^()\n]{0,40}\))?[ \t.]*$"
)
_ARTICLE = re.compile(r"(?i)^\s*(?:an?|the)\s+")
_CLOSING_COLON = re.compile(  # the answer's last line: features, a colon, the name
    r"(?:^|(?<=[.!?])[ \t]|\n)(?P<lead>[^\n:：.!?]{1,200})[:：][ \t]*(?:(?:" + _SEX_AGE + r")[ \t]+)*"  # "...: male X."
    r"(?P<rest>(?:the |an? )?[*_]*[A-Z][^\n:.!?]{1,60}?)"
    r"[*_]*[.!]?[ \t]*\Z"
)
_COUNTED_PLURAL_END = re.compile(  # "... come in four colors: Blenheim, tricolor, ...": a list of
    r"(?i)\b(?:two|three|four|five|six|seven|eight|nine|ten|several|many|various|\d+)\s+(?:[a-z-]+\s+)?"
    r"(?P<noun>[a-z]+s)$"  # what it counts, no verdict; but "There are two cats: a Scottish Fold and
)  # a British Shorthair" names its subjects
_DANGLING_WORDS = FUNCTION_WORDS | CLAUSE_WORDS | {"the", "an", "a", "of"}  # no name ends on one
_APPOSED_CULTIVAR = re.compile(  # "a hardy cranesbill, Geranium 'Rozanne'": a name, then a cultivar of it
    r"(?P<head>[^,\n]{2,60}),[ \t]+(?P<cultivar>(?:[A-Z][a-z]+[ \t]+)?['‘][A-Z][^'’\n]{1,40}['’])[ \t]*[.!]?[ \t]*"
)
_BOLD_LABEL_REST = re.compile(r"(?P<name>[^*\n]{1,80}?)\s*\*\*(?!\w)")
_CORRECTING = re.compile(r"(?i)[—–-]\s*(?:no|wait|sorry|actually)\b(?:[,:]?\s*(?:no|wait|sorry|actually|correct\w*)\b)*[,:]?\s*")
_CLAUSE_START = re.compile(  # "Conclusion: The red body ...", "Species: Unfortunately, I ..."
    r"[\W_]*(?:(?i:the|this|these|those|its)\s+[a-z]|(?i:it|it's|i|i'm|unfortunately|sadly)\b)"
)
_ASKED_AND_ANSWERED = re.compile(  # "So, what is it? It's a Cedar Waxwing."
    r"(?i)\bwhat (?:is (?:it|this)|(?:species|bird|breed|kind|flower|car|model)\b[^?\n]{0,30})"
    r"\?[*_]*[ \t]*(?![ \t]*(?:the|this|its)\s+[a-z]+\s+(?:is|has|looks|seems|appears)\b)"  # not "what breed is
    r"(?P<rest>(?:[^\n.!?,;—–]|(?<=\bSt)\.|\.(?=\w))+)"  # this? The dog is a lean terrier, but ... it looks
)  # like a little lamb.": thoughts that go on describing; its first clause


def _head(rest: str) -> str:
    """The words of ``rest`` before its first bracket, comma, semicolon or dash ("Ivory Gull"
    of "Ivory Gull (*Pagophila eburnea*), an adult.")."""
    return re.split(r"\s*[(,;—–]|\s-\s", rest, maxsplit=1)[0]


_WRAP_UP = re.compile(  # "Putting it together.", "Shrubby habit + large pink flowers + ...": the
    r"(?i)\W*[a-z]+ing\s+(?:it|this|that|these|everything|all|up)\b|[^\n+]{3,60}\s\+\s[^\n+]{3,60}\s\+\s"
)  # marks summed up, the answer follows


def _heads_features(marker: re.Match[str], text: str) -> bool:
    """True for a marker over a list of several items ("Identification:\n- Warm brown body\n-
    Pink wash ..."): a heading over field marks, not an answer on the line below it."""
    start = text.rfind("\n", 0, marker.start("rest")) + 1  # the line of the "answer"
    if start <= marker.start():
        return False
    below = text[start:].split("\n", 2)
    return len(below) > 1 and all(_LIST_ITEM.match(line) for line in below[:2])


def _final_markers(text: str) -> list[re.Match[str]]:
    """The ``_FINAL`` markers of ``text``; one that heads a list of field marks is skipped and
    the list searched on ("**Identification**\n\n- Label: Gazania | Confidence: 0.8")."""
    markers, pos = [], 0
    while (m := _FINAL.search(text, pos)) is not None:
        if _heads_features(m, text):
            pos = text.rfind("\n", 0, m.start("rest")) + 1
        else:
            if not _FIELD_NOTE.match(m.group(0)):
                markers.append(m)
            pos = m.end()
    return markers


_FIELD_NOTE = re.compile(  # "* **Species:** The feathery external gills ... are the hallmarks of
    r"(?i)[ \t]*(?:[-*+•]|\d+[.)])[ \t][^\n]*?[:：]\W*(?:the|this|these|its|their|it|they)\s+[a-z]"
)  # an axolotl": a bullet's reasons under a field name, not an answer


def _final_answer(text: str) -> tuple[list[str], bool]:
    """Names after the last explicit answer marker that has content ("Final answer: X",
    "<answer>X</answer>", "\\boxed{X}"), and whether it gives a refusal ("Final answer:
    unknown")."""
    tagged = [
        (m.group("rest") or m.group("boxed") or "", False) for m in _ANSWER_TAG.finditer(text)
    ]
    marked = [(m.start(), m.group("rest"), False) for m in _final_markers(text)]
    marked += [(m.start(), m.group("rest"), False) for m in _ASKED_AND_ANSWERED.finditer(text)]
    marked += [(m.start(), m.group("rest"), True) for m in _ANSWER_HEADING.finditer(text)]
    marked += [(m.start(), m.group("rest"), True) for m in _NAME_HEADING.finditer(text) if _names_only(m["rest"])]
    closing = _CLOSING_COLON.search(text.rstrip())  # "Gray head, white eye ring: Nashville X."
    if (
        closing is not None
        and len(closing.group("lead").split()) >= 3
        and not _DENIAL.search(closing.group("lead"))  # not "It's not a
        and not re.match(r"\s*(?:[-*•]|\d+[.)])\s", closing.group("lead"))  # Russian Blue: ...",
        and closing.group("lead").count("(") <= closing.group("lead").count(")")
        and not re.search(r"(?i)\b(?:would|could|might|may|should|will)\b", closing.group("rest"))
        and closing.group("rest").split()[-1].casefold() not in _DANGLING_WORDS
        and not ((counted := _COUNTED_PLURAL_END.search(closing.group("lead")))
                 and not {(noun := counted["noun"].casefold()), noun[:-1]} & CATEGORY_WORDS)
    ):  # nor a list item's label ("- **Wheels**: Forged alloy wheels"), nor a colon inside a
        # bracket ("The similar **X** (in English: Eared Grebe) has a black neck."), nor a clause
        # ("... is the overall mass: a Deerhound of the same height would look", "Checking the
        # wheels: the Leaf SL came with alloys in the", cut off)
        marked.append((closing.start("rest"), closing.group("rest"), False))
    marked += [
        (m.start(), m.group("rest"), False)
        for m in _LABELLED_LINE.finditer(text)
        if m.group("label").casefold() in CATEGORY_WORDS | {"breed", "species"}
    ]
    ordered = [(rest, heading) for _, rest, heading in sorted(marked)] + tagged
    for rest, heading in reversed(ordered):  # a tag outranks a marker; the last one first
        boxed = _BOXED.search(rest)  # "<answer>Male \\boxed{X}</answer>": the box
        rest = (boxed.group("inner") if boxed is not None else rest).strip()
        rest = re.split(r"[ \t]+\|[ \t]+", rest, maxsplit=1)[0]  # "Label: X | Confidence: 0.8"
        wrap_up = _WRAP_UP.match(rest)
        if wrap_up and "," in rest[wrap_up.end() : wrap_up.end() + 40]:  # "Putting these together,
            rest = rest[rest.index(",", wrap_up.end()) + 1 :].strip()  # I think this is a **X**"
        elif not rest or wrap_up:
            continue  # "**Final Answer:** Putting it together.": the answer follows
        found = _identified(rest, allow_lowercase=True)
        yielding = {x.name for x in found if x.conceded and x.resembles} - {
            x.name for x in found if not x.conceded}
        names = [x.name for x in found]
        capitalised = [n for n in names if n != n.lower()]
        latin_only = capitalised and all(_is_binomial(n) for n in capitalised)  # "the flower is frangipani,
        names.sort(  # Plumeria rubra": the common name; "Verdict: the solid red coat ... a Redbone"; not
            key=lambda n: (n in yielding,  # "a **morning glory**"; "Answer: Although it resembles a rose, it is a X"
                           n == n.lower() and not latin_only and f"**{n.casefold()}**" not in rest.casefold()
                           and not any(_specialises(n, c) for c in capitalised))  # "**Cattleya** orchid
        )  # — specifically the ruby-lipped cattleya": the lower-case name narrows the capitalised one
        if not names and _REFUSAL.match(rest):
            return [], True  # "**Identification:** Unable to determine"
        if not names and not re.search(r",|\bor\b", _PARENS.sub(" ", rest)):
            whole = _short_answer(_PREFIX.sub("", rest, count=1))  # "Final answer: X"
            names = [whole] if whole is not None else []
        elif not names and (apposed := _APPOSED_CULTIVAR.fullmatch(rest)) is not None:
            names = [n for part in ("cultivar", "head") if (n := _short_answer(_PREFIX.sub("", apposed[part], count=1)))]
            # "Answer: a hardy cranesbill, Geranium 'Rozanne'.": the cultivar, then the plant
        head = _head(rest)
        hedged = re.match(  # "X (*Genus*), possibly Y", "X, or possibly Y": X, then a refinement;
            r"(?:,\s*(?:19|20)\d\d(?:\s*[–-]\s*(?:19|20)?\d\d)?)?"  # "X, 2012 (possibly Y)"
            r"\s*(?:\(|(?:[,;—–-]\s*|\s(?=or\s))(?:or\s+)?(?:most )?" + HEDGE + r"\b|"
            r",\s*(?:also |commonly |sometimes )?(?:called|known as)\b|"  # "X, also called Y"
            r"\s[—–-]\s+[*_]+[A-Z][a-z]+\s+[a-z]+[*_]+)",  # "gaura — *Oenothera lindheimeri* (...), also called Y"
            rest[len(head) :],
        )
        pointed = re.match(r"(?i)\W*(?:the|this|these|its)\b", head)  # "The dark back, ..."
        lead = _short_answer(head) if hedged and not pointed else None
        head_lead = lead if head != rest and lead and _plain_name(lead) and not _section_title(lead) else None
        if names and head_lead:
            names = _dedupe([head_lead, *names])  # "Tree mallow (*Lavatera*), possibly 'Barnsley'"
        latin = _strip_markdown(head)
        common = _common_name(rest, latin) if _is_latin(latin, rest) else None  # "*Gloriosa superba* —
        if names and common and re.match(r"[A-Za-z]", common) and _plain_name(common):  # flame lily,
            names = _dedupe([common, *names])  # also known as Y", "X y (Chinese hibiscus, ...)": the
            # common name first; not "Khao soi (ข้าวซอย)"
        opening = re.match(r"[^.!?\n]+(?<!\b\w\w)(?<!\b\w)[.!?](?=\s+\S)", rest)  # "Verdict: Norway Spruce. It's
        lead = _short_answer(opening.group(0)) if opening is not None else None  # the
        if names and lead is not None and (_title_case(lead) or (_is_binomial(head) and lead != head)):
            names = _dedupe([lead, *names])  # traditional Christmas tree"; "Identified species: X y
            # (comet moth, also called ...)": the common name that glosses the Latin one
        elif not names and lead is not None and _plain_name(lead):  # "Finding: nodule. A
            names = [lead]  # small, well-defined round opacity ..."
        closed = _BOLD_LABEL_REST.match(rest)  # "**Answer: X** (*Latin*) — caveat naming Y"
        if closed is not None and (lead := _clean_name(_head(closed.group("name")))) is not None:
            names = _dedupe([lead, *names])
        article = _ARTICLE.sub("", rest)
        described = _DESCRIBED_NAME.match(article)
        if _BOLD.match(article, described.end() if described else 0) is not None:
            spanned = _span_names(article, allow_lowercase=False, plural=False, words_used=frozenset())
            names = _dedupe([spanned[0], *names]) if spanned else names  # "a **X** SUV, c. 2012", "**X**
            # (*G*), likely *G s*"; "**X** orchid — specifically the y x": the refinement
        correcting = _CORRECTING.search(rest)  # "Answer: **A** — no, correcting: **B**."
        if correcting is not None and names:
            later, _ = _leading_name(rest[correcting.end() :].lstrip(), allow_lowercase=False)
            names = _dedupe([later, *names]) if later else names
        if heading:  # the line under an "Answer" heading: a name or a sentence naming one
            if not names and head != rest and not pointed:  # "Ivory Gull (*Pagophila
                names = [lead] if (lead := _short_answer(head)) else []  # eburnea*), an adult."
            if names:
                return names, False
            continue
        if not names and _CLAUSE_START.match(rest) is None:  # not "Conclusion: The red
            names = _span_names(  # body is ...", "Conclusion: It's not possible ..."
                rest, allow_lowercase=True, plural=False, words_used=frozenset()
            )  # "Final answer: A or B"
            if names and head_lead and head_lead.startswith(f"{names[0]} "):  # "Prince of Wales
                names = [head_lead, *names]  # feathers (*Amaranthus y*), also sold as ...": all of it
        if names:
            return names, False
        words = _strip_markdown(rest).strip(_EDGE_PUNCT).casefold().split()
        if _REFUSAL.search(rest) or (words and all(w in GENERIC for w in words)):
            return [], True
    return [], False


_FIELD = re.compile(
    r"[\s#>*_]*(?:(?:[-•]|\d{1,2}[.)])[ \t]+[*_]*)?(?P<label>[A-Z][a-z]+(?: [A-Za-z][a-z]+)?)[*_]*\s*[:：][*_]*[ \t]+"
    r"(?P<value>[^\n]+)"  # "- **Mineral:** Rhodochrosite" too
)
_LEAD_IN = re.compile(r"[^\n:|]{0,120}:[ \t]*\n")  # a line that leads into what follows
_TITLE_LINES = re.compile(r"(?:\s*(?:#{1,6}[ \t]+[^:\n]+|\*\*[^*:\n]+\*\*)[ \t]*\n)+")


_CAR_FIELD = re.compile(  # labelled make / model / year fields, on lines or inline
    r"(?im)(?:^|[*_]{2}|\s)[ \t]*[-*]?[ \t]*[*_]*"
    r"(?P<label>make\s*(?:/|&|and)\s*model|make|brand|manufacturer|model|year|"
    r"marke|hersteller|marque|marca|modell|mod[eè]le|modelo|modello|baujahr|année|año|anno)"
    r"[*_]*[ \t]*:[*_]*[ \t]*(?P<value>[^*_\n(]{1,60}?)[ \t]*(?=[*_]{2}|\(|\n|$)"
)


_CAR_LABEL = {  # the English of a field's label in other languages: "**Marke:** BMW", "**Modell:** X5"
    **dict.fromkeys(["marke", "hersteller", "marque", "marca"], "make"),
    **dict.fromkeys(["modell", "modele", "modèle", "modelo", "modello"], "model"),
    **dict.fromkeys(["baujahr", "année", "año", "anno"], "year"),
}


def _car_label(label: str) -> str:
    """A :data:`_CAR_FIELD` label as its key in English ("Make / Model" -> "make and model",
    "Modell" -> "model")."""
    label = re.sub(r"\s*(?:/|&|and)\s*", " and ", label.casefold())
    return _CAR_LABEL.get(label, label)


_CAR_STATED = re.compile(  # make and model stated in prose: "The make of this car is Hyundai."
    r"(?i)\bthe (?P<label>make|model)(?: of (?:the|this) (?:car|vehicle))? is (?:an? |the )?"
    r"(?P<value>(?-i:[A-Z0-9])[^.,;:!?\n()]{0,40}?)\s*(?=[.,;!?(]|$)"
)


def _make_and_model(fields: dict[str, Any]) -> str | None:
    """The car named by make (or brand, manufacturer), model and year fields, keyed in lower
    case ({"make": "Porsche", "model": "911", "year": 2019} -> "Porsche 911 2019"; the make
    once when the model repeats it or its first word, without a note in brackets; a "make and
    model" field whole); None without a make and a model given as text."""
    make = next((fields[k] for k in ("make", "brand", "manufacturer") if k in fields), None)
    model = fields.get("model", fields.get("variant"))  # {"manufacturer": "Airbus", "variant": "A319"}
    if isinstance(both := fields.get("make and model"), str):
        whole = both  # "Make/Model: Jeep Wrangler SUV"
    elif isinstance(make, str) and isinstance(model, str):
        make = re.sub(r"\s*\([^()]*\)", "", make).strip()  # "BAE Systems (originally Hawker Siddeley)"
        repeated = name_key(make) in name_key(model) or model.casefold().startswith(
            f"{make.split()[0].casefold()} " if make.split() else "\0"
        )  # "Boeing Commercial Airplanes" / "Boeing 777-200"
        whole = model if repeated else f"{make} {model}"
    else:
        return None
    year = str(fields.get("year", ""))
    return f"{whole} {year}" if re.fullmatch(_YEAR, year) else whole


_TABLE_HEAD = re.compile(  # a header row of two or more cells and its ruler
    r"\s*\|(?P<cells>(?:[^|\n]+\|){2,})[ \t]*\n[ \t]*\|(?:[ \t:-]+\|){2,}[ \t]*\n"
)
_SCORE_CELL = re.compile(r"(?i)\s*(?:probability|confidence|likelihood|score|chance|%)")
_CELLS_ROW = re.compile(  # the last row may be cut off: "| Lazuli Bunting | 0."
    r"[ \t]*\|(?P<cells>(?:[^|\n]+\|)*[^|\n]+)(?:\|[ \t]*(?:\n|$)|$)"
)
_TABLE_INTRO = re.compile(r"[^\n|]{0,200}:[ \t]*\n\s*(?=\|)")  # "Here are my candidates:\n\n| ..."


_RANK_CELL = re.compile(r"(?i)\s*(?:#|rank|no\.?|n|pos(?:ition)?)\s*")


def _score_column(header: list[str]) -> int | None:
    """The column whose header cell scores a table's rows ("| Breed | Probability |", "|
    Candidate | Confidence | Key evidence |"), never the first; None when there is none."""
    return next((i for i, cell in enumerate(header) if i and _SCORE_CELL.match(cell)), None)


def _scored_table(text: str) -> bool:
    """True when ``text`` opens with a table whose header scores its rows."""
    head = _TABLE_HEAD.match(text)
    return head is not None and _score_column(head.group("cells").split("|")[:-1]) is not None


def _score_value(cell: str) -> float | None:
    """A score cell as a share ("55%" -> 0.55, "0.58" -> 0.58); None for "High" or none."""
    m = re.search(r"\d{1,3}(?:\.\d+)?|\.\d+", cell)
    if m is None:
        return None
    value = float(m.group(0))
    return value / 100 if "%" in cell or value > 1 else value


def _table_fields(text: str) -> str:
    """A markdown table that opens the answer as text: a table whose header scores its rows
    ("| Breed | Probability |", "| Candidate | Confidence | Why |") as a list of candidates,
    best score first (the table's order where a score is not a number); a two-column table
    of fields ("| Field | Value |", "| Vehicle | McLaren MP4-12C |") as labelled lines
    ("Vehicle: McLaren MP4-12C")."""
    head = _TABLE_HEAD.match(text)
    if head is None:
        return text
    header = head.group("cells").split("|")[:-1]
    score = _score_column(header)
    if score is None and len(header) != 2:
        return text
    rows, pos = [], head.end()
    while (row := _CELLS_ROW.match(text, pos)) is not None:
        cells = [c.strip() for c in row.group("cells").split("|")]
        rows.append(cells)
        pos = row.end()
    if score is None:
        lines = [f"{cells[0]}: {cells[1]}" for cells in rows if len(cells) > 1]
    else:  # the names: the first column that is no rank ("| # | Flower | Probability |")
        name = next(i for i, cell in enumerate(header) if i == score or not _RANK_CELL.fullmatch(cell))
        scored = [(cells[name], cells[score] if len(cells) > score else "")
                  for cells in rows if len(cells) > name]
        values = [_score_value(value) for _, value in scored]
        if all(v is not None for v in values):
            scored = [row for _, row in sorted(zip(values, scored, strict=True), key=lambda vr: -vr[0])]
        lines = ["Candidates:", *(f"- {name} ({value})" for name, value in scored)]
    return "\n".join(lines) + "\n" + text[pos:]


def _field_answer(text: str) -> list[str]:
    """The name in a labelled field that opens the answer ("Style: Chippendale. The ...",
    "Model: Canon AE-1", a two-column table of fields): a label that is no note about the
    subject (not "Colour:", "Habitat:", "Reasoning:"), then a Title-Case name or a Latin one;
    [] otherwise."""
    tabled = _table_fields(text)
    table, text = tabled != text, tabled
    fields = {_car_label(f.group("label")): f.group("value").strip() for f in _CAR_FIELD.finditer(text)}
    stated = {f.group("label").casefold(): f.group("value") for f in _CAR_STATED.finditer(text)}
    if not fields and {"make", "model"} <= stated.keys():  # "The make is Volvo. The model is
        fields = stated  # the C30 hatchback."
    car = _make_and_model(fields)  # "**Make:** Ford **Model:** Mustang ..."
    if car is not None:
        return _parse_text(car)
    heading = _TITLE_LINES.match(text)  # "## Vehicle Identification\n\n**Model:** X"
    start = heading.end() if heading is not None else 0
    m = _FIELD.match(text, start)
    if m is None and (intro := _LEAD_IN.match(text, start)) is not None:
        m = _FIELD.match(text, intro.end())  # "Here's a detailed breakdown:\n\n**Flower:** X"
    if m is None or _JSON_META_KEY.search(m.group("label")) or m.group("label") in ("Step",):
        return []
    if re.search(r"(?i)\b(?:make|brand|manufacturer|maker)$", m.group("label")):
        return []  # "- Car brand: Toyota": the make alone names no class
    value = _SENTENCE_END.split(m.group("value"), maxsplit=1)[0]
    if _REFUSAL.search(value):
        return []  # "**Identification:** Unable to determine"
    name = _short_answer(value)
    named = re.search(r"(?i)\b(?:species|breed|name|identification|answer)$", m.group("label")) is not None or (
        not table and (m.group("label").endswith(" type") or m.group("label").casefold() in CATEGORY_WORDS)
    )  # "1. Flower type: Canterbury bells", "Flower: Trumpet creeper"; not
    # "| Vessel type | Ro-Pax ferry |" beside "| Likely class | Stena E-Flexer |"
    if name is None or not (_title_case(name) or _is_binomial(name) or (named and _plain_name(name))):
        return []  # a name in sentence case under a label that names
    return [] if len(name.split()) == 1 and _adjective_like(name) else [name]


def _restates_fields(prose: str, fielded: str) -> bool:
    """True when ``prose`` names the make and model of ``fielded`` (a name assembled from
    labelled fields, :func:`_make_and_model`) with the answer's own year and body words:
    "2012 Hyundai Veloster" for "Hyundai Veloster 2012"."""
    words = {k for k in _word_keys(fielded) if not re.fullmatch(_YEAR, k)}
    return len(words) > 1 and words <= set(_word_keys(prose))


_ORDINALS = {"first": 0, "former": 0, "second": 1, "third": 2, "latter": -1, "last": -1}


def _ordinals_resolved(mentions: list[_Mention]) -> list[_Mention]:
    """``mentions`` with a pick by position ("I'd go with the first.") named after the listed
    candidate it points to; dropped when no list comes before it."""
    out = []
    for m in mentions:
        index = _ORDINALS.get(m.name.casefold().removesuffix(" one"))
        if index is None:
            out.append(m)
            continue
        listed = [c for c in mentions if c.listed and c.pos < m.pos]
        if -len(listed) <= index < len(listed):
            out.append(replace(m, name=listed[index].name, listed=False))
    return out


def _annotate(mentions: list[_Mention], text: str) -> list[_Mention]:
    """Mentions sorted by position, each with its sentence number and verdict flag (a verdict
    cue, or the closing statement of a multi-paragraph answer: "The dog is likely an X");
    a candidate put as a question and answered "No" ("**Could it be a X?** No.") and a
    first guess taken back later ("Initially I thought X. However, ...") are ruled out."""
    sentences = _sentences(text)
    starts = [start for start, _ in sentences]
    last_paragraph = text.rstrip().rfind("\n\n")
    out = []
    guesses: set[int] = set()
    for m in sorted(mentions, key=lambda m: m.pos):
        index = max(0, bisect.bisect_right(starts, m.pos) - 1)
        plain = _strip_markdown(sentences[index][1]) if sentences else ""
        revises = _SENTENCE_REVISION.match(plain) is not None  # "Actually, ... the **X**"
        verdict = bool(_CONCLUSION.match(plain) or _VERDICT.search(plain)) or revises
        offset = m.pos - sentences[index][0]
        verdict = verdict or _verdict_before(sentences[index][1], offset) or _colon_verdict(sentences[index][1], offset)
        verdict = verdict or (  # "... \n\nThe dog is likely an X.": the closing statement
            0 < last_paragraph <= sentences[index][0] and _closes(plain, m.name)
        )
        line_start = text.rfind("\n", 0, m.pos) + 1
        line_end = text.find("\n", m.pos)
        line = text[line_start : len(text) if line_end < 0 else line_end].strip(" *_")
        title = (  # "### Desert Rose\n*Adenium obesum*\n\n- Swollen caudex ...": the answer's title
            not text[:line_start].strip()
            and line.startswith("#")
            and len(m.name.split()) > 1
            and _title_case(m.name)
        )
        heading = not title and (
            m.heading
            or line.startswith("#")
            or (
                line.endswith((":", "："))
                and len(line.split()) <= _HEADING_WORDS_MAX
                and re.search(r"[.!?]\s", line) is None  # not "This is a X. Features include:"
                and re.search(r"(?i),.*\b(?:is|are)\s+[*_]*" + re.escape(m.name), line) is None  # nor "That
            )  # said, the dominant look is **Labrador Retriever**:", a sentence that names it
        )
        marker = re.fullmatch(r"\s*\d+[.)]\s*", sentences[index][1]) and index + 1 < len(sentences)
        item_start, item = sentences[index + 1 if marker else index]  # "5. **Shih Tzu?** — no": the
        end = item_start + len(item)  # item's sentence after its bare number
        question = _QUESTION.search(text, m.pos, end + 1)
        asked = question is not None
        rejected = asked and _NO.match(text, question.end()) is not None  # "**Is it X?** No."
        affirmed = asked and _YES.match(text, question.end()) is not None  # "Is this X? Yes."
        first_guess = _FIRST_GUESS.search(plain) is not None
        revision = first_guess and _REVISION.search(text, sentences[index][0], m.pos) is not None  # "At first
        # I thought X, but ... it's a **Y**": Y is the revision, not the guess
        retracted = (  # "Initially I thought X. However, ...": a first guess taken back
            first_guess
            and _REVISION.search(text, m.pos) is not None
            and not (revision and (_bold_in(m.name, text) or m.name != m.name.lower()))
        )
        if first_guess and not (retracted or verdict or revision):
            guesses.add(len(out))  # "It might seem to be a X initially.": ruled out by a later verdict
        # "While it shares features with the **X**, the bill ... it is a **Y**": X is conceded
        concessive = _CONCESSIVE_OPENING.match(plain)
        conceded = concessive is not None and text.find(",", sentences[index][0]) > m.pos
        out.append(
            replace(
                m,
                sentence=index,
                conclusion=(m.conclusion or verdict) and not asked or affirmed,
                correction=m.correction and (not asked or affirmed),  # not "Wait, could it be a X?"
                heading=heading,
                ruled_out=m.ruled_out or rejected or retracted or _A_VERSION.search(m.name) is not None,
                conceded=m.conceded or conceded,
            )
        )
    return [_overruled_guess(m, out) if i in guesses else m for i, m in enumerate(out)]


def _overruled_guess(guess: _Mention, mentions: list[_Mention]) -> _Mention:
    """``guess``, a first guess ("It might seem to be a X initially."), ruled out when a later
    sentence gives a verdict on another name that is not a group of it ("..., so I'll go with
    Y")."""
    overruled = any(
        m.sentence > guess.sentence and m.conclusion and not m.ruled_out
        and not (_restates(m.name, guess.name) or _specialises(guess.name, m.name))
        for m in mentions
    )
    return replace(guess, ruled_out=True) if overruled else guess


_A_VERSION = re.compile(  # "suggest an SXT trim", "the 2008 facelift nose": a version of the name
    r"\s(?:" + _VERSIONS + r"|package)$|\b(?:facelift|restyle)\b"
)


_CONCESSIVE_OPENING = re.compile(rf"(?i)\W*{_CONCESSIVE}\s")


_CLOSING = re.compile(
    r"^\W*(?:[A-Z][^,.;:\n]{3,80},\s+)?"  # "With a white face and no eye-line, this is a X"
    r"(?:(?:[Ss]o|[Tt]hus|[Tt]herefore|[Hh]ence|[Oo]verall)\W+)?(?P<subject>[Tt]his|[Ii]t|[Tt]hey|[Tt]hese|[Bb]oth|"
    r"(?:[Tt]he|[Bb]oth)(?: [a-z-]+){1,5}?) (?:is|are|must|can|appears|looks|seems)\b"  # "Both
    # dogs are Samoyeds."
)


_COLON_VERDICT = re.compile(  # "The dark lores settle one thing: this is an X", after a clause of
    r"(?i)^(?P<lead>[^:\n]+):\s+(?:so,?\s+)?(?:this|it)(?:'s|\s+is|\s+must\s+be)\s+(?:an?|the)\s"  # evidence
)


def _colon_verdict(sentence: str, offset: int) -> bool:
    """True when the name at ``offset`` of ``sentence`` follows a colon that states what the
    subject is after a clause of evidence ("A black mask on a plain warbler is diagnostic:
    this is a **X**"); not after a label ("**Body Style**: It is a wagon") nor a denial ("Not a
    moss at all: it's an X")."""
    m = _COLON_VERDICT.match(sentence) if ":" in sentence else None
    lead = m["lead"].strip(" *_#-") if m is not None else ""
    return (m is not None and m.end() <= offset and len(lead.split()) >= 4 and not lead.endswith(("*", "_"))
            and _DENIAL.search(lead) is None and re.match(r"(?i)\W*no\b", lead) is None)


_DENIAL = re.compile(r"(?i)\bnot\b|n't\b")  # "Not a moss at all", "It isn't a rose"


def _closes(sentence: str, name: str) -> bool:
    """True when ``sentence`` states what the subject is and names ``name`` after the verb
    ("The dog is likely an X", "So this is a Y"), not "The X is known for" nor what the
    look-alikes are ("The closest look-alikes are *X y* ...").
    """
    m = _CLOSING.match(sentence)
    return (m is not None and name_key(name) in name_key(_PARENS.sub(" ", sentence[m.end() :]))  # not "(called "X")"
            and _LOOKALIKE_HEADING.search(m["subject"]) is None)


_QUESTION = re.compile(r"\?[*_]*")
_YES = re.compile(r"(?i)[\s*_]*(?:yes|yep|indeed|correct)\b")
_NO = re.compile(r"(?i)[\s*_]*(?:[—–:-][\s*_]*)?(?:also\s+)?(?:no|nope|non|nein|não|not|unlikely|doesn't|does not)\b")
_FIRST_GUESS = re.compile(
    r"(?i)\b(?:initially|(?:at|on) first(?: glance| sight| look)?|my (?:first|initial|immediate|gut) "
    r"(?:impression|thought|instinct|guess|reaction|read)|first (?:impression|thought|instinct|guess)|"
    r"i first (?:thought|leaned|considered|guessed|took)|i (?:wanted|was tempted|was going) to say|"
    r"initial (?:thought|impression|guess))\b"
)
_REVISION = re.compile(
    r"(?i)\b(?:however|but|actually|on closer (?:inspection|look|examination)|on (?:second|further) "
    r"(?:thought|look|inspection|reflection)|on reflection|(?:taking|after|on|with) a (?:closer|second|more careful) look|"
    r"(?:looking|examining|looked) (?:at it |it )?(?:more (?:closely|carefully)|again)|revis(?:e|ing)|"
    r"chang(?:e|ing) (?:that|my)|correct(?:ing)? (?:myself|that)|(?:does|do)(?: not|n't) (?:fit|match)|(?:don't|do not) think (?:that's|that is) right)\b"
)


_LIKENED_LEAD = re.compile(  # "It looks like a X.", "They might be the X": the subject likened
    r"(?i)\W*(?:this|it|that|they|these)(?:\s+\w+)?\s+(?:looks?\s+like|resembles?|might\s+be|may\s+be)\b"
)
_NO_LEAD = re.compile(r"(?i)\W*no,\s")  # "No, the roof line is longer ...": a likeness taken back
_KIND_OF = re.compile(r"(?i)\b(?:type|kind|sort|member|variety|species|genus|family)\s+of\b")
_FINAL_STATEMENT = re.compile(
    r"(?i)\bmy (?:(?:final|definitive) (?:answer|identification|verdict)|best identification)\b"
    r"|\bso,? my answer (?:is|would be)\b"  # "So my answer is a ruddy Somali"
    r"|\b(?:i'm|i am|i'll|i will) (?:going|go) with\b"  # "Yeah, I'm going with a regular Lancer sedan"
    r"|\b(?:so|thus|therefore),? the answer (?:is|should be|would be) (?:probably |likely )?(?:an? |the )?[*_]*(?-i:[A-Z])"  # "So the
    # answer is probably the Eagle Talon"; not "the answer is thorn apple, Datura stramonium'
)
_SIMILE = re.compile(  # "packed on a stem, like a bunch of grapes", "folded over, like soft felt.": a
    r",\s+(?:just\s+|much\s+)?like\s+(?:an?\s+|the\s+)?(?:[a-z-]+\s+of\b|[a-z-]+(?:\s+[a-z-]+)?\s*[.;])"
)  # part likened, not the subject
_IDENTIFYING_LEAD = re.compile(  # a sentence that says what the subject is: "This is a X.",
    r"(?i)\W*(?:so,?\s+|overall,?\s+)?(?:(?:this|it|that)(?:\s+bird|\s+dog|\s+cat|\s+one)?|"  # "It's X",
    r"the\s+(?:bird|dog|cat|car|vehicle|flower|plant)(?=\s+is\b))"  # "The car is a X"; not "The dog's pose"
    r"\s*(?:is|'s|must be|appears to be)\b"
)


def _narrows(later: _Mention, sentences: tuple[tuple[int, str], ...], *, generic: bool) -> bool:
    """True for a later name that settles a broad first one: after a ``generic`` one ("a bird
    of prey"), a name in a concluding sentence ("Based on these features, it is a red-tailed
    hawk"); after any, a name of several capitalised words stated plainly ("It's a Cape May.")
    or likened ("It looks like a Vitamix 5200 blender"), or a model code likened ("This is a
    military airplane. ... It looks like a C-130.")."""
    stated = _IDENTIFYING_LEAD.match(sentences[later.sentence][1]) is not None
    likened = _LIKENED_LEAD.match(sentences[later.sentence][1]) is not None
    return (generic and later.conclusion) or (
        (stated or likened)
        and ((len(later.name.split()) > 1 and _title_case(later.name))
             or (likened and any(ch.isdigit() for ch in later.name)))
    )


def _turns_back(later: _Mention, first: _Mention, sentences: tuple[tuple[int, str], ...]) -> bool:
    """True for a likeness whose sentence names ``first`` again after it, a look-alike set
    aside ("This is a keeshond. ... It resembles a young Norwegian Elkhound, but the
    spectacles are unique to the keeshond")."""
    if not later.resembles:
        return False
    start, sentence = sentences[later.sentence]
    rest = sentence[later.pos - start + len(later.name) :]
    return re.search(rf"(?i)\b(?:but|though|whereas|yet)\b.*\b{re.escape(first.name)}\b", rest) is not None


def _trim_of(later: _Mention, first: _Mention) -> bool:
    """True when ``later`` is a code that names a trim of ``first``'s make and model rather
    than another name: it shares none of its words ("a Mercedes-Benz S-Class (W221), likely
    an S550", "a **Lamborghini Aventador**. Specifically, the **LP700-4 Coupe**")."""
    return (
        len(first.name.split()) > 1
        and any(ch.isdigit() for ch in later.name)
        and not set(_word_keys(later.name)) & set(_word_keys(first.name))
    )


def _trim_code(later: str, first: str) -> bool:
    """True for a short code in capitals ("GT", "SS", "V6") after a make and model."""
    return len(first.split()) > 1 and re.fullmatch(r"[A-Z][A-Z0-9]{1,3}", later) is not None


def _hedged(m: _Mention) -> bool:
    """True for a mention among alternatives ("A or B"); not a name and its Latin one ("the
    summer snowflake, Leucojum aestivum")."""
    return bool(m.alternatives) and not (len(m.alternatives) == 2 and _is_binomial(m.alternatives[1])
                                         and not _is_binomial(m.alternatives[0]))


def _as_specific(later: _Mention, first: _Mention, text: str) -> bool:
    """False for a later lower-case word after a capitalised name in another sentence, a
    group rather than a class ("This is an Ovenbird. ... it's actually a warbler"); but a
    lower-case name that narrows the first one is ("a **Pelargonium**. Specifically, it is a
    zonal pelargonium"); nor a trim code after a make and model that it leaves out ("a
    **Lamborghini Aventador**. Specifically, the **LP700-4 Coupe**"), nor a Latin binomial
    after a common name other than its genus, nor the name the bracket after the first one in
    ``text`` gave it already."""
    trim = _trim_of(later, first)
    latin = (  # "a Frangipani — specifically it looks like Plumeria rubra"; but "an **Allium**,
        _is_binomial(later.name)  # specifically *Allium giganteum* (Giant Onion)": its genus
        and not _is_binomial(first.name)
        and later.name.split()[0].casefold() != first.name.casefold()
    )
    glossed = re.match(  # "**'Red Lion' amaryllis** (*Hippeastrum* 'Red Lion') ... these are actually
        r"[^(\n]{0,80}\([^()\n]*?" + re.escape(later.name) + r"\b", text[first.pos :]  # *Hippeastrum*":
    ) is not None  # the first name's own gloss, said again
    return not trim and not latin and not glossed and (
        later.name != later.name.lower()
        or first.name == first.name.lower()
        or later.sentence == first.sentence
        or _specialises(later.name, first.name)
    )


def _best_mention(mentions: list[_Mention], text: str, *, structured: bool) -> _Mention:
    """The mention to rank first: the first one that is neither ruled out nor a heading,
    unless a later one corrects it ("is actually a X", "I lean towards X"), contradicts a
    likeness ("it resembles X, but ... it is Y"), or picks one name of a hedge ("either A or
    B; the stripe suggests B"), or, when the answer opens with reasoning or is laid out in
    sections, a later sentence gives the verdict ("Therefore, it is a X"); then the first
    name of the last such sentence. A lower-case opening ("is a high-speed electric unit")
    gives way to a later weighed verdict in capitals ("All of this points to the N700")."""
    pool = [m for m in mentions if not m.ruled_out and not m.heading]
    pool = pool or [m for m in mentions if not m.ruled_out] or mentions
    first = pool[0]
    sentences = _sentences(text)
    stated = [  # "... So my final answer is a **BMW M3** coupe": the answer says which
        m
        for m in pool
        if m.pos > first.pos
        and _FINAL_STATEMENT.search(sentences[m.sentence][1])
        and not (m.conceded or _hedged(m) or m.listed or _aliased(m, text))  # not "..., often called Y"
    ]
    if stated:
        last = stated[-1].sentence
        said = next(m for m in stated if m.sentence == last)
        return next(  # "This looks like **Prince of Wales feathers** ... So my answer is Prince of
            (m for m in pool  # Wales feathers (...)": the name in full, as given before
             if m.pos < said.pos and m.name.startswith(said.name + " ") and m.name[len(said.name):].islower()
             and not _is_binomial(m.name)),  # not "Gaura lindheimeri ... So the answer is Gaura."
            said,
        )
    corrections = [
        m
        for m in pool
        if m.correction and (m is first or (m.pos > first.pos and _as_specific(m, first, text)))
    ]
    if corrections and corrections[-1] is not first:  # the first name of the last correcting
        # sentence ("On closer inspection, it is a X (*Y z*), also called W": X)
        last = corrections[-1].sentence
        return next(m for m in corrections if m.sentence == last)
    taken_back = [  # "It is a X. Hmm, but the dual wheels ... Therefore, it is a **Y**"
        m
        for m in pool
        if m.sentence > first.sentence
        and m.conclusion
        and not (m.conceded or m.resembles or m.alternatives or m.listed)
        and not _POSSIBILITY.search(sentences[m.sentence][1])  # "it could also be a Y"
        and any(
            _TAKING_BACK.match(_strip_markdown(sentences[i][1]))
            for i in range(first.sentence + 1, m.sentence + 1)
        )
    ]
    if taken_back:
        last = next(m for m in taken_back if m.sentence == taken_back[-1].sentence)
        if not _restates(last.name, first.name):
            return last
    attribute = first.sentence < len(sentences) and re.search(  # "characteristic of the X"
        r"(?i)\b(?:characteristic|typical|indicative|suggestive) of\b", sentences[first.sentence][1]
    )
    kind = (  # "a fan-shaped bivalve", "a green garnet": a kind described, then concluded on
        first.name == first.name.lower() and len(first.name.split()) > 1
        and _adjective_like(first.name.split()[0])
    )
    if attribute or kind:  # "... characteristic of the Abarth version. Therefore, this is a **Y**."
        concluded = [
            m
            for m in pool
            if m.sentence > first.sentence
            and (kind or m.name != m.name.lower())
            and _CONCLUSION.match(_strip_markdown(sentences[m.sentence][1]))
            and not (m.conceded or m.resembles or m.alternatives or m.listed)
        ]
        if concluded:
            return concluded[-1]
    simile = first.resembles and _SIMILE.match(text, max(0, text.rfind(",", 0, first.pos))) is not None
    if first.described or simile:  # "The image shows a duck on a pond. ... This is a northern
        # shoveler.", "packed on a stem, like a bunch of grapes. This is grape hyacinth."
        stated = (
            m
            for m in pool
            if m.sentence > first.sentence
            and _IDENTIFYING_LEAD.match(_strip_markdown(sentences[m.sentence][1]))
            and not (m.described or m.conceded or m.resembles or m.alternatives or m.listed)
        )
        if (plain := next(stated, None)) is not None:
            return plain
    if first.described:
        scene = first.name == first.name.lower() and ("," in first.name or _describes_scene(first, text))
        if scene and (named := next((m for m in pool if m.pos > first.pos and not m.described), None)):
            return named  # "The image displays **bilateral, peripheral opacities** ... may be
            # consistent with **COVID-19 pneumonia**": the scene, then the name
    generic = first.decisive and first.name == first.name.lower()  # "the bill suggests a heron"
    if first.resembles or first.conceded or generic:  # "it resembles a X, but the nape shows
        # it is a Y", "the bill suggests a heron, but the rusty head points to a Y"
        contrasts = [
            m
            for m in pool
            if m.pos > first.pos
            and (m.contrast or (  # "It looks like a X. No, the roof is longer - it is a Y"
                m.sentence > first.sentence and _NO_LEAD.match(sentences[m.sentence][1])
                and m.name != m.name.lower() and not _POSSIBILITY.search(sentences[m.sentence][1])
                and not (m.resembles or m.conceded or m.alternatives)))
            and _as_specific(m, first, text)
            and not set(_word_keys(m.name)) < set(_word_keys(first.name))  # "the Dakota" again
        ]
        if contrasts:
            return contrasts[0]
    if first.resembles and not _bold_in(first.name, text):  # "Looks like a little Doberman —
        marked = (  # it's a **Miniature Pinscher**": the model's mark on the likeness's sentence
            m
            for m in pool
            if 0 <= text.find(first.name, first.pos) < m.pos  # not "like a **Frenchie** (French
            and m.sentence == first.sentence  # Bulldog)": a gloss of the same name
            and _bold_in(m.name, text)
            and not (m.resembles or m.conceded or m.alternatives or m.listed)
        )
        if (marked_name := next(marked, None)) is not None:
            return marked_name
    if first.conceded:  # "Although it resembles a X, the line identifies it as a Y"
        plain = (
            m
            for m in pool
            if m.pos > first.pos
            and m.sentence == first.sentence
            and not (m.conceded or m.resembles or m.alternatives)
            and m.name not in first.alternatives  # "could be an **A** or a **B**": the hedge,
            and not _OR_BEFORE.search(text, max(0, m.pos - 12), m.pos)  # also "a **A** Crunchy bar or a **B** bar"
            and not _restates(m.name, first.name)  # "could suggest a **X**": its own bold span
            and not _aliased(m, text)  # not "I'd say a X (...), also called Y"
        )
        stated = next(plain, None)
        if stated is None:  # "Although it might look like a X,
            # the face tips the balance. That pattern is diagnostic of the **Y**", "While ... might
            # make you think of a X, the dog is much too small. This is a **Y**": a later verdict
            stated = next(
                (m for m in pool if m.sentence > first.sentence
                 and (m.decisive or m.conclusion or _IDENTIFYING_LEAD.match(_strip_markdown(sentences[m.sentence][1])))
                 and _bold_in(m.name, text) and _title_case(m.name)
                 and not (m.conceded or m.resembles or m.alternatives or m.listed)
                 and not _restates(m.name, first.name)),
                None,
            )
        if stated is not None:
            return stated
    if first.alternatives:  # "either A or B; the stripe suggests B": the verdict on the hedge
        picks = [
            m
            for m in pool
            if m.pos > first.pos
            and not (m.alternatives or m.conceded)  # not "A, or maybe a B" again
            and (
                m.decisive
                # a verdict, in a later sentence or on the first name; not "this is a **X**,
                # probably the Y" in one
                or (m.conclusion and (m.sentence > first.sentence or m.name == first.name))
                # "The two breeds most often confused are the A and the B ... this is a **B**":
                # the model's mark, after the hedge; not "### Similar Species\n- **Sasanqua Camellia**"
                or (first.conceded and m.sentence > first.sentence and _bold_in(m.name, text)
                    and not (m.listed or _in_lookalike_section(text, m.pos)))
            )
            and any(_restates(n, m.name) for n in first.alternatives)  # "it's a 2012 B sedan"
            and not (  # "an S-Class (W221), likely an S550": a trim of a lettered model; not
                _trim_of(m, first)  # "a Boeing 737-800 or an A320", "an Aston Martin, most
                and not any(ch.isdigit() for ch in first.name)  # likely the V8 Vantage Coupe"
                and len(m.name.split()) <= 2
            )
            and not _italic(m.name, text)  # "a Dahlia (...), probably a *Dahlia pinnata*"
        ]
        if picks:
            return picks[-1]
    first_line = text.strip().split("\n", 1)[0]
    features = first.opener and (  # "Fawn coat, black mask → Pug.", "Toy dog, ... → X."
        not (_title_case(first.name) or _bold_in(first.name, text))  # not "**European mantis**"
        or re.search(_ARROW, first_line) is not None
        or _FEATURE_LIST.fullmatch(first_line) is not None  # "Toy dog, long silky coat, ..."
    )
    if features:
        weighed = [m for m in pool if m.pos > first.pos and (m.decisive or m.conclusion)]
        if weighed:
            return weighed[-1] if weighed[-1].decisive else weighed[0]
        marked = (  # "Smallish dark bird, ... — that's **Tree Swallow**": the bold name
            m for m in pool if m.pos > first.pos and _bold_in(m.name, text)
        )
        stated = (  # "Meep meep. That's a Greater Roadrunner": a remark, then what it is
            m for m in pool
            if m.sentence > first.sentence and _IDENTIFYING_LEAD.match(_strip_markdown(sentences[m.sentence][1]))
            and not (m.conceded or m.resembles or m.alternatives or m.listed)
            and not _KIND_OF.search(sentences[m.sentence][1])  # not "sea holly. it is a type of eryngium."
        )
        return next(marked, None) or next(stated, first)
    opens_with_reasoning = first.described or first.listed or first.pos >= sentences[0][0] + len(sentences[0][1])
    verdicts = [  # after a list of candidates, a weighed name is a verdict too ("- A: ...\n- B:
        m  # ...\nStep 5: The notched tail favors the C")
        for m in pool
        if (
            m.conclusion
            or (first.listed and m.decisive and not (m.listed or m.conceded or _restates(m.name, first.name)))
        )
        and m.sentence > first.sentence
        and not _hypothetical(m, sentences)  # "If it were a shrub, I'd lean toward X instead"
        and not (m.name == m.name.lower() and _TRAIT_OF.match(text, m.pos))  # "the fenders are
        # characteristic of the heavy-duty 3500 series": a trait, no verdict
        and not _trim_code(m.name, first.name)  # "two **Ford Mustangs** ... The red one appears
    ]  # to be a GT": a trim of one of them
    series = re.search(r"(?i)[\s-](?:series|family|line|range|lineup)$", first.name) is not None
    if (first.name == first.name.lower() or series) and not opens_with_reasoning:  # "a Fujifilm
        words = first.name.split()  # X100-series camera ... I'd say this is the X100V"
        generic = bool(set(words) & GENERIC)  # "a bird of prey"
        broad = (  # "a blender", "wireless earbuds": a kind
            len(words) == 1 or generic or all(_adjective_like(w) for w in words[:-1]))
        verdicts = [  # "This is a wood-warbler. ... It's a Cape May.", "This is a bird of
            m  # prey. ... Based on these features, it is a red-tailed hawk."
            for m in pool
            if m.pos > first.pos
            and not m.alternatives
            and not _aliased(m, text)  # not "a pot marigold, also called X"
            and not (" " not in m.name and _italic(m.name, text) and not _bold_in(m.name, text))  # nor "more
            # consistent with *Trametes*": a genus; but "so I will just say **Lilium**"
            and (
                ((m.decisive or m.conclusion) and not (m.resembles or m.conceded)
                 and m.name != m.name.lower())
                or (broad and m.sentence > first.sentence and _narrows(m, sentences, generic=generic)
                    and (not m.conceded or _LIKENED_LEAD.match(sentences[m.sentence][1]))
                    and not _turns_back(m, first, sentences))
            )
        ]
        opens_with_reasoning = True
        pool = verdicts  # "a twin-engine regional jet, probably an X": X
    if verdicts and opens_with_reasoning:
        last = [m for m in pool if m.sentence == max(m.sentence for m in verdicts)]
        plain = [m for m in last if not (m.resembles or m.conceded)]  # "The long-haired version
        # is the Somali, but the short coat points to the Abyssinian": the statement after "but"
        return next((m for m in plain if m.contrast and m.decisive), None) or next(iter(plain), last[0])
    return first


_OR_BEFORE = re.compile(r"\sor\s+(?:an?\s+|the\s+)?[*_]*$")  # the second name of a hedge: "... or a **B**"


def _hypothetical(mention: _Mention, sentences: tuple[tuple[int, str], ...]) -> bool:
    """True when ``mention`` follows a hypothesis in its sentence ("If the plant were a shrub,
    I'd lean toward X instead"; not "It is X, though it could also be Y" for X)."""
    start, sentence = sentences[mention.sentence]
    return any(h.end() <= mention.pos - start for h in _POSSIBILITY.finditer(sentence))


_RANK_OR_FAMILY = re.compile(  # between a Latin name and its gloss: " var. *japonica*", " [Papaveraceae]"
    r"^[*_]*(?:\s+(?:var|subsp|ssp|f)\.\s+[*_]*[a-z-]+[*_]*|\s*\[" + _FAMILY.pattern + r"\])"
)
_CLOSING_GLOSS = re.compile(  # "This is Hericium erinaceus, lion's mane." a name closing the sentence
    r"(?!(?:an?|the|which|that|it|this|its|is|are|was|were|and|or|but|with|growing|found|syn|"
    r"formerly|now|previously|also)\b)"
    r"[A-Za-z][\w'-]*(?:\s+[a-z][\w'-]*){0,3}\s*(?:[.;!]|,\s+with\b|$)"
)
_FIRST_OF_NAMES = re.compile(r"(?P<name>[^\W\d_][\w' -]{1,50}?),\s+(?:or\s+)?[^\W\d_]")


def _latin_like(name: str, latin: str) -> bool:
    """True when ``name``, offered as the common name of the Latin name ``latin``, is itself a
    Latin name; not "Japanese camellia" after *Camellia japonica* or "Chinese hibiscus" after
    *Hibiscus rosa-sinensis*, which end in the genus."""
    return _is_binomial(name) and name.split()[-1].casefold() != latin.split()[0].casefold()


def _common_names_listed(inner: str) -> bool:
    """True for the inside of a bracket that lists two common names in lower case ("gazania,
    treasure flower", "toad lily, hairy toad lily"); not attributes ("heavy spines, red", "zonal,
    *X* y")."""
    parts = [part.strip() for part in inner.split(",")]
    return len(parts) == 2 and all(
        re.fullmatch(r"[a-z][a-z'-]+(?: [a-z][a-z'-]+){0,2}", part) is not None
        and not set(part.split()) & (DESCRIPTIVE | TINTS | PART_NOUNS)
        and not set(part.split()) <= GENERIC
        and not _adjective_like(part.split()[-1])
        for part in parts
    ) and not _adjective_like(parts[0].split()[0])


def _common_name(text: str, latin: str, *, terse: bool = False) -> str | None:
    """The common name the answer gives right after the Latin name ``latin`` ("*Astrantia
    major*, commonly known as greater masterwort", "X y (fly agaric)", "X y - the Z"); with
    ``terse`` (a Latin name that opens a one-line answer) after a comma too ("Pulsatilla
    vulgaris, pasqueflower")."""
    for m in re.finditer(re.escape(latin), text, flags=re.IGNORECASE):
        if " " not in latin and not terse and text[m.start() - 1 : m.start()] not in ("*", "_"):
            continue  # a genus is Latin in italics: "*Primula* (primrose)"; not "Identification:
            # Gladiolus (sword lily)", its common name, with "**Genus:** *Gladiolus*" below
        after = _RANK_OR_FAMILY.sub("", text[m.end() : m.end() + _WINDOW], count=1)
        paren = re.match(r"^[*_]*\s*[(\[]([^()\[\]\n]{1,80})[)\]]", after)  # "(X)", "[X]"
        synonym = paren is not None and re.match(  # "(also listed as *Enteridium lycoperdon*)"
            r"\s*(?:also|aka|syn\.?|or)\b[^()]*?[*_]+[A-Z][a-z]{2,}\s+[a-z][a-z-]{2,}[*_]+", paren.group(1))
        if paren is not None and (_FORMER_NAME.match(paren.group(1)) or synonym):
            after, paren = after[paren.end() :], None  # "(formerly *Sedum spectabile*)", a
            # synonym: another Latin name, then maybe the gloss
        if paren is not None:  # "(commonly known as spear thistle or bull thistle)": the first
            # "(**common liverwort**, also called umbrella liverwort)": the first name of the gloss
            inner = re.sub(r",\s+(?:also|or|aka|sometimes|commonly|often|(?-i:[A-Z]{2,6})(?= for short\b|$))\b.*",
                           "", paren.group(1))  # "(golden silk orb-weaver, GSOW for short)"; commas
            # left over say the bracket is no gloss (below), which is why this cuts only alias tails
            listed = (  # not "Hyderabadi dum biryani (mutton, kacchi style)"
                len(latin.split()) == 2 and _common_names_listed(inner)
            )
            gloss = _ALIAS_LABEL.sub("", inner.split(",")[0] if listed else inner)
            name = _clean_name(re.split(r"\s+or\s+", gloss, maxsplit=1)[0])
            no_gloss = (  # "*X* (zonal, *X* y)", "*X* (heavy spines, red)", "*X* (Nyctaginaceae)"
                ("," in inner and not listed)
                or _FAMILY.fullmatch(paren.group(1).strip(" *_")) is not None
                or _RANK_WORD.match(paren.group(1).strip(" *_")) is not None  # "(genus *Hippeastrum*)"
                or re.fullmatch(r"\s*[*_]+[A-Za-z][a-z'’-]+[*_]+\s*", paren.group(1)) is not None  # "(*acharuli*)":
                # one word in italics, a name in another language or a genus, not a common name
                or re.fullmatch(r"\s*[*_]*[A-Z]\.\s*[a-z][a-z-]{2,}[*_]*\s*", paren.group(1)) is not None  # "(*C. x*)"
                or re.search(rf"\b{re.escape(latin.split()[0])}\b", paren.group(1)) is not None
                or re.search(r"(?i)\b(?:type|subtype|form|variant|stage|grade)\s*$|^\s*(?:type|stage|grade|class)\s",
                             paren.group(1)) is not None
            )  # "**Petunia** (*Petunia* × *atkinsiana*)", "**Amaryllis** (*Hippeastrum*)": Latin;
            # "**Hodgkin lymphoma** (classic type)", "actinic keratosis (grade I–II)": a form of it
            if name is not None and not (_latin_like(name, latin) or len(gloss.split()) > 5 or no_gloss):
                return name
        alias = _ALIAS.match(after.split("\n", 1)[0])  # not "*X y*\n\n- Domed umbels ..."
        if alias is None or not (alias.group("sep") or alias.group("alias")):
            continue
        dash = (alias.group("sep") or "").strip() in ("-", "–", "—", ":")  # a dash or "X y: oxeye daisy"
        closing = alias.group("sep") == "," and _CLOSING_GLOSS.match(after, alias.end()) is not None
        article = re.match(r"(?i)an?\s+", after[alias.end() :])
        apposed = (  # "Geococcyx californianus, a greater roadrunner, running ...": a name set off by commas
            alias.group("sep") == "," and article is not None
            and re.match(r"\s*,", _lowercase_name(after[alias.end() + article.end() :])[1]) is not None
        )
        if (
            not alias.group("alias")
            and not (dash or terse or closing or apposed)
            and not re.match(r"(?i)(?:the|or)\s", after[alias.end() - 4 :].lstrip())
        ):
            continue
        if re.match(r"(?i)" + HEDGE + r"\b", after[alias.end() :]):
            continue  # "X y, or possibly Z": a second guess, not a gloss
        if alias.group("sep") == "," and not alias.group("alias") and article is not None and not apposed:
            continue  # "Amanita muscaria, a toxic mushroom": a description
        if dash and _DESCRIBED_KIND.match(after, alias.end()):
            continue  # "*Cautleya spicata* — a Himalayan ginger relative": a description
        if dash and _CLAUSE_OPENING.match(after[alias.end() :]):
            continue  # "*Quercus rubra* — based on the lobes": the reasons, not a name
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        if dash and re.fullmatch(r"\s*(?:[-*•]|\d+[.)])\s+[*_]*", line):
            continue  # "- **Rudbeckia hirta** – golden petals, ...": a candidate and its marks
        rest = _PREFIX.sub("", after[alias.end() :], count=1)
        quoted = re.match(r"['‘](?P<name>[^'’\n]{2,60})['’](?!\w)", rest)  # "commonly called 'dog
        # vomit slime mold'": single quotes mark the name
        name = _clean_name(quoted["name"]) if quoted is not None else _leading_name(rest, allow_lowercase=True)[0]
        if name is None and (first := _FIRST_OF_NAMES.match(rest)) is not None:
            name = _clean_name(first.group("name"))  # "the flame lily, fire lily, or glory lily"
        if name is not None and not _latin_like(name, latin):
            return name
    return None


_DESCRIBED_KIND = re.compile(  # "a Himalayan ginger relative", "a low evergreen shrub"
    r"(?i)an?\s+(?:[\w-]+\s+){0,3}(?:relative|cousin|member|type|kind|species|plant|shrub|tree|vine|herb|"
    r"perennial|annual|bulb|succulent|grass|weed|wildflower)\b"
)
_CLAUSE_OPENING = re.compile(
    r"(?i)(?:based|judging|given|considering|going|from|with|its?|this|that|which|as|because|"
    r"note|see)\b"
)
_CAVEAT = re.compile(  # "I can't diagnose ...", "X cannot be ruled out": a caveat, not a refusal
    r"(?i)\b(?:diagnos\w*|ruled? out|excluded|assumed|biopsy|medical advice)\b"
)
_FINER_LEVEL = re.compile(
    r"(?i)\b(?:cultivars?|variet(?:y|ies)|trim|(?:model )?year|generation|subspecies|hybrid|sex|age)\b"
)
_PART_ASKED = re.compile(  # "I can't tell which filling they have": a part of what it named
    r"(?i)\b(?:which|what)\s+[a-z]+\s+(?:it|they|this|these)\s+(?:has|have|had|uses?|contains?)\b"
)


_FEATURE_LIST = re.compile(  # a line of field marks without a verb: "Toy dog, silky coat, ..."
    r"(?:(?!\b(?:is|are|was|were|looks?|seems?|appears?)\b)[^,\n]){1,80}"
    r"(?:,(?:(?!\b(?:is|are|was|were|looks?|seems?|appears?)\b)[^,\n]){1,80}){3,}"
)
_TRAIT_OF = re.compile(r"(?i)(?:(?:is|are|was|were)\s+)?(?:typical|characteristic)\s+of\b")


def _declines(text: str, *, strict: bool = False) -> bool:
    """True when the answer says it cannot name the subject ("I'm not sure", "unknown"), not
    a part of it ("I can't tell which filling they have"), nor (unless ``strict``) only a
    finer level of it ("The specific cultivar cannot be determined") or a caveat ("I can't
    diagnose")."""
    return any(
        _REFUSAL.search(sentence) and not _PART_ASKED.search(sentence)
        and (strict or not (_FINER_LEVEL.search(sentence) or _CAVEAT.search(sentence)))
        for _, sentence in _sentences(text)
    )


_FAMILY_AFTER = re.compile(  # "a ground beetle belonging to the family Carabidae"
    r"(?i)[*_]*\s*(?:\(\s*|,?\s+(?:belonging to|of|in|from) the\s+)(?:family|genus|order|subfamily)\s"
)
_RULE = re.compile(r"(?m)^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$")
_THINKING_PLAN = re.compile(  # "Here's a thinking process to identify the flower:\n\n1. ...": numbered
    r"(?i)\A\s*[*_#]*\s*(?:here(?:'s| is) (?:a|my) )?(?:thinking|thought) process\b"  # steps, then the answer
)
_STEP = re.compile(r"(?m)^[ \t]*\d+[.)][^\n]*(?:\n(?![ \t]*\n)[^\n]*)*")  # a numbered step and its lines
_VERDICT_STEP = re.compile(r"(?i)[ \t]*\d+[.)][ \t*_]*(?:final |the )?(?:conclusion|answer|verdict|identification)\b")


def _parse_text(text: str) -> list[str]:
    """Candidate names in a free-text answer, best first. An answer set apart by a
    horizontal rule after the reasoning ("**Weighing Options** ... \n---\nThe car is a
    **X**") is read first."""
    text = _prepare(text)
    intro = _TABLE_INTRO.match(text)
    table = text[intro.end() :] if intro is not None else text
    if _scored_table(table):  # a table of scored candidates, after a line that leads in
        text = _table_fields(table)
    *reasoning, answer = _RULE.split(text)
    step = next(reversed(list(_STEP.finditer(text))), None) if not reasoning and _THINKING_PLAN.match(text) else None
    if step is not None and not _VERDICT_STEP.match(step.group(0)):  # not "5. **Conclusion:** The bird is a X"
        reasoning, answer = [text[: step.end()]], text[step.end() :]  # the plan's steps, then the answer
    thoughts = text.rstrip().endswith("</think>")  # a reasoning model that answered only in
    if thoughts:  # its thoughts: their last paragraph is the answer ("... It's falafel.")
        reasoning, answer = [text], text.rstrip().removesuffix("</think>").strip().rsplit("\n\n", 1)[-1]
    if reasoning and (named := _parse_section(answer)):
        return _finished(_dedupe([*named, *_parse_section(text)]), text)
    return _finished(_parse_section(text), text)


def _first_bold_phrase(text: str) -> str | None:
    """The first bold span of an answer that reads as a name in lower case, not a label, a
    description or a question ("affected by **late blight** (*Phytophthora infestans*)"),
    else the first such phrase after a finding's cue ("signs of", "consistent with"): the
    fallback where nothing else names anything, as in answers about diseases, tissues or
    findings, whose names are not capitalised; None in a refusal."""
    refusal = _declines(text, strict=True) or re.search(r"(?i)\bisn't possible\b", text) is not None
    if refusal and not _CAVEAT.search(text):
        return None  # "I'm unable to identify ... fitted **car cover**"
    for m in _BOLD.finditer(text):
        inner = (m.group("a") or m.group("b") or "").strip(" *_")
        if not inner[:1].islower():
            continue  # "**Assessing the Image**": a heading; capitalised names are read before
        if ":" in inner or text[m.end() : m.end() + 3].lstrip(" *_").startswith((":", "：")):
            continue
        if inner.endswith("?") or _QUESTION_WORD.match(inner):
            continue
        name = _clean_name(inner)
        if name is not None and _plain_name(name) and not _adjective_like(name):
            return name
    for m in _FINDING_CUE.finditer(text):  # "... which are signs of chronic obstructive
        name = _clean_name(m.group("name"))  # pulmonary disease (COPD)"
        last = m.group("name").split()[-1].casefold()
        if (name is not None and _plain_name(name) and not _adjective_like(name)
                and last not in GENERIC | CATEGORY_WORDS):
            return name  # not "suggest long-necked waterbirds", "a small perching bird"
    return None


_FINDING_CUE = re.compile(  # what a finding is said to point to, in lower case
    r"(?i)\b(?:signs? of|consistent with|suggestive of|indicative of|characteristic of|"
    r"(?:may |might |could |would |which )?suggests?|caused by|affected by|diagnosis of|"
    r"points? (?:to|towards?))\s+"  # "several features point toward emphysema"
    r"(?:(?:an?|the)\s+)?(?P<name>[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,4}?)\s*(?=[.,;:()]|$|\s+(?:or|and|in|on|with|which|that)\b)"
)


def _finished(names: list[str], text: str) -> list[str]:
    """``names`` after the reads of the whole answer that override the choice of its
    sections: a family's name last, a common name glossing an opening Latin one, the flower
    a caption's subject sits on, a candidate ticked in a list, a name spelled again after a
    typo, the singular the answer also gives a plural first name, the English name glossing
    one in another language, a decline (:func:`_unless_declined`), a kind named before the
    name the answer then gives, a description before it, a nickname before the name it
    stands for, a style before a name."""
    for step in (_families_last, _glossed_opening, _visited_flower, _ticked, _respelled, _said_singular,
                 _in_english, _unless_declined, _kind_then_name, _description_then_name, _nickname_spelled_out):
        names = step(names, text)
    return _dedupe([spaced_genera(_STYLE_BEFORE.sub("", name)) for name in names])


_STYLE_BEFORE = re.compile(r"^[^\W\d_][\w'’]*-style\s+(?=\S)")  # "Peruvian-style ceviche", "an
# F-style mandolin": a style of the class, which the answer names after it


def _unless_declined(names: list[str], text: str) -> list[str]:
    """[] where the answer declines what ``names`` would give (:func:`_coarse_declined`,
    :func:`_described_in_refusal`); ``names`` otherwise."""
    return _described_in_refusal(_coarse_declined(names, text), text)


_CANNOT = r"(?:can ?not|can't|unable to|not able to|couldn't|could not|(?:don't|do not) think (?:i|we) can)"
_WHICH_KIND = r"which(?!\s+(?:cultivar|variety|trim|(?:model\s+)?year|generation|subspecies|form)\b)"  # not
# "which cultivar": a finer level than the name
_REFUSES_SUBJECT = re.compile(  # "I can't make out the flower", "can't determine the make, model"
    r"(?i)\b" + _CANNOT + r"\s+(?:\w+\s+){0,2}?"
    r"(?:(?:make out|identify|determine|tell|say)\s+(?:you\s+)?(?:what|" + _WHICH_KIND + r"|(?:the|an?) (?:flower|plant|bird|dog|cat|"
    r"animal|breed|species|car|vehicle|make|aircraft|plane|product|dish|subject|object|item)s?|it|this|them)|"
    r"narrow (?:it|this|them) down)\b"  # "I can't narrow it down further"
)  # "I don't think I can responsibly tell you which crow it is"


def _kind_then_name(names: list[str], text: str) -> list[str]:
    """``names`` led by a later name of several lower-case words that the answer states as
    what the subject is ("It is a hooded merganser"), a bold name set after it with a colon
    or a dash ("a fly: the **hornet hoverfly**") or a name of the kind that it is "known as",
    where the first is one lower-case word, a kind ("This is a duck with a black head ... It
    is a hooded merganser")."""
    if len(names) < 2 or " " in _kind_name(names[0]) or not names[0].islower():
        return names
    first = text.casefold().find(names[0].casefold())
    for name in names[1:4]:
        if name.endswith(f" {names[0]}") and _adjective_like(name.split()[0]):
            continue  # "a crocus ... It's a spring-flowering crocus": the same, described
        stated = " " in name and name.islower() and re.search(
            rf"(?i)\b(?:it|this|(?:(?<=[.!?] )|(?<=\n))(?:the|this) {re.escape(names[0])})(?:'s| is) (?:an? |the ){re.escape(name)}\b",
            text[max(first, 0) :],
        )  # "The image features a duck ... The duck is a red-breasted merganser"
        known = _specialises(name, names[0]) and f"**{names[0]}**" not in text.casefold() and re.search(
            rf"(?i)(?<!also )\b(?:known as|called)\s+(?:an?\s+|the\s+)?[*_]*{re.escape(name)}\b", text
        )  # "a large white poppy (...), known as a Matilija poppy"; not "a **windflower**, also known as"
        if stated or known or re.search(  # "is actually a fly: the **hornet hoverfly**"
            rf"(?i)\b{re.escape(names[0])}\s*[:—–]\s*(?:the\s+|an?\s+)?\*\*{re.escape(name)}\*\*", text
        ):
            return _dedupe([name, *names])
    return names


def _description_then_name(names: list[str], text: str) -> list[str]:
    """``names`` led by a later name with capitals that the answer states as what the subject
    is ("It is a Chanel Classic Flap bag", "I believe it's the Vitamix 5200") where the first
    describes it: a lower-case phrase led by a colour ("a black quilted leather handbag"), or a
    brand and the kind of thing ("a Vitamix blender") that the later name gives a model of."""
    words = names[0].split() if names else []
    if len(names) < 2 or len(words) < 2:
        return names
    coloured = names[0].islower() and words[0] in TINTS
    brand = " ".join(w for w in words if not w.islower())
    branded = bool(brand) and words[-1].islower() and names[0].startswith(brand) and not _is_latin(names[0], text)
    if not (coloured or branded):  # not "Cattleya labiata", a species of the "Cattleya orchid" named after it
        return names
    after = text[max(text.casefold().find(names[0].casefold()), 0) :]
    for name in names[1:4]:
        if name.islower() or (branded and not (name.startswith(f"{brand} ") and name != names[0])):
            continue
        if re.search(
            r"(?i)\b(?:(?:it|this|they)(?:'s| is| are|(?: appears?| seems?) to be| looks? like)|"
            rf"makes? it)\s+(?:(?:an?|the)\s+)?{re.escape(name)}",
            after,
        ):
            return _dedupe([name, *names])
    return names


def _described_in_refusal(names: list[str], text: str) -> list[str]:
    """[] where an answer that says it cannot make out its subject ("I can't make out the
    flower ... all I can see is a pale shape") names it only in lower case with no verdict
    after: the lower-case phrase describes the picture; ``names`` otherwise."""
    if not names or not names[0].islower():
        return names
    return [] if _declined_by(_REFUSES_SUBJECT, text, guess_within=True, finer=True) else names


_BELOW_THE_NAME = re.compile(r"(?i)\b(?:cultivars?|hybrids?|sex|male|female)\b")  # what a plant's or a bird's name leaves open
_NAMED_LEVEL = re.compile(r"(?i)\b(?:species|breed|genus|make|model)\b")  # what a name gives


def _declined_by(pattern: re.Pattern, text: str, *, guess_within: bool, finer: bool = False) -> bool:
    """True when the first sentence of ``text`` that ``pattern`` finds (not a doubt about
    certainty) has no guess after it ("... but I'd go with X"); ``guess_within``: a guess in
    that sentence itself counts too; ``finer``: not where the sentence's paragraph opens on a
    finer level ("As for the specific cultivar: ... I can't tell them apart"). A sentence
    that declines what the name leaves open, in it or in the sentence before ("there are
    hundreds of named cultivars. I can't say which one this is", "whether this is a male or a
    female"), without naming a level a name gives (species, model), declines nothing."""
    previous, end = "", 0
    for at, sentence in _sentences(text):
        before = "" if "\n\n" in text[end:at] else previous  # the paragraph's sentence before
        previous, end = sentence, at + len(sentence)
        if pattern.search(sentence) and not _CERTAINTY.search(sentence):
            if _BELOW_THE_NAME.search(before + sentence) and not _NAMED_LEVEL.search(sentence):
                continue
            head, gap, _ = text[:at].rpartition("\n\n")
            if finer and _FINER_LEVEL.search(text, len(head + gap), len(head + gap) + 40):
                return False
            return _GUESS_AFTER.search(text, at if guess_within else at + len(sentence)) is None
    return False


_NAMING_VERB = (
    r"(?:identify|determine|tell|say|name|pin (?:it |this )?down|narrow (?:it |this )?down|give|be sure|"
    r"distinguish between)\b"  # "I can't reliably distinguish between the models that share this styling"
)
_CANNOT_NAME = (  # "I can't determine the exact model", "there isn't enough visible to say which"
    r"(?i)\b(?:" + _CANNOT + r"|impossible to|"
    r"(?:isn't|is not|not) (?:\w+ )?(?:possible|enough[^.\n]{0,60}?) to|too (?:\w+ ){0,2}?\w+ (?:for (?:me|us) )?to)"
    r"\s+(?:\w+\s+){0,3}?"  # "not clear enough to determine the exact breed"
    + _NAMING_VERB
    + r"[^.\n]{0,60}?\b"
)
_DECLINED_MODEL = re.compile(  # the answer cannot name the model below the make it named
    _CANNOT_NAME
    + r"(?:models?(?!\s+years?)|variety|whether (?:it|this)|which (?:one|of (?:these|them|the)))\b|"
    r"\b(?:exact |specific |precise )?model\s+(?:can ?not|can't|could not|couldn't)\s+be\s+"
    r"(?:\w+\s+)?(?:determined|identified|told)|\bbeyond the (?:make|brand)\b"
)
_DECLINED_PICK = re.compile(  # ... or cannot choose among the candidates it listed
    _CANNOT_NAME + r"(?:species|breed|model|" + _WHICH_KIND + r"|whether)\b|\b(?:species|breed|model)\s+(?:can ?not|can't|"
    r"could not|couldn't)\s+be\s+(?:\w+\s+)?(?:determined|identified|told)|\bbeyond the (?:genus|family)\b|"
    r"\b(?:i'd|i would) rather not (?:pick|choose|commit to|guess)\b(?![^.\n]*\bbut\b)|"  # "I'd rather not pick one"
    r"\b" + _CANNOT + r"\s+(?:\w+\s+)?(?:choose|decide|pick)\s+(?:between|among)\b|"  # "I can't confidently choose
    # between them:"
    r"\b(?:would|could) help (?:me )?(?:to )?(?:narrow|pin) (?:it|this|them) down\b|"  # "A clearer photo of the
    # leaves would help narrow it down" after a list
    r"\b(?:difficult|hard) to\s+" + _NAMING_VERB + r"[^.\n]{0,40}?\b"  # among the candidates listed:
    r"(?:species|breed|model|" + _WHICH_KIND + r")\b"  # "It's difficult to say which model"
)
_CERTAINTY = re.compile(  # a doubt about certainty or pedigree, no decline: "the exact breed with
    r"(?i)\b(?:certain|certainty|definitive|definitively|for sure|100 ?%|purebred|pedigree|papers|genetic)"
)  # certainty", "whether a black cat is a purebred Bombay"
_GUESS_AFTER = re.compile(r"(?i)\b(?:best guess|i'd go with|i would go with|most likely|probably|leaning)\b")
_COULD_BE = re.compile(r"(?i)\b(?:could|might|may) (?:also )?be (?:either )?(?:an? |the )?[*_]*")  # before candidates


def _coarse_declined(names: list[str], text: str) -> list[str]:
    """[] where the answer names only a make or brand (one word, "a Lamborghini"; or a
    capitalised word and a noun, "a Coca-Cola product") and says it cannot name the model
    ("I can't determine the exact model"), or leads with one candidate of a list ("1. Cairn
    Terrier 2. Norfolk Terrier ...", "It could be a Cairn Terrier, a Norfolk Terrier ...") and
    says it cannot choose ("not clear enough to determine the exact breed"); either with no
    guess after that ("... but my best guess is X"). ``names`` otherwise: a genus named where the species is declined ("the genus
    *Clematis*; I can't determine the species") is kept, as is a name whose finer level
    alone is declined ("the exact model year")."""
    if not names:
        return names
    words = names[0].split()
    coarse = not any(ch.isdigit() for ch in names[0]) and (
        len(words) == 1 or (len(words) == 2 and words[0][:1].isupper() and words[1].islower())
    )
    listed = re.search(rf"(?m)^[ \t]*(?:[-*+•][ \t]|\d+[.)])[ \t]*[*_]*{re.escape(names[0])}\b", text) or any(
        text.startswith(names[0], m.end()) and text[m.end() + len(names[0]) :].lstrip("*_").startswith((",", " or "))
        for m in _COULD_BE.finditer(text)
    )  # or the first of candidates in a row: "It could be a Bichon Frise, a Maltese, or a Havanese."
    taxon = re.search(r"(?i)\b(?:genus|species|spp?\.)", text)  # "a *Penstemon* sp. ... which one"
    declined = _DECLINED_PICK if listed else _DECLINED_MODEL if coarse and not taxon else None
    if declined is None or not _declined_by(declined, text, guess_within=False):
        return names
    return []


_TICKED = re.compile(  # a list item that is a name and a tick: "2. Black-throated Sparrow ✓",
    r"(?m)^[ \t]*(?:[-*+•][ \t]+|\d+[.)][ \t]*)[*_]*(?P<name>[^\n✓✔☑():,]{2,60}?)[*_]*[ \t]*"  # "- Snake's
    r"(?:[✓✔☑]|\((?:most likely|best match|my pick|chosen)\))[ \t]*$"  # Head Fritillary (most likely)"
)


def _ticked(names: list[str], text: str) -> list[str]:
    """``names`` led by the one candidate of a list that the answer ticks (not a feature in
    a table: ticks there weigh marks, not names)."""
    ticked = list(_TICKED.finditer(text))
    name = _clean_name(ticked[0].group("name")) if len(ticked) == 1 else None
    if name is None or not (_title_case(name) or _plain_name(name)):
        return names
    return _dedupe([name, *names])


_RESPELLING = re.compile(  # "Anna's Humingbird — sorry, Anna's Hummingbird", "Spiker C8 (correct
    r"(?i)(?:[—–-]\s*(?:sorry|i mean)[,:]?|\(?\s*(?:typo\s*[—–:-]|correct(?:ed)?\s+spelling"  # spelling:
    r"(?:\s+is)?\s*[:：]?))\s*"  # Spyker C8)"
)


def _respelled(names: list[str], text: str) -> list[str]:
    """``names`` led by the name the answer spells again to correct a typo in its first."""
    at = text.find(names[0]) if names else -1
    fix = _RESPELLING.search(text, at + len(names[0])) if at >= 0 else None
    if fix is None or fix.start() - at - len(names[0]) > 120:
        return names
    spelled, _ = _leading_name(text[fix.end() :], allow_lowercase=False)
    return names if spelled is None else _dedupe([spelled, *names])


def _families_last(names: list[str], text: str) -> list[str]:
    """``names`` with a family's name after the others ("Giant white arum lily — ... (it's an
    aroid, Araceae)"): the family is what an answer names when it names nothing finer.
    ``text`` is unused; every step of :func:`_finished` takes it."""
    del text
    return sorted(names, key=lambda n: _FAMILY.fullmatch(n) is not None)


def _said_singular(names: list[str], text: str) -> list[str]:
    """``names`` led by the singular of a plural first name that the answer also gives
    ("these are a pair of Hooded Mergansers ... the female Hooded Merganser")."""
    if not names or not re.search(r"[a-z]s$", names[0]):
        return names
    singular = {name_key(names[0][:-1]), name_key(re.sub(r"ies$", "y", names[0]))}
    counted = re.search(  # "shows three **White Pelicans** — more precisely, **American White Pelicans**"
        rf"(?i)\b(?:{'|'.join(COUNT_WORDS)}|several|a (?:pair|couple|flock|group) of)\s+[*_]*"
        rf"(?:[\w'-]+\s+){{0,3}}{re.escape(names[0].split()[-1])}\b", text
    )
    said = next(  # as the answer writes it, not as made singular here ("Great Pyrenee")
        (n for n in names[1:] if name_key(n) in singular
         and (counted or re.search(rf"\b{re.escape(n)}\b(?!s)", text))), None
    )
    return names if said is None else _dedupe([said, *names])


_VISITED = re.compile(  # "a bee on a pink cosmos flower": what a caption's subject sits on
    r"(?i)\b(?:on|from|next to|near|at|visiting)\s+(?:an?|the|some)\s+"
    r"(?P<flower>(?:(?!(?:of|with|and|or)\b)[\w'-]+\s+){0,3}?[\w'-]+)\s(?:flowers?|blossoms?|blooms?)\b"
    r"(?!\s+(?:stalks?|stems?|spikes?|beds?|pots?|box(?:es)?|gardens?|shops?|markets?|vases?)\b)"  # not "a
)  # yucca flower stalk": where a bird perches


_VISITOR = re.compile(  # a caption's subject that visits flowers, named only by its kind
    r"(?i)^\W*(?:there\s+is\s+)?(?:an?|the)\s+(?:[a-z]+\s+)?(?P<kind>bee|honeybee|bumblebee|butterfly|moth|"
    r"hoverfly|wasp|ladybug|ladybird|beetle|insect|hummingbird)\b[^.!?\n]*?\b(?:on|on top of|visiting)\s+"
    r"(?:an?|the)\s+(?P<flower>[a-z][^.!?\n]*)$"
)


def _visited_flower(names: list[str], text: str) -> list[str]:
    """``names`` led by the flower that the first subject of a one-sentence caption sits on,
    when the caption names it as a flower by more than its colour ("a bee on a pink cosmos
    flower", "a hummingbird hovering next to a red trumpet creeper flower"; not "... near a
    red flower"), or names the subject by its kind alone ("a bee on a globe thistle")."""
    if len(text) > 200 or len(_sentences(text)) != 1:
        return names
    visit = _VISITED.search(text) or _VISITOR.match(text.strip())
    if visit is None or (names and not 0 <= text.casefold().find(names[0].casefold()) < visit.start("flower")):
        return names
    if visit.re is _VISITOR and names and names[0].casefold() != visit["kind"].casefold():
        return names  # "a monarch butterfly on a purple coneflower": the butterfly is named
    end = visit.end() if visit.re is _VISITED else len(text)
    flower, _ = _leading_name(text[visit.start("flower") : end], allow_lowercase=True)
    if flower is None or (names and name_key(flower) == name_key(names[0])):
        return names
    return _dedupe([flower, *names])


def _glossed_opening(names: list[str], text: str) -> list[str]:
    """``names`` led by the common name that glosses a Latin name opening a terse answer
    ("Crocosmia 'Lucifer' (montbretia)", "muscari armeniacum, armenian grape hyacinth",
    "Aquilegia vulgaris — common columbine [Ranunculaceae]")."""
    opening = _OPENING_LATIN.match(text)
    if opening is None or not _is_latin_opening(opening, names):
        return names
    common = _common_name(text, opening.group(0).strip(" \t\n#>*_"), terse=True)
    if common is None or (len(common.split()) == 1 and _adjective_like(common)):
        return names
    latin = _latin_like(common[:1].upper() + common[1:], opening["genus"])
    if latin or re.match(r"[a-z]+ly\b", common):  # "giant allium (allium giganteum)", "—
        return names  # botanically Hippeastrum"; not "Magnolia x soulangeana, saucer magnolia"
    return _dedupe([common, *names])


def _in_english(names: list[str], text: str) -> list[str]:
    """``names`` led by the English name the answer glosses its first one with ("柴犬 (Shiba
    Inu)", "Es una **flor de Pascua** (in English: **Poinsettia**)")."""
    if (not names or _CJK.search(names[0])) and (gloss := _CJK_GLOSS.search(text)) is not None:
        english = _clean_name(gloss.group("name"))
        return _dedupe([english, *names] if english else names)
    if names and (english := _english_name(names[0], text)) is not None:
        # not "Lamborghini Aventador LP700-4 (English: a Lamborghini Aventador coupe)": the
        # name said again, with a body word
        own, said = set(names[0].casefold().split()), set(english.casefold().split())
        added = {word for word in names[0].split() if word.casefold() not in said
                 and (word.islower() or word.casefold() in BODY_STYLES) and word.isalpha()}
        # but "**Ford Mustang descapotable de 2007** (en inglés: 2007 Ford Mustang Convertible)",
        # "**Audi S5 Cabriolet** (English: Audi S5 Convertible)": words of its own language; not
        # "Ford Ranger de cabina extendida (en inglés, Ford Ranger SuperCab)": the English one is fuller
        kept = said <= own | BODY_STYLES | CLASS_WORDS and not added and not own < said
        return names if kept else _dedupe([english, *names])
    return names


_PICTURE_WORDS = frozenset(
    {"image", "photo", "photograph", "picture", "shot", "snapshot", "capture", "frame", "view",
     "scene", "close-up", "closeup", "focus"}
)
_PICTURE_SUBJECT = re.compile(  # the picture is the subject of the verb: "The photo is"
    r"(?i)(?:^|[.!?]\s+)[\W_]*(?:the|this|that)\s+(?:" + "|".join(sorted(_PICTURE_WORDS)) + r")\s*$"
)


def _described_names(text: str) -> list[_Mention]:
    """Names in the answer's description of the picture ("The image shows a rainbow
    trout."), not the scene ("a cluster of dark berries"): a plural description names a
    class only when a Latin name or a rank glosses it ("a cluster of grape hyacinths
    (Muscari)": grape hyacinth)."""
    found = []
    for m in _identified(text, allow_lowercase=True, described=True):
        if m.described and (held := _held_name(m, text)) is not None:
            found.append(replace(m, name=held))  # "shows a vase filled with yellow daffodils", "a
            # garden bed with many purple coneflowers", "a hand holding a single red rose"
        elif m.described and _taxon_glossed(m, text):
            found.append(replace(m, name=_singular(m.name, _words_used(text))))
        elif not m.described or not (
            _UNSURE.search(text) or (_describes_scene(m, text) and not _served(m, text))
        ):
            found.append(m)
    return found


_FILLED = r"(?:filled|full|packed|overflowing|covered|lined|planted|carpeted)\s+(?:with|of)"
_FILLED_WITH = re.compile(  # a mention that is what a container holds: "a vase filled with"
    r"(?P<lead>[^\n]{0,40}?\b" + _FILLED + r"\s+)(?:(?:" + "|".join(sorted(TINTS)) + r")(?:\s+and\s+|,\s*|\s+))*"
)
_HELD_BY = re.compile(  # what a scene holds: "[a garden] bed with many", "[a wall] covered with",
    r"(?:\s+[a-z]+){0,2}?\s+(?P<link>" + _FILLED + r"|with|holding)\s+"  # "[a hand] holding a single"
    r"(?:(?:many|several|some|lots of|a few|dozens of|a single|an?|two|three|four)\s+)?"
    r"(?:(?:" + "|".join(sorted(DESCRIPTIVE)) + r")\s+)?"  # "... with many tall foxgloves"
)


def _held_name(mention: _Mention, text: str) -> str | None:
    """The name of what the scene a description names holds, in the singular: the mention
    itself after "filled with" ("a vase filled with yellow daffodils"), or what follows a
    scene ("a garden bed with many purple coneflowers", "a white wall covered with
    bougainvillea", a person's "hand holding a single red rose"; not "a man with a beard");
    None where the mention is no scene's content."""
    at = text.find(mention.name, mention.pos)
    filled = _FILLED_WITH.match(text, mention.pos)
    if filled is not None and filled.end("lead") <= at <= filled.end():  # the colour goes
        return _singular(text[filled.end() : at + len(mention.name)], _words_used(text))
    last = mention.name.split()[-1]
    if mention.name != mention.name.lower() or last not in HOLDER_NOUNS | PERSON_NOUNS:
        return None  # not "a green leaf with several small brown spots": a part and its marks
    held = _HELD_BY.match(text, at + len(mention.name)) if at >= 0 else None
    if held is None or (last in PERSON_NOUNS and held["link"] != "holding"):
        return None
    rest = text[held.end() :]
    counted = _QUANTITY_OF.match(rest)  # "several clumps of black-eyed susans"
    name = _leading_name(rest[counted.end() :] if counted is not None else rest, allow_lowercase=True)[0]
    return None if name is None else _singular(name, _words_used(text))


_SERVING = re.compile(  # "features a large plate of nachos": a dish, plural or not
    r"[^\n]{0,40}?\b(?:" + "|".join(sorted(SERVING_NOUNS)) + r")\s+of\s+"
)


def _served(mention: _Mention, text: str) -> bool:
    """True when ``mention`` is what a serving holds ("a plate of nachos", "a stack of
    pancakes"): a dish, whose name may be plural; not "a cluster of dark berries"."""
    m = _SERVING.match(text, mention.pos)
    return m is not None and text.startswith(mention.name, m.end())


def _taxon_glossed(mention: _Mention, text: str) -> bool:
    """True when a Latin name in brackets or a rank follows ``mention`` in ``text``: "a
    hellebore (*Helleborus*)", "a wrasse (family Labridae)"."""
    end = text.find(mention.name, mention.pos) + len(mention.name)
    return bool(_LATIN_IN_BRACKETS.match(text, end) or _FAMILY_AFTER.match(text, end))


_CLOSING_VERDICT = re.compile(r"(?i)\s*(?:that|this|it)(?:'s|’s|\s+is)\s+(?:an?|the)\s")


_UNKNOWN_LAST = re.compile(r"(?:so,?\s+|thus,?\s+)?(?:my\s+)?final\s+answer(?:\s+is)?\s*:?\s*unknown")


def _parse_section(text: str) -> list[str]:
    """Candidate names in a prepared free-text answer, best first."""
    if not text.strip():
        return []
    final, refused = _final_answer(text)
    lines = [_strip_markdown(ln).strip(_EDGE_PUNCT).casefold() for ln in text.split("\n") if ln.strip()]
    if refused or (lines and "unknown" in (lines[0], lines[-1])) or (lines and _UNKNOWN_LAST.fullmatch(lines[-1])):
        return []  # "Unknown.\n\nThe image is too blurry ...", "... it is not possible.\n\nunknown",
        # "... they're waterbirds of some kind ...\n\nSo, my final answer is: unknown."
    fields = [] if final else _field_answer(text)  # "**Make:** Ford **Model:** Mustang ..."
    final = final or fields
    structured = _is_structured(text)
    identified = _identified(text, allow_lowercase=False)
    listed = _list_mentions(text)
    identified += _likeliest(text)
    mentions = sorted(
        identified + _bold_names(text, structured=structured) + listed, key=lambda m: m.pos
    )
    lowercase = _identified(text, allow_lowercase=True)  # every name, in lower case too
    opening = [  # "The dog in the image is a keeshond." before any capitalised name
        m
        for m in lowercase
        if m.sentence <= 1
        and m.name == m.name.lower()
        and not _description(m.name)  # "the female is plain grayish-brown"
        and not (m.described and any(n.pos > m.pos and not n.described and n.name.islower() for n in lowercase))
        # "There is a black stripe across the wings. It is a viceroy butterfly."
        and (not mentions or m.pos < mentions[0].pos or _latin_apposition(m, mentions[0]))
        and not (  # "The image is a night-time infrared capture", "The photo is a little out of
            _PICTURE_SUBJECT.search(text, 0, m.pos) and m.name.split()[-1] in _PICTURE_WORDS
        )  # focus": the picture, not its subject; but "The picture is a hibiscus flower"
    ]
    if opening and " " not in _kind_name(opening[0].name):  # "... is a type of
        opening += [  # lily. (...) This is a tiger lily.": a kind, then its member, in lower case
            m for m in lowercase
            if m.sentence > 1 and m.name == m.name.lower() and _specialises(m.name, opening[0].name)
        ]
    closing = text.rstrip().rfind("\n\n")  # "**Observing Key Characteristics** ... \n\nThat's
    if not (opening or mentions or final) and closing > 0 and _CLOSING_VERDICT.match(text, closing + 2):
        opening = [  # a red-winged blackbird (...)": the last paragraph opens with the verdict
            m for m in lowercase
            if m.pos > closing and m.name == m.name.lower()
        ][:1]
    set_aside = (  # set aside, or a lower-case part of the scene ("there are pink-tinged tips")
        m.conceded or m.resembles or m.ruled_out or (m.described and m.name.islower()) for m in mentions
    )
    if mentions and not opening and all(set_aside):
        sentences = _sentences(text)  # "At first it might look like a Yellow-throated Vireo, but
        opening = [  # ... This is a pine warbler.": set aside, then stated in lower case; "there
            # are pink-tinged tips. ... This is an oxeye daisy.": a part seen, then the name
            m for m in lowercase
            if m.name == m.name.lower() and m.pos > mentions[-1].pos
            and not (m.conceded or m.resembles or m.ruled_out or m.described)
            and _IDENTIFYING_LEAD.match(_strip_markdown(sentences[m.sentence][1]))
        ][:1]
    if _SPECIES_REFUSAL.search(text):  # "I can't identify the specific dish. It is a bowl of
        opening = [m for m in opening if _taxon_glossed(m, text)]  # noodle soup ...": a
        # lower-case description names no class; but "a hellebore (*Helleborus*)" is a name
    refined = [  # "**Cattleya** orchid — specifically the ruby-lipped cattleya": a lower-case refinement
        m for m in lowercase
        if m.name == m.name.lower() and re.match(r"(?i)(?:more\s+)?specifically\b", text[m.pos : m.pos + 20])
        and any(n.pos < m.pos and _specialises(m.name, n.name) and not _described_refinement(m.name, n.name)
                for n in mentions)
    ]
    identified += opening
    mentions = sorted(opening + refined + mentions, key=lambda m: m.pos)
    if mentions and _aliased(mentions[0], text):  # "The image shows a hellebore,
        glossed = [  # sometimes called a Lenten rose": the name the alias glosses comes first
            m
            for m in _identified(text, allow_lowercase=True, described=True)
            if m.described and m.sentence == mentions[0].sentence and m.pos < mentions[0].pos
        ]
        caption = _bare_phrase(text[: mentions[0].pos]) if (
            not glossed and mentions[0].sentence == 0 and re.match(r"(?i)\s*(?:an?|the)\s", text)
            and re.search(r",\s*(?:also|sometimes|often|commonly)\b", text[: mentions[0].pos + 12])
        ) else None  # not "a japanese sweet called ichigo daifuku": a kind, then its name
        mentions = [*glossed, *([_Mention(0, caption)] if caption else []), *mentions]  # "A pink
        # nerine, sometimes called a Guernsey lily."
    latin = _opening_binomial(text)
    if latin is not None and not final:
        mentions.insert(0, _Mention(0, latin))
    elif (opener := _opening_name(text)) is not None and (not mentions or mentions[0].pos > 0):
        mentions.insert(0, opener)
    if not final and not identified:
        if _declines(text) and not listed and latin is None and not _TITLE_WITH_LATIN.match(text):  # not a
            # title's name, whatever the text under it cannot see ("... and I can't see it here")
            genus = _GENUS.search(text)  # "belongs to the genus *Clematis*; I can't tell
            return [genus.group("name")] if genus is not None else []  # the species"
        if not mentions:
            synonyms = _slash_names(text)
            if synonyms:
                return synonyms
            short = None if _IDENT.search(text) else _short_answer(text, whole=True)
            if short is not None:
                return _with_common_name(_either_subject(short), text)
            subject = _closing_bracket(text) or _subject_name(text) or _bare_phrase(text)
            if subject is not None:  # "a couch with a pug on it": what the scene holds
                subject = _held_name(_Mention(0, subject), text) or subject
                return _unpainted(_either_subject(subject), text)
            mentions = _described_names(text)  # the last resort
            if not mentions and (glossed := _glossing_binomial(text)) is not None:
                return [glossed]  # "belong to watercress (*Nasturtium officinale*)"
    mentions = _annotate(_ordinals_resolved(mentions), text)
    excluded = _excluded_keys(text)
    named = {name_key(m.name) for m in mentions}
    mentions = [replace(m, ruled_out=True) if _excluded(m.name, excluded, named) else m for m in mentions]
    stated = next(  # not "a brown sparrow ... a **Song Sparrow**"; but "This is **Monkshood**"
        (m for m in mentions if (" " in m.name or _bold_in(m.name, text)) and _title_case(m.name) and not m.heading),
        None,
    )
    named = stated.name if stated is not None else ""
    if stated is not None and not _in_lookalike_section(text, stated.pos):
        mentions = [  # "This is a **Common Yellowthroat** ... ### Similar species\n The mask might
            replace(m, ruled_out=True)  # suggest a **Kentucky Warbler**, but ...": set apart
            if _in_lookalike_section(text, m.pos) and not set(_word_keys(named)) <= set(_word_keys(m.name))
            else m
            for m in mentions
        ]
    names = [m.name for m in mentions]
    best = None
    if mentions:
        chosen = _best_mention(mentions, text, structured=structured)
        if _cultivar(chosen, text):  # "a **Canna**, likely the cultivar 'Lucifer'": the plant
            chosen = next((m for m in mentions if m.pos < chosen.pos and _plain_pick(m, text)), chosen)
        offered = {  # "a **Lily** ... suggest the cultivar *Lilium* 'Stargazer'": a cultivar of it
            m.name for m in mentions if m.pos > chosen.pos and _cultivar(m, text)
        }
        unaliased = [m for m in mentions if not _aliased(m, text) and m.name not in offered]  # "a
        # **Shoebill**, also known as the Shoe-billed Stork": an alias spells out no nickname
        best = _cut_short_of(_spelled_out(_unabbreviated(chosen.name, unaliased), text), text)
        former = offered | {  # "a **Brittany** (formerly known as the **Brittany Spaniel**)": a name it had
            m.name for m in mentions if _FORMERLY_BEFORE.search(text[max(0, m.pos - 80) : m.pos])
        }
        listed = {m.name for m in mentions if m.listed}
        specific = (  # "a Poodle ... a Standard Poodle", "Stag beetle — most likely the
            m.name  # European stag beetle": the specific one; not another item of the list
            for m in mentions  # the chosen name is in ("* **Glasswing** ✅\n* Small Glasswing")
            if not (m.listed and (chosen.listed or chosen.name in listed))
            and (len(_word_keys(_kind_name(best))) == 1 or (m.decisive and m.pos > chosen.pos))
            and not _italic(m.name, text)  # "a Gazania, probably a *Gazania rigens*": common
            and not _aliased(m, text)  # "X, also known as the Meadow X"
            and m.name not in former
            and _TRAIT_OF.match(text, m.pos) is None  # not "It's coltsfoot. ... is
            # typical of early spring coltsfoot."; not a look-alike, but "**Considering
            # look-alikes** ... Most likely a **Norwegian Elkhound**": a verdict in bold there
            and (((m.decisive or m.conclusion) and _bold_in(m.name, text)) or not _in_lookalike_section(text, m.pos))
        )
        best = next(  # "a **Ford** pickup, most likely a **Ford F-150**": make, then model
            (n for n in specific if _specialises(n, best) or _extends(n, best)), best
        )
        glossed = (  # "a Cattleya orchid — specifically Cattleya labiata, the ruby-lipped cattleya":
            common  # the common name of the species the answer narrows its genus to in so many
            for m in mentions  # words (not "a hibiscus, likely *H. rosa-sinensis* (Chinese hibiscus)")
            if m.pos > chosen.pos and m.correction and len(best.split()) <= 2 and _is_binomial(m.name)
            and m.name.split()[0].casefold() in best.casefold().split()
            and (common := _common_name(text, m.name)) is not None
        )
        best = next(glossed, best)
        sentences = _sentences(text)
        fuller = (  # "a Toyota Sequoia. ... This one looks like a 2012 Toyota Sequoia SUV."
            m.name
            for m in mentions
            if m.pos > chosen.pos
            and (m.conclusion or m.decisive or _bold_in(m.name, text))  # or the model's mark
            and not (m.conceded or m.alternatives or m.ruled_out or m.listed)
            and m.name not in former
            and not _POSSIBILITY.search(sentences[m.sentence][1])  # "it could also be the X"
            and (m.conclusion or not _in_lookalike_section(text, m.pos))
            and (_with_class_words(m.name, best) or _variant_of(m.name, best)
                 or _extends(m.name, best))  # "a Red Bull can ... So this is **Red Bull Sugarfree**"
        )
        best = next(fuller, best)
        names.insert(0, best)
    if final and best is not None and re.fullmatch(r"[A-Za-z-]*\d[\w-]*", final[0]) and _specialises(best, final[0]):
        final = [best, *final]  # "This is a **Mercedes-Benz SL550** ... So: a 2009–2012 SL550": a
        # model code, named in full with its make
    names = _undisclaimed(_unpainted(final + names, text), text)
    if fields and best is not None and _restates_fields(best, fields[0]):
        names.insert(0, best)  # "... The car is a 2012 Hyundai Veloster.": its own words
    if not names and (genus := _GENUS.search(text)) is not None:
        names = [genus.group("name")]  # "belongs to the genus **Gaura**": the most specific
    elif names and (genus := _genus_of(names[0], text)) is not None:
        names.insert(0, genus)  # "a bromeliad from the genus *Guzmania*": the genus narrows it
    if names and (fuller := _fuller_name(names[0], text)) is not None:
        names.insert(0, fuller)  # "... so it is a Cassin's." -> "Cassin's Vireo"
    elif names and (len(names[0].split()) > 1 or re.search(r"\d|-[A-Z]", names[0])):  # "A or B ... more likely the
        # V8 Vantage", "**Boeing 737-200** ... ### Conclusion ... make this a 737-200", "it could
        # also be a Mercedes-Benz G-Class. ... it is actually the G-Class": a model code
        named = (n for n in names[1:] if _names_model(n, names[0]) or _dated_model(n, names[0])
                 or _referred_back(n, names[0], text))
        names.insert(0, next(named, names[0]))  # -> "Aston Martin V8 Vantage", named before
    elif names and names[0][:1].isupper():  # "2011 Dodge Charger sedan. ... in favor of the Dodge"
        names.insert(0, next((n for n in names[1:] if _referred_back(n, names[0], text, make=True)), names[0]))
    names = [n for n in names if not all(w.casefold() in GENERIC for w in n.split())
             and n.split()[-1] not in UNNAMED_HEADS | TIMES_OF_DAY]
    return _with_common_name(_dedupe(names), text)


_FORMERLY_BEFORE = re.compile(
    r"(?i)\b(?:formerly|previously|once|originally)\s+(?:(?:known\s+as|called|named)\s+(?:the\s+|an?\s+)?)?[*_]*$"
)


def _referred_back(full: str, short: str, text: str, *, make: bool = False) -> bool:
    """True when the answer names ``full`` first and later refers back to it as "the
    ``short``", its last words ("a Sierra Nevada Pale Ale, or possibly their Torpedo, but the
    green label points to the Pale Ale") or, with ``make``, the make before its model ("2011
    Dodge Charger sedan. ... settle it in favor of the Dodge")."""
    first = text.find(full)
    part = (re.search(rf"(?:^|\s){re.escape(short)} [A-Z0-9]", full) is not None if make
            else _specialises(full, short) and _title_case(full))
    if first < 0 or text.find(short) < first or not part:
        return False
    return re.search(rf"(?i)\bthe\s+[*_]*{re.escape(short)}\b", text[first + len(full) :]) is not None


_SECTION_HEADING = re.compile(  # "### Similar Species", "**Look-alikes:**" on a line of its own,
    r"(?m)^[ \t]*(?:#{1,6}[ \t]+(?P<a>[^\n]+)|\*\*(?P<b>[^*\n]+)\*\*[ \t]*:?"  # "A couple of
    r"|(?P<c>[A-Z][^\n:*#]{0,120}):)[ \t]*$"  # species are worth ruling out:" over a list
)
_LOOKALIKE_HEADING = re.compile(
    r"(?i)\b(?:similar|look[- ]?alikes?|confus\w*|differential|distinguish\w*|alternatives?|"
    r"other (?:candidates|possibilities|species|options)|rul(?:e|ing) out)\b"
)


def _in_lookalike_section(text: str, pos: int) -> bool:
    """True when ``pos`` lies in a section whose heading sets look-alikes apart ("### Similar
    Species", "**Look-alikes:**"): a "Mexican Sunflower" there refines no "Sunflower"."""
    headings = list(_SECTION_HEADING.finditer(text, 0, pos))
    if not headings:
        return False
    heading = headings[-1]
    return _LOOKALIKE_HEADING.search(heading.group("a") or heading.group("b") or heading.group("c")) is not None


def _unabbreviated(best: str, mentions: list[_Mention]) -> str:
    """The name that a one-word nickname or acronym ``best`` shortens, when the answer gave it
    ("This looks like a **Staffordshire Bull Terrier** ... which favors the Staffie", "a
    **nucleated red blood cell (NRBC)** ... favors an NRBC"); ``best`` itself when it is a
    word of another name ("the Pyrenees" of "Great Pyrenees", "Bramley" of "Bramley's
    Seedling") or shortens none; a name of several words that the answer also gave with one
    more word ("an **English Cocker Spaniel** ... typical of the English Cocker"): that name."""
    if len(best.split()) != 1:
        return _fuller_by_a_word(best, mentions)
    key = best.casefold()
    others = [m for m in mentions if m.name.casefold() != key]
    if any(key in {re.sub(r"'s$", "", w) for w in m.name.casefold().split()} for m in others) and not any(
        key in m.name.casefold().split()[1:-1] and _title_case(m.name) for m in others
    ):  # but "Wheaten" of "Soft Coated Wheaten Terrier": a word inside it, the one that names it
        return best
    full = (m.name for m in others if not (m.ruled_out or m.conceded) and _nickname_of(best, m.name))
    return next(full, best)


def _fuller_by_a_word(best: str, mentions: list[_Mention]) -> str:
    """The name in capitals that ``mentions`` give as ``best`` and one more word in a verdict
    ("I think this is an **English Cocker Spaniel**"); ``best`` itself otherwise."""
    words = best.casefold().split()
    fuller = (
        m.name for m in mentions
        if m.name.casefold().split()[:-1] == words and _title_case(m.name) and m.conclusion
        and not (m.ruled_out or m.conceded)
    )
    return next(fuller, best)


_NICKNAME_FOR = re.compile(  # '"butter-butt" — the birder nickname for the Yellow-rumped X'
    r"""["'*_]*\s*[—–-]+\s*(?:(?:the|an?)\s+)?(?:[\w'-]+\s+){0,3}?nickname\s+(?:for|of)\s+"""
    r"(?:the\s+|an?\s+)?"
)
_QUOTED_THEN_NAME = re.compile(  # '"G-Wagen" — a Mercedes-Benz G63 AMG'
    r"""["']\s*[—–-]+\s*(?:specifically\s+)?(?:(?:the|an?)\s+)?(?=[*_]*[A-Z])"""
)
_SPELLED_OUT = re.compile(  # "RBNU (Red-breasted Nuthatch)", "**COYE**, Common Yellowthroat",
    r"[*_]*\s*(?:[!.]?\s*\(\s*|[!.]\s+|[—–]\s*(?:an?\s+)?|,\s+(?:also\s+(?:known\s+as|called)\s+(?:an?\s+|the\s+)?)?)"
    rf"(?:(?<=, )(?:an?\s+)?(?:{_SEX_AGE})\s+)?"  # "BTBW, a male Black-throated Blue Warbler"
    r"(?=[*_]*[A-Z]|(?<=\()[a-z])"  # "**Yorkie**! (Yorkshire Terrier)", "a Newfie — a Newfoundland!",
    # "a Yorkie, also known as a Yorkshire Terrier", "Staffie. Staffordshire Bull Terrier, the ...";
    # a bracket in lower case after a code in lower case: "rbwo (red-bellied woodpecker)"
)


def _cut_short_of(best: str, text: str) -> str:
    """The name that ``best`` cuts short where the answer gives ``best`` in brackets right
    after it ("a Miniature Pinscher (Min Pin) ... make me think it's a Min Pin"): each word of
    ``best`` opens the name's word in its place, and one is longer; ``best`` otherwise."""
    words = best.split()
    if f"({best})" not in text.replace("*", "").replace("_", ""):
        return best
    lead = rf"(?P<full>(?:[A-Z][\w'-]*\s+){{{len(words) - 1}}}[A-Z][\w'-]*)"  # as many words as ``best``
    for m in re.finditer(lead + r"[*_]*\s*\(\s*[*_]*" + re.escape(best) + r"[*_]*\s*\)", text):
        full = m["full"].split()
        if full != words and all(f.casefold().startswith(w.casefold()) for f, w in zip(full, words, strict=True)):
            return m["full"]
    return best


def _spelled_out(best: str, text: str) -> str:
    """The name that ``best`` stands for when the answer spells it out right after it: a
    nickname glossed as one ('"butter-butt" — the nickname for the Yellow-rumped Warbler'),
    a quoted nickname before a dash ('"G-Wagen" — a Mercedes-Benz G63 AMG'), an acronym in
    brackets ("RBNU (Red-breasted Nuthatch)", "VW GTI (Volkswagen Golf GTI)") or after a comma
    ("**COYE**, Common Yellowthroat"), a nickname before a dash or a comma ("Westie — West
    Highland White Terrier") or exclaimed before the full name ("a **Yorkie**! (Yorkshire
    Terrier)"); ``best`` itself otherwise."""
    at = text.find(best)
    if at < 0:
        return best
    rest = text[at + len(best) :]
    cue = _NICKNAME_FOR.match(rest) or _QUOTED_THEN_NAME.match(rest) or _SPELLED_OUT.match(rest)
    if cue is None or (" " in best and re.search(r"known|called", cue.group(0))):
        return best  # "a Cape Starling, also known as the Cape Glossy Starling": no nickname
    full, _ = _leading_name(rest[cue.end() :], allow_lowercase=False)
    if full is None and best.islower():  # "a rbwo (red-bellied woodpecker)": a code and its words in lower case
        inside = re.match(r"[a-z][a-z'-]*(?: [a-z][a-z'-]*){1,4}(?=\))", rest[cue.end() :])
        full = inside.group(0) if inside is not None else None
    if full is None or _is_binomial(full) or len(full) <= len(best):
        return best
    closed = re.match(  # "(Newfoundland dog)", "(Loggerhead Shrike, *Lanius ludovicianus*)",
        re.escape(full) + r"[*_]*(?:\s+[a-z]+)?\s*(?:,\s*[*_][^()\n]*|\s*/[^()\n]*)?\)",  # "(Great
        rest[cue.end() :],  # Pyrenees / Pyrenean Mountain Dog.)"
    ) is not None
    bracketed, exclaimed = "(" in cue.group(0), "!" in cue.group(0)  # "(Newfoundland dog)" is closed
    # a pet name in brackets: "Staffy (Staffordshire Bull Terrier)"; not "Labradoodle (Labrador
    # Retriever x Poodle)", a cross, nor "Brittany (Brittany Spaniel)", a word of the name
    pet_name = (best.endswith(("ie", "y")) and len(best) <= len(full) / 2
                and best.casefold() not in full.casefold().split())
    cut_short = any(  # "Pyr. (Great Pyrenees / ...)": a word of the name cut short
        w.casefold().startswith(best.casefold()) and len(w) > len(best) + 2 for w in full.split()
    )
    short = _acronym_of(best, full) or (
        (exclaimed or not bracketed or pet_name or cut_short) and _nickname_of(best, full)
        and not (cue.re is _SPELLED_OUT and cue.group(0).strip("*_ ") == "," and " " in best)  # not
    )  # "Candidates: American Bulldog, American Pit Bull Terrier": a list, no nickname of two words
    if cue.re is _SPELLED_OUT and not (short and closed if bracketed else short):
        return best  # "SNAPDRAGON (Antirrhinum Majus)", "Labradoodle (Labrador Retriever × Poodle)"
    return full


def _nickname_spelled_out(names: list[str], text: str) -> list[str]:
    """``names`` led by the full name the answer spells its first one out as, in whatever part
    of the answer gave it ("<answer>Staffy (Staffordshire Bull Terrier)</answer>", "It's a
    Newfie! (Newfoundland dog)"; :func:`_spelled_out`)."""
    if names and " " not in names[0] and (full := _spelled_out(names[0], text)) != names[0]:
        return _dedupe([full, *names])
    return names


_CJK_GLOSS = re.compile(  # a name in Latin letters in brackets after one in CJK script
    _CJK_CHAR + r"[^()\[\]\n]{0,40}[(（\[【]\s*(?P<name>[A-Za-z][\w .'&/-]{1,60}?)\s*[)）\]】,，;；]"
)  # "白头鹎（Light-vented Bulbul，学名 ...）", "红头啄木鸟 [Red-headed Woodpecker, *X y*]"
_IN_ENGLISH = r"en anglais|auf englisch|en ingl[ée]s|in inglese|em ingl[êe]s"  # "in English", glossing
_LOWER_WORD = r"(?:\s+(?-i:[a-zäöüßàâçéèêíóúñ]+))"  # a word of the answer's language, in lower case
_ALIAS_CLAUSE = (  # ", aussi appelés jacinthes à grappe": another name of the answer's own language
    r",?\s+(?:also called|also known as|también (?:llamad|conocid)[oa]s?(?: como)?|aussi appel[ée]e?s?|auch|bzw\.|"
    r"oder|ou|o)\s+"
    r"[^()\[\]\n.;]{1,50}?"
)
_ENGLISH_GLOSS = re.compile(  # "Es una **flor de Pascua** (in English: **Poinsettia**, ...)"
    r"(?i)[*_]*(?:\s*\([^()\n]{1,80}\))?"
    r"(?:" + _ALIAS_CLAUSE + r"(?:\s*\([^()\n]{1,80}\))?)?"  # "X (*Y z*), también llamado W (en inglés, V)": the
    # gloss of X's alias; "X, aussi appelé W (*Y z*) — en anglais, V"
    r"\s*(?:" + _LOWER_WORD + r"{0,3}\s*\((?:[^()\n]{0,80}?[,;]\s*)?|" + _LOWER_WORD + r"{0,3}[,;]" + _LOWER_WORD + r"{0,2}?|"
    r"(?:\s+[^\W\d_]+){0,4}\s[-–—]|[—–]|\.\s+|"  # "(*Hydroprogne caspia*), atau in English: **Caspian Tern**",
    # "(*Podiceps auritus*) im Prachtkleid zu sehen – auf Englisch *Horned Grebe*"
    r"(?:\s+[\u0400-\u04ff\d]+){1,4}\s*\()\s*"  # Cyrillic words or a year before the bracket:
    # "**Ford Focus** седан 2007 года (English: 2007 Ford Focus Sedan)"
    r"(?:in english|english name|"  # "... (*Aconitum napellus*) zu sehen, auf Englisch X"
    r"english(?=\s*[:：])|" + _IN_ENGLISH + "|"
    r"(?:also\s+|more\s+)?(?:known|called)\s+in\s+english\s+as|"  # ", known in English as the X"
    r"which\s+is\s+the\s+[a-z]+\s+(?:name|word)\s+for)"  # "X, which is the German name for Y"
    r"\s*(?:,?\s*(?:it|this|they)\s+(?:is|are)\s+(?:called|known\s+as)|is\s+)?[:：,]?\s*"
)  # "Das ist ein **Rubintyrann** (*Pyrocephalus obscurus*) – English: **Vermilion Flycatcher**";
# "The bird is an Ooievaar. In English it is called the White Stork."


_GLOSSED_NAME = r"(?P<name>[A-Z][\w'’-]*(?:(?<=St)\.)?(?:[ -][A-Za-z][\w'’-]*){0,4})"  # up to five words,
# capitalised ("St. Bernard")
_BRACKET_GLOSS = re.compile(r"[*_]*\s*\[" + _GLOSSED_NAME + r"\]")
_ROUND_GLOSS = re.compile(  # "(Western Meadowlark)", "(Western Meadowlark, *Sturnella neglecta*)"
    r"[*_]*\s*\(" + _GLOSSED_NAME + r"(?:\s*,\s*[*_][^()\n]*)?\)"
)
_CALLED_IN_ENGLISH = re.compile(  # "X (*Y z*), qu'on appelle wild pansy en anglais"
    r"(?i)[*_]*(?:\s*\([^()\n]{1,80}\))?,?\s+(?:qu['’]on (?:l['’])?appelle|appel[ée]e?s?|llamad[oa]s?|genannt|"
    r"chiamat[oa]|chamad[oa])\s+(?P<name>[^.,;:()\n]{2,40}?)\s+(?:in english|" + _IN_ENGLISH + r")\b"
)
_ENGLISH_AFTER = re.compile(  # "chat Sacré de Birmanie (Birman en anglais)", "(Brambling in English)", "X moderno (Y en inglés)",
    r"(?i)[*_]*(?:(?:" + _LOWER_WORD + r"{0,2}|" + _ALIAS_CLAUSE + r")\s*\((?:[^()\n]{0,60}?[,;]\s*)?"  # "X, aussi
    r"|(?:\s*\([^()\n]{1,80}\))?\s*[—–]\s*)"  # appelés W (*Y* en anglais)"; "X (*Y z*) — *V* / *W* en inglés."
    r"[*_]*(?P<name>[^()\n,;:/]{2,60}?)[*_]*(?:\s*/\s*[^()\n,;:]{2,40}?)?,?\s+"  # "(*Corvus corax*, Common Raven
    r"(?:in english|" + _IN_ENGLISH + r")\s*[:：]?\s*(?:\)|[.;]|$)"  # en inglés)"
)


def _english_name(name: str, text: str) -> str | None:
    """The English name that glosses ``name`` in an answer written in another language
    ("C'est une **pensée** (en anglais : Pansy, ...)", "Das ist ein **Deutscher
    Schäferhund** — in English, a German Shepherd Dog"), wherever the answer writes it
    ("Wahrscheinlich ... ein Schwarzhalstaucher oder ... sprechen für den **Schwarzhalstaucher**
    (Eared Grebe)"); None when there is none."""
    starts = [m.start() for m in re.finditer(re.escape(name), text, re.IGNORECASE)] or [-1]
    glossed = [at for at in starts if at >= 0 and _ENGLISH_GLOSS.match(text, at + len(name))]
    starts = glossed[:1] or starts  # "X — known in English as Y" outranks a bracket elsewhere: "X (France)"
    return next((english for at in starts if (english := _english_name_at(name, text, at)) is not None), None)


def _translated_first(names: list[str], text: str) -> list[str]:
    """``names`` led by the English name the answer (its thoughts too) gives before the first
    one as that name's translation ("That's a Saint Bernard — in German, Bernhardiner. ...
    **Ergebnis:** Bernhardiner")."""
    for translated in _TRANSLATED.finditer(text) if names else ():
        if re.match(r"(?i)(?:(?:the|an?|der|die|das|ein|eine|le|la|el|il|o)\s+)?[*_]*" + re.escape(names[0]) + r"\b",
                    text[translated.end() :]) and (english := _clean_name(translated["english"])) is not None:
            return _dedupe([english, *names])
    return names


_TRANSLATED = re.compile(
    r"(?P<english>[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3})[*_]*\s*(?:[—–,(]|\s-)\s*(?i:in|auf)\s+"
    r"(?i:german|deutsch|french|spanish|italian|portuguese|dutch|polish|swedish)\s*[,:]?\s*"
    r"(?i:(?:it's|it is|that's|called|it's called)\s+)?"
)


def _english_name_at(name: str, text: str, at: int) -> str | None:
    """The English name that glosses ``name`` where the answer writes it at ``at`` (-1: nowhere)."""
    gloss = _ENGLISH_GLOSS.match(text, at + len(name)) if at >= 0 else None
    if gloss is None:
        foreign_answer = at >= 0 and (foreign(text) or foreign_name(name))
        bracket = _BRACKET_GLOSS.match(text, at + len(name)) if foreign_answer else None  # not "a
        # Pied-billed Grebe [Podilymbus podiceps]" in English
        if bracket is None and foreign_answer:
            paragraph_end = text.find("\n\n") if "\n\n" in text else len(text)  # the first paragraph
            labelled = _LATER_ENGLISH.search(text, at + len(name), paragraph_end) or _ENGLISH_LINE.search(
                text, at + len(name))  # or a line of its own anywhere after: "Em inglês, é chamado de X"
            if labelled is not None:
                later, _ = _leading_name(labelled.group("rest"), allow_lowercase=True)  # "(Narcissus) ...
                if later is not None:  # ; en anglais, daffodils": the label outranks a bracket
                    return later
            bracket = _round_gloss(text, at + len(name))
        if bracket is not None and not (_is_binomial(bracket["name"]) or _FAMILY.fullmatch(bracket["name"])
                                        or _acronym_of(name.split()[-1], bracket["name"])
                                        or bracket["name"].isupper()):
            return bracket["name"]  # "ein männlicher **Neuntöter** [Red-backed Shrike]"; not a
            # family, nor the words of an acronym in the name ("**Hummer H2 SUT** (Sport Utility
            # Truck)"), nor an acronym ("Petit Basset Griffon Vendéen (PBGV)")
    else:
        rest = text[gloss.end() :]
        if "(" in gloss.group(0):  # "**Zebrabärbling** (*Danio rerio*, englisch: zebra danio) zu sehen",
            rest = re.split(r"[),;]", rest, maxsplit=1)[0] + "."  # "(englisch thorn apple, botanisch Datura)"
        english, _ = _leading_name(_PREFIX.sub("", rest, count=1), allow_lowercase=True)
        if english is not None:
            return english
    after = (_ENGLISH_AFTER.match(text, at + len(name)) or _CALLED_IN_ENGLISH.match(text, at + len(name))
             if at >= 0 else None)  # "(Bengal, en inglés)": the name before the label
    return _clean_name(after["name"]) if after is not None else None


_LATER_ENGLISH = re.compile(r"(?i)[;,.]\s*in english:\s*(?P<rest>[^\n;]{2,80})")
_ENGLISH_LINE = re.compile(r"(?im)^[ \t>*_-]*in english:\s*(?P<rest>[^\n;]{2,80})")


def _round_gloss(text: str, end: int) -> re.Match[str] | None:
    """A name in title case in round brackets at ``end`` of an answer in another language
    ("parece un **gato persa** (Persian)"); not a description ("(Portuguese custard tarts)") nor
    a bird's sex ("(Weibchen)")."""
    m = _ROUND_GLOSS.match(text, end)
    if m is None or not _title_case(m["name"]) or m["name"].casefold() in FOREIGN_SEX_WORDS or foreign(m["name"]):
        return None  # nor the answer's own language: "(Britânico de Pelo Curto)"
    return m


_HEDGE_BEFORE = re.compile(r"(?i)\b" + HEDGE + r"\s*$")  # "probably *Geranium* 'Rozanne'"
_CULTIVAR_BEFORE = re.compile(r"(?i)\b(?:cultivar|variety|var\.|cv\.)\s*[*_]*[\'\"‘“]?$")
_CULTIVAR_AFTER = re.compile(r"(?i)^[*_]*[\'\"’”]?[*_]*\s+(?:cultivar|variety)\b")


def _cultivar(mention: _Mention, text: str) -> bool:
    """True when the answer puts ``mention`` as a cultivar or variety of what it named
    ("likely the cultivar 'Lucifer'", 'the classic "British Blue" variety', "something like
    'Nelly Moser'": single quotes mark a cultivar; "probably *Geranium* 'Rozanne'": a genus in
    italics and its cultivar, offered), unless the model bolded it as its answer."""
    genus, _, rest = mention.name.partition(" ")
    quoted = (re.compile(rf"[*_]+{re.escape(genus)}[*_]+\s+['‘]{re.escape(rest)}['’]")
              if rest and (f"'{rest}" in text or f"‘{rest}" in text) else None)  # a test before a pattern
    if quoted is not None and (written := quoted.search(text, mention.pos)) is not None:
        lead = text[max(0, written.start() - 40) : written.start()]  # not "More specifically, it
        return bool(_CULTIVAR_BEFORE.search(lead) or _HEDGE_BEFORE.search(lead))  # is X"
    at = text.find(mention.name, mention.pos)
    end = at + len(mention.name)
    return (
        at >= 0
        and bool(
            _CULTIVAR_BEFORE.search(text[max(0, at - 40) : at])
            or _CULTIVAR_AFTER.match(text[end:])
            or (text[at - 1 : at] in ("'", "‘") and text[end : end + 1] in ("'", "’"))
        )
        and re.search(r"\*\*['\"‘“]?" + re.escape(mention.name) + r"['\"’”]?\*\*", text) is None
    )


def _plain_pick(mention: _Mention, text: str) -> bool:
    """True for a mention that may stand as the answer in place of a later cultivar."""
    return not (mention.ruled_out or mention.listed or mention.conceded or _cultivar(mention, text))


def _genus_of(name: str, text: str) -> str | None:
    """The genus the answer puts a lower-case group name in, right after it ("a succulent
    from the genus *Echeveria*"); None for a capitalised name or no such phrase."""
    if name != name.lower():
        return None
    after = re.search(re.escape(name) + r"[*_]*\s+(?:from|of|in)\s+(?=the\s+genus\b)", text)
    genus = _GENUS.match(text, after.end() + 4) if after is not None else None
    return genus.group("name") if genus is not None else None


_ALIAS_VERB = re.compile(r"(?i)(?:known|described|referred to) as|called|named")


def _aliased(mention: _Mention, text: str) -> bool:
    """True for a mention that gives another name of what came before ("..., also called X")."""
    return _ALIAS_VERB.match(text, mention.pos) is not None


def _fuller_name(name: str, text: str) -> str | None:
    """The full name that ``name`` abbreviates, when ``name`` reads as the modifier of a name
    ("Cassin's", "Olive-sided", "Downy") and the answer writes that name out elsewhere
    ("Cassin's Vireo"); None otherwise."""
    last = name.casefold().rsplit("-", 1)[-1]
    if " " in name or not (last.endswith(("'s", "ed")) or _adjective_like(last) or _arrowed(name, text)):
        return None
    keys = _word_keys(name)
    for m in re.finditer(r"(?<![\w'-])" + re.escape(name) + r"(?=[*_]*\s+[*_]*[A-Z])", text):
        line = re.split(r"\n[ \t]*\n", text[m.start() : m.start() + 120], maxsplit=1)[0]  # not "...
        run, _ = _capitalised_run(_strip_markdown(line))  # EL**\n\nStep by step"
        full = _clean_name(run) if run is not None else None
        if (
            full is not None
            and _word_keys(full)[: len(keys)] == keys
            and len(_word_keys(full)) > len(keys)
        ):
            year = re.search(r"\b(?:19|20)\d\d[ \t]+$", text[: m.start()])  # "**2009 Ford Expedition EL**"
            return full if year is None else f"{year.group(0).strip()} {full}"
    return None


def _arrowed(name: str, text: str) -> bool:
    """True when the answer points at ``name`` with an arrow ("white throat → Myrtle"): a word
    of a name written out elsewhere, as a field mark's conclusion."""
    return re.search(_ARROW + r"\s*[*_]*" + re.escape(name) + r"\b(?![*_]*\s+[A-Z])", text) is not None


_GENUS = re.compile(r"\bgenus[ \t]+[*_]*(?P<name>[A-Z][a-z]{2,})(?![a-z])")


_EXCLUSION = re.compile(
    # a name the answer sets aside wherever it stands: "the leaves rule out the ZZ", "Not a
    # sugar maple — ..."
    r"(?i)(?:\brul(?:e|es|ed|ing) out|\bexclud(?:e|es|ed|ing)|\beliminat(?:e|es|ed|ing)|"
    r"(?:^|[.!?]\s+)not|\bisn't|\bis (?:[*_]{1,2}not[*_]{1,2}|not)|\bit's not)\s+(?:the\s+|an?\s+)?"
)  # "the tuatara is **not** a lizard"


def _excluded_keys(text: str) -> frozenset[str]:
    """Keys (``name_key``) of the names the answer rules out ("rule out the ZZ")."""
    keys = set()
    for m in _EXCLUSION.finditer(text):
        line = text[m.end() : m.end() + _WINDOW].split("\n", 1)[0]  # not "isn't white-marked
        name, _ = _leading_name(line, allow_lowercase=True)  # \n\n**Leonberger**"
        if name is not None:
            keys.add(name_key(name))
    return frozenset(keys)


def _excluded(name: str, excluded: frozenset[str], named: set[str]) -> bool:
    """True when the answer rules out ``name`` (its key is in ``excluded``) or the version of
    another name it is ("an **Acura TL** ... The **Acura TL Type-S** had a conventional
    grille, so this is not a Type-S": the name less the version ruled out is among the keys
    ``named``)."""
    if not excluded:
        return False  # most answers rule nothing out
    if name_key(name) in excluded:
        return True
    words = name.split()
    return any(
        name_key(" ".join(words[:cut])) in named and name_key(version := " ".join(words[cut:])) in excluded
        and re.search(r"\d|-|[A-Z]\w*[A-Z]", version) is not None  # a code, not "Canna lily" ... "not a lily"
        for cut in range(1, len(words))
    )


_UNSURE = re.compile(
    r"(?i)\b(?:unclear|uncertain|ambiguous|indistinct|(?:hard|difficult|tricky) to (?:say|tell|"
    r"determine|identify|pin down)|can't tell|not (?:entirely |completely )?certain)\b"
)


_ONE_BEFORE = re.compile(r"(?i)\ban?\s+[*_]*$")  # "shows a [great pyrenees]": one thing
_EITHER_OR = re.compile(r"\s+or\s+(?:an?\s+)?")


def _either_subject(name: str) -> list[str]:
    """A lower-case subject hedged between two ("a beagle or basset hound mix on the grass"):
    both, in order."""
    if name != name.lower():
        return [name]
    return [part for part in _EITHER_OR.split(name) if part]


def _describes_scene(mention: _Mention, text: str) -> bool:
    """True for a lower-case phrase that describes the picture rather than names its subject:
    a plural ("dark berries", "a group of ducks") or a scene word ("a wooden bench", "a
    close-up of ..."); not one thing that only ends like a plural ("shows a great pyrenees")."""
    name = mention.name
    if name != name.lower():
        return False
    words = name.split()
    at = text.find(name, mention.pos)
    one = at >= 0 and _ONE_BEFORE.search(text[max(mention.pos, at - 8) : at]) is not None
    return (_plural_word(words[-1]) and not one) or words[-1] in SCENE_WORDS  # not "water lily"


_VEHICLE_CUE = re.compile(  # the answer is about a vehicle, whose colour is no part of a name
    r"(?i)\b(?:car|vehicle|parked|driving|" + "|".join(sorted(BODY_STYLES)) + r")\b"
)


def _latin_apposition(lower: _Mention, first: _Mention) -> bool:
    """True when ``first``, found at the same phrase as the lower-case ``lower``, is the
    Latin name in apposition to it ("is a windflower, Anemone blanda"): the common name leads."""
    return lower.pos == first.pos and _is_binomial(first.name)


_TINT_ANY_CASE = re.compile(_TINT.pattern, re.IGNORECASE)  # "Red Ferrari 458 Italia": paint, capitalised


def _unpainted(names: list[str], text: str) -> list[str]:
    """``names`` without the colour before a lower-case name, or before a name with a model
    number or year, when ``text`` is about a vehicle, whose paint is no part of a model's name
    ("the car is a white buick verano", "Red Ferrari 458 Italia Coupe 2012")."""
    if _VEHICLE_CUE.search(text) is None:
        return names
    return [n[t.end() :] if (t := _TINT_ANY_CASE.match(n)) and (n == n.lower() or re.search(r"\d", n[t.end() :]))
            else n for n in names]


_NO_KIND_AFTER = re.compile(  # after a word or two of a name: they name no kind of their own ('"Blue
    r"(?i)[\"'”’*_]*\s+(?:is|isn't|is\s+not|are|aren't|are\s+not)\s+(?:just\s+|only\s+|simply\s+|merely\s+)?"  # nose" is
    r"(?:(?:an?|one)\s+(?:[\w-]+\s+){0,2}(?:colou?r|colou?ring|pattern|marking|head\s+shape)|"  # just a color')
    r"(?:not\s+)?(?:an?\s+)?(?:separate|different|distinct|official|recogni[sz]ed)\s+(?:breed|species|variety))\b"
)
_NO_SUCH_THING = re.compile(r"no such thing as an?\s+[\"'“‘]?$")  # 'no such thing as a "teacup" breed'
_QUOTED_COLOUR_AFTER = re.compile(r"(?i)[\"”'’]\s+(?:colou?r|colou?ring|coat colou?r|phase|morph)\b")
_KIND_NOUN_AFTER = re.compile(r"[\"'”’]?\s+(?:breed|species|variety)\b")


def _undisclaimed(names: list[str], text: str) -> list[str]:
    """``names`` with the first one's leading words dropped when the answer says they name no
    kind of their own ('Blue nose pit bull. ... "Blue nose" is just a color', '"deer head"
    isn't a separate breed', 'no such thing as a "teacup" breed', 'a chocolate lab ... the
    "chocolate" color')."""
    words = names[0].split() if names else []
    lower = text.lower()
    lower = lower if len(lower) == len(text) else text  # offsets shared with ``text``
    for size in (1, 2):
        if len(words) <= size:
            break
        lead = " ".join(words[:size]).lower()
        at = lower.find(lead)
        while at >= 0:
            end = at + len(lead)
            said = _NO_KIND_AFTER.match(text, end) or (
                _NO_SUCH_THING.search(lower, max(0, at - 30), at) and _KIND_NOUN_AFTER.match(text, end)
            ) or (names[0].islower() and at > 0 and lower[at - 1] in "\"“'‘" and _QUOTED_COLOUR_AFTER.match(text, end))
            # 'a chocolate lab ... the "chocolate" color': a colour in quotes; not 'a **Halloween
            # Pennant** ... the "Halloween" colour scheme', the name explained
            if said and not (lower[at - 1 : at].isalnum() or lower[at - 1 : at] == "-"):
                return _dedupe([" ".join(words[size:]), *names])
            at = lower.find(lead, at + 1)
    return names


def _bold_in(name: str, text: str) -> bool:
    """True when ``text`` writes ``name`` in bold ("**Tree Swallow**"): the model's mark."""
    return f"**{name}**" in text


def _italic(name: str, text: str) -> bool:
    """True when ``text`` writes ``name`` in italics ("*Gazania rigens*", bold italic
    "***Cirsium vulgare***"): a Latin name."""
    pattern = r"(?<![*\w])(?P<mark>\*\*\*|[*_])" + re.escape(name) + r"(?P=mark)(?![*\w])"
    return re.search(pattern, text) is not None


_GLOSS_VERB = (  # what follows a Latin name glossed with a common one: ", commonly called"
    r"[*_]*\s*,?\s*(?:which is\s+)?(?:(?:also|more|commonly|popularly|often|sometimes|better)\s+)*"
    r"(?:known|called|referred to)\b"
)


def _is_latin(name: str, text: str) -> bool:
    """True for a Latin species name in ``text``: marked up ("*Echinops ritro*"), opening
    the answer, glossed with a common name ("Quercus robur, commonly called ...", an opening
    "Papilio machaon (Old World swallowtail)", "Papaver rhoeas, the corn poppy"), or with a
    Latin epithet ("Astrantia major")."""
    italic = _italic(name, text)
    if italic and re.fullmatch(r"[A-Z][a-z]{3,}", name):
        return True  # a genus in italics: "*Primula* (primrose)"
    if name.islower() and _is_binomial(name[:1].upper() + name[1:]) and not _adjective_like(name.split()[0]):
        # in lower case, but glossed like a Latin name: "a primula vulgaris, also known as";
        # not Title Case ("a Yellow Iris, also known as the yellow flag") nor led by an
        # adjective ("a yellow iris, also known as a yellow flag")
        return re.search(re.escape(name) + _GLOSS_VERB, text) is not None
    if not re.fullmatch(r"[A-Z][a-z]{2,} (?:[×x] )?[a-z][a-z-]{2,}(?: [a-z][a-z-]{2,})?", name):
        return False
    glossed = re.search(  # "Quercus robur, commonly called", "Gaura lindheimeri (now ...), commonly called"
        re.escape(name) + r"(?:[*_]*\s*\((?=\s*(?:now|formerly|previously|syn\.?)\s)[^()\n]{1,80}\))?" + _GLOSS_VERB, text)
    bracketed = _LATIN_EPITHET.match(name.split()[-1]) and any(  # "Tricyrtis hirta (toad lily)": a
        not _LATIN_EPITHET.match(m["gloss"].split()[-1])  # common name in lower case glosses it;
        # not "Metastatic carcinoma (tumor present)" nor "Toad lily (tricyrtis hirta)"
        for m in re.finditer(re.escape(name) + r"[*_]*\s*\((?P<gloss>[a-z][a-z'-]+(?: [a-z][a-z'-]+){1,2})\)", text)
    )
    bold = re.search(r"[*_]" + re.escape(name) + r"[*_]", text) and _is_binomial(name)
    if glossed and not _is_binomial(name) and re.search(  # "a Peruvian lily, also known as
        r"\b(?:an?|the)\s+[*_]*$", text[: glossed.start()], flags=re.IGNORECASE  # Alstroemeria"
    ):
        glossed = None  # a common name in sentence case after an article, not a Latin name
    if glossed and not _is_binomial(name) and re.search(  # "**Gerbera daisy**, also called
        rf"(?i)\b{re.escape(name.split()[-1])}\b", text[glossed.end() : glossed.end() + 60]  # Barberton
    ):  # daisy": the gloss shares its noun, so both are common names
        glossed = None
    opening_gloss = re.match(  # "Papilio machaon (Old World swallowtail)": an unusual epithet
        r"[\s#>*_]*" + re.escape(name) + r"[*_]*\s*\((?:the\s+)?(?P<gloss>[A-Z][^()\n]*)\)", text
    )
    if opening_gloss is not None and re.fullmatch(  # "Bearded dragon (Pogona vitticeps)"
        r"[A-Z][a-z]+(?: [a-z][a-z-]+){1,2}|[A-Z][\w'-]*", opening_gloss.group("gloss")
    ):
        opening_gloss = None  # the gloss is the Latin name (or one word), not a common name
    apposed = _is_binomial(name) and re.search(  # "Oenothera speciosa, the showy evening primrose",
        re.escape(name) + r"[*_]*(?:,\s+the|\s+[—–-])\s+[A-Za-z]", text  # "Nigella damascena — love-in-a-mist"
    ) is not None
    if italic or bold or glossed or bracketed or opening_gloss or apposed or _opening_binomial(text) == name:
        return not (set(name.casefold().split()) & (OPENERS | FUNCTION_WORDS | GENERIC))
    epithet = name.split()[-1]  # "Malva × clementii": the hybrid's epithet
    named_lower = re.search(r"\b(?:the|an?)\s+" + re.escape(name.casefold()) + r"\b", text) is not None
    return _is_binomial(name) and _LATIN_EPITHET.match(epithet) is not None and not named_lower  # not
    # "Sacred lotus", which the answer calls "the sacred lotus"


_OPENING_LATIN = re.compile(  # a Latin name that opens a terse answer, with a cultivar or
    r"[\s#>*_]*(?P<genus>[A-Za-z][a-z]{2,})"  # "hybrid"
    r"(?:[*_]*\s+[*_]*(?:[×x]\s+)?(?P<epithet>(?!hybrids?\b)[a-z][a-z-]{2,}))?"
    r"[*_]*(?P<form>(?:\s+(?:['‘][^'’\n]{1,40}['’]|\"[^\"\n]{1,40}\"|hybrids?\b))*)"
)


def _is_latin_opening(opening: re.Match[str], names: list[str]) -> bool:
    """True when ``opening`` (an ``_OPENING_LATIN`` match) is a Latin name the parse
    ``names`` begin with, or none: a binomial ("Aquilegia vulgaris", in lower case only with
    a Latin epithet: "muscari armeniacum"), or a genus with a cultivar or "hybrid"
    ("Crocosmia 'Lucifer'", "Phalaenopsis hybrid")."""
    genus, epithet, form = opening.group("genus"), opening.group("epithet"), opening.group("form")
    if epithet is not None and not form.strip():
        binomial = f"{genus[0].upper()}{genus[1:]} {epithet}"
        latin = _is_binomial(binomial) and (genus[0].isupper() or _LATIN_EPITHET.match(epithet) is not None)
    else:
        latin = genus[0].isupper() and bool(form.strip())
    first = name_key(names[0]) if names else ""
    return latin and (not names or first.startswith(name_key(genus)))


_LATIN_CULTIVAR = re.compile(r"[A-Z][a-z]+ [a-z][a-z-]{2,} (?P<cultivar>[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,3})")


def _with_common_name(names: list[str], text: str) -> list[str]:
    """``names`` with the common name first when the best one is a Latin name that the
    answer glosses with a common name, a one-word genus "commonly known as" a name it also
    holds ("a **Plumeria**, commonly known as **frangipani**"), or a binomial whose genus the
    answer used before as a common noun ("a hibiscus, probably Hibiscus rosa-sinensis")."""
    if not names:
        return names
    common = _common_name(text, names[0]) if _is_latin(names[0], text) else None
    if common is None and len(names[0].split()) == 1:  # "a **Plumeria**, commonly known as **frangipani**",
        # "a **Phalaenopsis** orchid, commonly called a **moth orchid**": a genus, then the common name
        lead = re.escape(names[0]) + r"[*_]*(?:\s+(?:orchid|flower|plant|tree|shrub|vine)s?)?[*_]*,?\s+"
        common = next((n for n in names[1:3] if re.search(
            lead + r"(?:commonly|popularly)\s+(?:known\s+as|called)\s+(?:an?\s+|the\s+)?[*_]*" + re.escape(n) + r"\b",
            text)), None)
    if common is None and (bred := _LATIN_CULTIVAR.fullmatch(names[0])) is not None:
        gloss = re.search(  # "*Cercis canadensis* 'Forest Pansy', the **Forest Pansy redbud**": the
            re.escape(bred["cultivar"]) + r"['’\"]?[*_]*,\s+(?:the\s+|an?\s+)?[*_]*(?P<name>[^,.;:()\n*_]{3,60})",
            text,  # cultivar's common name, which keeps the cultivar
        )
        common = _clean_name(gloss["name"]) if gloss and bred["cultivar"] in gloss["name"] else None
    words = common.split() if common is not None else []
    if words and (
        (len(words) == 1 and _adjective_like(common))  # "**Orange dahlia** — a ball-form *Dahlia* cultivar"
        or (len(words) > 2 and re.fullmatch(r"[a-z]+-[a-z]+", words[0])  # "**Adjarian khachapuri** (...), the
            and any(w[:1].isupper() for w in words[1:]))  # boat-shaped Georgian cheese bread": a
    ):  # description of the dish, no name of it
        common = None
    if common is None and _is_latin(names[0], text):  # "a **Hard-leaved Pocket Orchid**
        title = re.match(r"\s*#{1,3}[ \t]+(?P<name>[^\n*_#]{2,60}?)[ \t]*\n", text)  # a title heading
        glossed = (  # (*Paphiopedilum micranthum*) ... Conclusion: most likely *P. m.*"; "# Orchid
            n for n in names[1:]  # Mantis\n\n**Scientific name:** *Hymenopus coronatus*": the title
            if re.search(re.escape(n) + r"[*_]*\s*\(\s*[*_]*" + re.escape(names[0]) + r"[*_]*\s*[),;]", text)
            or (title is not None and title["name"].strip() == n and not _is_binomial(n))
        )
        common = next(glossed, None)
    if common is None and _is_binomial(names[0]):  # "a hibiscus, probably Hibiscus x"
        genus = names[0].split()[0].casefold()
        before = text[: max(0, text.find(names[0]))]
        if re.search(r"\b(?:an?|the)\s+[*_]*" + re.escape(genus) + r"[*_]*(?:\s*[,(—–]|\s+-)", before):
            common = genus
        hedged = re.search(  # "a globeflower, likely Trollius europaeus"
            r"\b(?:an?|the|like(?!\s+(?:an?|the)\b)|(?:is|are|it's)(?!\s+(?:an?|the)\b))\s+"  # "look like tree
            r"[*_]*(?P<common>[a-z][\w'-]*(?: [a-z][\w'-]*)?)[*_]*"  # mallow", "the answer is hellebore, probably X y"
            r"(?:\s+(?:flowers?|plants?))?"  # "These are **morning glory** flowers — most likely ..."
            r"(?:\s*\([^()\n]{1,60}\))?(?:,|\s+[—–-])\s*(?:most\s+|more\s+)?"  # "a toad lily (*T.*), likely"
            + f"(?:(?:{HEDGE}|specifically|namely)"  # "a pasqueflower — specifically *Pulsatilla v.*"
            + r"\s+(?:(?:an?|the)\s+[^,.;()\n]{3,40},\s+)?)?"  # "... — most likely the common morning glory, *X y*"
            + r"(?:an?\s+)?[*_]*"  # "a foxglove, specifically a Digitalis purpurea", "is frangipani, Plumeria rubra"
            + re.escape(names[0])
            + r"\b",
            text,
        )
        plain = hedged is not None and _plain_name(hedged.group("common"))
        kind_of = plain and hedged.group("common").split()[-1].casefold() == names[0].split()[-1].casefold()
        if common is None and plain and not kind_of and not _adjective_like(hedged.group("common").split()[0]):
            # not "a cactus, specifically a Christmas cactus": a kind of the common name
            common = _clean_name(hedged.group("common"))  # not "a red hibiscus, likely X y"
    return names if common is None else _dedupe([common, *names])
