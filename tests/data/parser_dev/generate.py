"""Write the answer-parser development corpus (one JSONL file per domain, this folder).

Hand-written answer templates in many styles, filled with names of seven domains (flowers,
fungi, cats and other pets, cars, aircraft, food; birds and dogs only for the reasoning and
hedge styles). Every style has several templates whose sentences, order, markdown and
distractors (higher taxa, attribute headings, look-alikes that are ruled out) vary; the slots
are drawn with a fixed seed, so the files are reproducible:

    python tests/data/parser_dev/generate.py

Each line: {"id", "style", "domain", "text", "reference"}. ``reference`` is the name a person
would file the image under (the common name when the answer gives one, else the Latin name;
"" for an answer that names nothing). It is written as the answer spells it.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import corpus, write_corpus  # noqa: E402 - shared with holdout/generate.py

SEED = 20261130
PER_CELL = 6  # answers per (style, domain)


@dataclass(frozen=True)
class Item:
    """One class: ``name`` (as a person would file it), optional Latin name, and whether the
    name is usually written in lower case in prose (plants, fungi, dishes)."""

    name: str
    latin: str = ""
    lower: bool = False


@dataclass(frozen=True)
class Domain:
    """Nouns, higher groups, traits and items of one domain."""

    noun: str  # "flower"
    subject: tuple[str, ...]  # "The flower in this photo"
    groups: tuple[str, ...]  # higher taxa / generic kinds, written as an answer would
    traits: tuple[str, ...]  # "spherical, steel-blue flower heads"
    headings: tuple[str, ...]  # attribute headings of reasoning answers
    items: tuple[Item, ...] = field(default_factory=tuple)


def _load_domains(path: Path) -> dict[str, Domain]:
    """The domains of ``path`` (domains.json): per domain ``noun``, ``subject``, ``groups``,
    ``traits``, ``headings`` and ``items`` as ``[name, latin, lower]`` (the last two may be
    left out)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: Domain(noun=d["noun"], subject=tuple(d["subject"]), groups=tuple(d["groups"]),
                         traits=tuple(d["traits"]), headings=tuple(d["headings"]),
                         items=tuple(Item(*row) for row in d["items"]))
            for name, d in data.items()}


DOMAINS = _load_domains(HERE / "domains.json")

NEW_DOMAINS = ("flowers", "fungi", "pets", "cars", "aircraft", "food")
"""Domains beyond the birds and dogs of the shipped files."""


# ----------------------------------------------------------------------------- helpers


class Writer:
    """Random choices of one answer; ``d`` the domain, ``it`` the item."""

    def __init__(self, rng: random.Random, d: Domain, it: Item):
        self.rng, self.d, self.it = rng, d, it

    def pick(self, options):
        return self.rng.choice(list(options))

    def fill(self, templates: Sequence[str], **values: Any) -> str:
        """One of ``templates`` (``str.format`` templates over :class:`Slots`), drawn after
        every one of them is filled in order: a slot that draws (``{trait}``) draws for each
        template, as a list of f-strings would."""
        slots = Slots(self, values)
        return self.pick([t.format_map(slots) for t in templates])

    def fill_one(self, templates: Sequence[str], **values: Any) -> str:
        """One of ``templates`` drawn first, then filled: only its slots draw."""
        return self.pick(templates).format_map(Slots(self, values))

    def other(self) -> Item:
        return self.pick([x for x in self.d.items if x != self.it])

    def name(self, item: Item | None = None, *, case: str = "auto") -> str:
        """The name as written in running text: lower case for plants/dishes some of the
        time, else as filed."""
        item = item or self.it
        if case == "lower" or (case == "auto" and item.lower and self.rng.random() < 0.6):
            return _lower_keep_proper(item.name)
        return item.name

    def a(self, text: str) -> str:
        return ("an " if text[:1].lower() in "aeiou" else "a ") + text

    def trait(self) -> str:
        return self.pick(self.d.traits)

    def bare_trait(self) -> str:
        """A trait without its article, to follow "the"."""
        t = self.trait()
        return t[2:] if t.startswith("a ") else t

    def with_noun(self, name: str) -> str:
        """``name`` followed by the domain noun unless it already ends with it."""
        noun = self.d.noun
        return name if name.lower().endswith(noun) else f"{name} {noun}"

    def traits(self, k: int = 2) -> list[str]:
        return self.rng.sample(list(self.d.traits), k)

    def group(self) -> str:
        return self.pick(self.d.groups)

    def subject(self) -> str:
        return self.pick(self.d.subject)

    def heading(self) -> str:
        """An attribute heading in lower case ("bill shape")."""
        return self.pick(self.d.headings).lower()

    def bold(self, text: str, p: float = 0.5) -> str:
        return f"**{text}**" if self.rng.random() < p else text


class Slots:
    """The values of a template's ``{slots}``, computed when the template is filled.

    A slot is a value given (a callable is called: a drawn value), else a draw of the writer
    (``trait``, ``bare_trait``, ``subject``, ``group``, ``heading``) or the domain ``noun``,
    else ``<transform>_<slot>``: ``a`` ("a"/"an" before it), ``cap`` (capitalised), ``noun``
    (the domain noun after it), ``bold`` / ``mostlybold`` (bold half / 70% of the time),
    ``strong`` (always bold): ``{a_noun_n}`` is ``w.a(w.with_noun(n))``.
    """

    DRAWS: dict[str, Callable[[Writer], str]] = {
        "trait": Writer.trait, "bare_trait": Writer.bare_trait, "subject": Writer.subject,
        "group": Writer.group, "heading": Writer.heading, "noun": lambda w: w.d.noun,
    }
    TRANSFORMS: dict[str, Callable[[Writer, str], str]] = {
        "a": Writer.a, "cap": lambda w, x: _cap(x), "noun": Writer.with_noun,
        "bold": Writer.bold, "mostlybold": lambda w, x: w.bold(x, 0.7),
        "strong": lambda w, x: f"**{x}**",
    }

    def __init__(self, w: Writer, values: dict[str, Any]):
        self.w, self.values = w, values

    def __getitem__(self, key: str) -> Any:
        if key in self.values:
            value = self.values[key]
            return value() if callable(value) else value
        if key in self.DRAWS:
            return self.DRAWS[key](self.w)
        head, _, rest = key.partition("_")
        if head in self.TRANSFORMS and rest:
            return self.TRANSFORMS[head](self.w, self[rest])
        raise KeyError(f"template slot {key!r}")


def _lower_keep_proper(name: str) -> str:
    """ "Black-eyed Susan" stays, "Purple Coneflower" -> "purple coneflower"; words that are
    proper nouns in every spelling (English, French, Canterbury, Peruvian, Susan, King
    Alfred's) keep their capital."""
    proper = {"English", "French", "Canterbury", "Peruvian", "Susan", "King", "Alfred's"}
    return " ".join(w if w in proper else w.lower() for w in name.split())


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


Style = Callable[[Writer], tuple[str, str]]


TEMPLATES: dict[str, list[str]] = {
    "reasoning.intro": [
        "Let's break down the identification step by step.\n\n**Overall Impression:** {cap_group}, with {t1}.",
        "To identify this {noun}, I'll go through its key features.",
        "**Initial Observations**\n\n{subject} shows {t1} and {t2}.",
        "Okay, let's analyze the {noun} in the image.\n\n**{cap_group}**\nThe overall shape points to this group.",
    ],
    "reasoning.rule_out": [
        "This rules out the {o}, which lacks {t3}.",
        "A {o} would look similar, but its {heading} differs.",
        "**Comparison:** The {o} is a close look-alike; however, {t2} does not fit it.",
        "All of these features separate it from the {o}.",
        "Combining these clues, the {o} is unlikely.",
    ],
    "reasoning.verdict": [
        "Based on these features, I can confidently identify it as {a_strong_n}.",
        "**Conclusion:** The {noun} is most likely {a_n}.",
        "Therefore, this is {a_n}.",
        "Putting it all together, I believe the {noun} in the image is {a_n}.",
        "**Final Identification**\n\n**{cap_n}**",
        "Combining all of these observations, my identification is: **{cap_n}**.",
        "Given {t1} and {t2}, the best match is the {n}.",
        "These features all point to one answer: {mostlybold_cap_n}.",
    ],
    "lowercase_prose.text": [
        "{subject} is known as {a_n}{tail}. It is recognisable by {t1}.",
        "Looking at {t1} and {t2}, this appears to be {a_n}, which is common in gardens and meadows.",
        "What we have here is {a_n}. The {t1} is characteristic.",
        "This looks like {a_n} to me, given {t1}.",
        "{subject} is most likely {a_n} with {t1}{tail}.",
        "I'd say this is {a_n}: note {t1} and {t2}.",
        "The photo shows {a_n}, which is sometimes grouped with {group}.",
    ],
    "binomial.both": [
        "{subject} appears to be the species *{lat}*, commonly known as {n}.",
        "This is *{lat}* ({n}), recognisable by {t}.",
        "*{lat}*, also called {a_n}, is shown here; note {t}.",
        "Species: *{lat}* - common name: {n}.",
        "The image shows *{lat}*, better known as {n}. Its {t} is distinctive.",
        "Based on {t}, I identify it as *{lat}*, the {n}.",
        "It is *{lat}* — the {n} — a member of {group}.",
    ],
    "binomial.latin_only": [
        "This is *{lat}*, identifiable by {t}.",
        "The species shown is *{lat}*.",
        "*{lat}*\n\nDiagnostic features: {t}.",
        "{subject} belongs to the species _{lat}_.",
    ],
    "category_hedge.text": [
        "This is {a_noun_n}.",
        "{subject} looks similar to {a_n} or {a_o}.",
        "It resembles {a_noun_n}, possibly {a_noun_o}.",
        "I'd guess {a_noun_n}, though {a_o} is also possible.",
        "The {noun} appears to be {a_n} or perhaps {a_o}; the {bare_trait} fits both.",
        "Most likely {a_noun_n} (could also be {a_o}).",
        "{cap_noun_n}, or possibly {o}.",
        "It's similar to {a_n} or {a_o}, based on {trait}.",
    ],
    "candidate_list.heading": [
        "Possible identifications:",
        "**Top candidates**",
        "Here are the most likely matches:",
        "Likely matches ({noun}):",
        "### Candidates",
        "Ranked guesses:",
    ],
    "candidate_list.closing": [
        "",
        "",
        "\nThe first option fits the {bare_trait} best.",
    ],
    "candidate_list.tail": [
        " ({p}%)",
        " - {trait}",
        "",
        ": {trait}",
        " — confidence {share:.2f}",
    ],
    "i_think.text": [
        "I think it's {a_n}.",
        "I believe this is {a_n}, judging by {trait}.",
        "My best guess would be {a_n}.",
        "Looks like {a_n} to me.",
        "Hmm, I'm fairly sure that's {a_n} - the {bare_trait} gives it away.",
        "If I had to name it, I'd go with {n}.",
        "I'm going to say {n}. The {trait} is a strong clue.",
        "Honestly, this looks most like {a_noun_n}.",
    ],
    "latin_first.text": [
        "{lat} ({n})",
        "*{lat}* ({cap_n})",
        "**{lat}** — {n}. Identified by {trait}.",
        "{lat}, the {n}.",
        "Scientific name: *{lat}*\nCommon name: {cap_n}",
        "This specimen is *{lat}* (common name: {n}).",
    ],
    "refusal.tentative": [
        "I can't be completely certain from this angle, but it looks like {a_n}.",
        "Hard to say for sure. Possibly {a_n}, given {trait}.",
        "I'm not sure, but it might be {a_n}.",
        "The image quality is poor; my tentative identification is {a_n}.",
        "Unclear, but the {bare_trait} suggests {n}.",
    ],
    "refusal.refuse": [
        "I'm sorry, but I can't determine the exact {noun} from this image.",
        "The image is too blurry to identify the {noun} with any confidence.",
        "Unable to identify.",
        "I cannot identify this {noun}; the {heading} is not visible.",
        "{{\"label\": \"unknown\"}}",
        "It is not possible to tell which {noun} this is from the photo.",
    ],
    "top3.tail": [
        " ({q}%)",
        " – {q}% confidence",
        ": {trait}",
    ],
    "compound.text": [
        "{subject} is {a_n}, identifiable by {trait}.",
        "This appears to be {a_n}. The {trait} and {trait} are typical of it.",
        "Identification: {n}\nKey features: {trait}; {trait}.",
        "Based on the {bare_trait}, I would identify this as {a_n}.",
        "The {heading} suggests {group_phrase}; more precisely, {a_n}.",
        "**{n}**\n\nDistinguishing features: {trait}.",
    ],
    "possessive_accent.text": [
        "This is {a_n}.",
        "The {noun} here is {bold_n}, known for {trait}.",
        "{cap_n} — note the {bare_trait}.",
        "I'd identify it as {n}.",
        "{subject} appears to be the {n}.",
    ],
    "preamble.kind": [
        "Such features are common among {g_kind}.",
        "Overall, it has the look of {a_g}.",
        "The lighting makes the colours look slightly warmer than they are.",
    ],
    "preamble.contrast": [
        "Unlike the {o}, it has {t3}.",
        "Some might mistake it for {a_o}, but the proportions differ.",
        "Compared with {a_o}, the {heading} is quite different.",
    ],
    "preamble.verdict": [
        "Taking all of this into account, it is {a_n}.",
        "All things considered, this is most likely {a_n}.",
        "So my answer is {a_n}.",
        "These details identify it as {a_bold_n}.",
    ],
}
"""The answer templates of the styles, ``style.part`` -> templates (``str.format`` over
:class:`Slots`; :meth:`Writer.fill` draws one of a list)."""


# ----------------------------------------------------------------------------- styles


def terse(w: Writer) -> tuple[str, str]:
    """A bare name, decorated in several ways."""
    n = w.name()
    forms = [
        "{n}",
        "**{cap_n}**",
        "{cap_n}.",
        "{cap_n} ({lat})" if w.it.latin else "Answer: {n}",
        "{cap_noun_n}" if w.d.noun != "dish" else "{cap_n}",
        "  {cap_n}\n",
        "Answer: {n}",
    ]
    return w.fill_one(forms, n=n, lat=w.it.latin), n


def reasoning(w: Writer) -> tuple[str, str]:
    """Step-by-step answer with bold headings, attribute lines, higher taxa and a verdict in
    a closing sentence or a final bold span; look-alikes are ruled out on the way."""
    n, o = w.name(), w.name(w.other())
    heads = w.rng.sample(list(w.d.headings), 3)
    t1, t2, t3 = w.traits(3)
    group = w.group()
    verbs = ("Observe", "Examine", "Assess", "Note", "Consider", "Compare")
    steps = []
    layout = w.pick(range(4))
    for i, (h, t) in enumerate(zip(heads, (t1, t2, t3), strict=True), start=1):
        if layout == 0:
            steps.append(f"**Step {i}: {w.pick(verbs)} {h}**\n{_cap(t)} is visible.")
        elif layout == 1:
            steps.append(f"{i}. **{h}:** {_cap(t)}.")
        elif layout == 2:
            steps.append(
                f"### {h}\n- {_cap(t)}\n- Consistent with {w.a(group) if group[0].isupper() else group}."
            )
        else:
            steps.append(f"- **{h}**: the {w.d.noun} shows {t}.")
    intro = w.fill(TEMPLATES["reasoning.intro"], group=group, t1=t1, t2=t2)
    rule_out = w.fill(TEMPLATES["reasoning.rule_out"], o=o, t3=t3, t2=t2)
    verdict = w.fill(TEMPLATES["reasoning.verdict"], n=n, t1=t1, t2=t2)
    if w.it.latin and w.rng.random() < 0.4:
        verdict = verdict.rstrip(".") + f" (*{w.it.latin}*)."
    return "\n\n".join([intro, *steps, rule_out, verdict]), n


def lowercase_prose(w: Writer) -> tuple[str, str]:
    """The common name in lower case inside prose, often with the genus or group after it."""
    n = w.name(case="lower") if w.it.lower else w.name()
    genus = w.it.latin.split()[0] if w.it.latin else ""
    t1, t2 = w.traits(2)
    tail = f", specifically of the genus *{genus}*" if genus else f", a kind of {w.group()}"
    text = w.fill(TEMPLATES["lowercase_prose.text"], n=n, tail=tail, t1=t1, t2=t2)
    return text, n


def binomial(w: Writer) -> tuple[str, str]:
    """The answer given mainly as an italic binomial, the common name after it."""
    if not w.it.latin:
        return lowercase_prose(w)
    n, lat = w.name(), w.it.latin
    t = w.trait()
    latin_only = w.rng.random() < 0.25
    if latin_only:
        text = w.fill(TEMPLATES["binomial.latin_only"], lat=lat, t=t)
        return text, lat
    text = w.fill(TEMPLATES["binomial.both"], lat=lat, n=n, t=t)
    return text, n


def category_hedge(w: Writer) -> tuple[str, str]:
    """Category words after the name ("a Ragdoll cat") and hedges between two names; the
    first name comes first."""
    n, o = w.name(), w.name(w.other())
    noun = w.d.noun
    text = w.fill(TEMPLATES["category_hedge.text"], n=n, o=o, noun=noun)
    return text, n


def candidate_list(w: Writer) -> tuple[str, str]:
    """A markdown list of candidates, best first, with or without a heading."""
    n = w.name()
    others = [w.name(x) for x in w.rng.sample([x for x in w.d.items if x != w.it], 2)]
    pct = sorted(w.rng.sample(range(5, 90), 3), reverse=True)
    heading = w.fill(TEMPLATES["candidate_list.heading"])
    bullet = w.pick(["-", "*", "1.", "•"])
    names = [n, *others]
    lines = []
    for i, (x, p) in enumerate(zip(names, pct, strict=True), start=1):
        mark = f"{i}." if bullet == "1." else bullet
        tail = w.fill(TEMPLATES["candidate_list.tail"], p=p, share=p / 100)
        lines.append(f"{mark} {w.bold(_cap(x), 0.5)}{tail}")
    closing = w.fill(TEMPLATES["candidate_list.closing"])
    return f"{heading}\n" + "\n".join(lines) + closing, n


def json_answer(w: Writer) -> tuple[str, str]:
    """JSON objects with various keys, sometimes fenced, sometimes with reasoning first."""
    n, o = w.name(), w.name(w.other())
    key = w.pick(["label", "name", "species", "breed", "answer", "prediction", "class_name"])
    form = w.pick(range(5))
    if form == 0:
        obj = {key: n, "confidence": round(w.rng.uniform(0.4, 0.99), 2)}
    elif form == 1:
        obj = {"reasoning": f"The {w.trait()} and {w.trait()} suggest this.", key: n}
    elif form == 2:
        obj = {"top_candidates": [n, o], "notes": w.trait()}
    elif form == 3:
        obj = {"answer": {"common_name": n, "scientific_name": w.it.latin or None}}
    else:
        obj = {key: n, "alternatives": [o]}
    body = json.dumps(obj, ensure_ascii=w.rng.random() < 0.5, indent=w.pick([None, 2]))
    text = w.pick([body, f"```json\n{body}\n```", f"Here is the result:\n```json\n{body}\n```"])
    return text, n


def i_think(w: Writer) -> tuple[str, str]:
    """First-person hedged verdicts."""
    n = w.name()
    text = w.fill(TEMPLATES["i_think.text"], n=n)
    return text, n


def latin_first(w: Writer) -> tuple[str, str]:
    """Latin name first, common name in parentheses or after a dash (reference: common)."""
    if not w.it.latin:
        return candidate_list(w)
    n, lat = w.name(), w.it.latin
    text = w.fill(TEMPLATES["latin_first.text"], lat=lat, n=n)
    return text, n


def refusal(w: Writer) -> tuple[str, str]:
    """Refusals (reference "") and uncertain answers that still name a candidate."""
    n = w.name()
    if w.rng.random() < 0.5:
        text = w.fill(TEMPLATES["refusal.refuse"])
        return text, ""
    text = w.fill(TEMPLATES["refusal.tentative"], n=n)
    return text, n


def either_or(w: Writer) -> tuple[str, str]:
    """ "Either A or B", with a stated preference that may pick the second one."""
    n, o = w.name(), w.name(w.other())
    forms = [
        "It's either {a_n} or {a_o}.",
        "This could be either {a_o} or {a_n}, but I lean towards {a_n} because of the {bare_trait}.",
        "{cap_n} or {o} — most likely {n}.",
        "Either {bold_n} or {bold_o}; the {bare_trait} favours the first.",
        "It might be {a_o}, but on closer inspection it is more likely {a_n}.",
        "Probably {a_n}, although {a_o} cannot be ruled out.",
    ]
    return w.fill_one(forms, n=n, o=o), n


def top3(w: Writer) -> tuple[str, str]:
    """Numbered top-3 with probabilities or explanations, sometimes after a sentence."""
    n = w.name()
    others = [w.name(x) for x in w.rng.sample([x for x in w.d.items if x != w.it], 2)]
    p = sorted(w.rng.sample(range(5, 80), 3), reverse=True)
    intro = w.pick(
        [
            "Top 3 predictions:",
            "My top three guesses are:",
            "Ranking the most likely candidates:",
            "**Top-3**",
        ]
    )
    body = "\n".join(
        f"{i}. {w.bold(_cap(x), 0.4)}"
        + w.fill(TEMPLATES["top3.tail"], q=q)
        for i, (x, q) in enumerate(zip([n, *others], p, strict=True), start=1)
    )
    return f"{intro}\n{body}", n


def compound(w: Writer) -> tuple[str, str]:
    """Make / model / year (cars, aircraft) or a name with a variant, inside a sentence."""
    n = w.name()
    # two group draws, the article from the first one's case
    group_phrase = lambda: w.a(w.group()) if w.group()[0].isupper() else w.group()  # noqa: E731
    return w.fill(TEMPLATES["compound.text"], n=n, group_phrase=group_phrase), n


def possessive_accent(w: Writer) -> tuple[str, str]:
    """Names with apostrophes, accents and lower-case particles, in mixed sentences."""
    specials = [x for x in w.d.items if any(c in x.name for c in "'éèüöëû") or " de " in x.name]
    it = w.pick(specials) if specials else w.it
    n = w.name(it)
    text = w.fill(TEMPLATES["possessive_accent.text"], n=n)
    return text, n


def preamble(w: Writer) -> tuple[str, str]:
    """A long description (traits, groups, a compared look-alike) before the name."""
    n, o = w.name(), w.name(w.other())
    t1, t2, t3 = w.traits(3)
    g = w.group()
    parts = [
        f"{w.subject()} shows {t1}, and {t2} is also clearly visible.",
        w.fill(TEMPLATES["preamble.kind"], g_kind=g if g[0].islower() else g + " species",
               a_g=w.a(g) if g[0].isupper() else g),
        w.fill(TEMPLATES["preamble.contrast"], o=o, t3=t3),
        w.fill(TEMPLATES["preamble.verdict"], n=n),
    ]
    return " ".join(parts) if w.rng.random() < 0.5 else "\n\n".join(parts), n


STYLES: dict[str, Style] = {
    "terse": terse,
    "reasoning": reasoning,
    "lowercase_prose": lowercase_prose,
    "binomial": binomial,
    "category_hedge": category_hedge,
    "candidate_list": candidate_list,
    "json": json_answer,
    "i_think": i_think,
    "latin_first": latin_first,
    "refusal": refusal,
    "either_or": either_or,
    "top3": top3,
    "compound": compound,
    "possessive_accent": possessive_accent,
    "preamble": preamble,
}

STYLE_DOMAINS: dict[str, tuple[str, ...]] = {
    "binomial": ("flowers", "fungi", "birds"),
    "latin_first": ("flowers", "fungi", "birds"),
    "lowercase_prose": ("flowers", "fungi", "food", "pets"),
    "compound": ("cars", "aircraft", "pets", "flowers"),
    "possessive_accent": ("fungi", "cars", "food", "birds", "dogs"),
    "reasoning": (*NEW_DOMAINS, "birds", "dogs"),
    "category_hedge": (*NEW_DOMAINS, "birds", "dogs"),
}
"""Domains of each style (default: NEW_DOMAINS)."""


def _answers(rng: random.Random) -> Iterator[tuple[str, str, str, str]]:
    """``(style, domain, text, reference)`` of every answer, in the corpus's order."""
    for style, write in STYLES.items():
        for domain in STYLE_DOMAINS.get(style, NEW_DOMAINS):
            d = DOMAINS[domain]
            for item in rng.sample(list(d.items), min(PER_CELL, len(d.items))):
                yield (style, domain, *write(Writer(rng, d, item)))


def generate() -> dict[str, list[dict]]:
    """Rows of the corpus by domain."""
    return corpus(DOMAINS, _answers(random.Random(SEED)))


def main() -> None:
    write_corpus(HERE, generate())


if __name__ == "__main__":
    main()
