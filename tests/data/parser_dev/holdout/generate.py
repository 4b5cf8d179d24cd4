"""Write a second, held-out answer corpus (this folder): new domains and new wordings.

Written after the parser's rules were fixed on the development corpus (the folder above) and
never used to change them: its agreement estimates how the parser holds on answers nobody
tuned it on. Same row format as the development corpus.

    python tests/data/parser_dev/holdout/generate.py
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from corpus import corpus, write_corpus  # noqa: E402 - the development corpus's writer

SEED = 7
PER_CELL = 5

# name, Latin name (or ""), lower-case in prose
DOMAINS: dict[str, dict] = {
    "butterflies": {
        "noun": "butterfly",
        "items": [
            ("Red Admiral", "Vanessa atalanta"),
            ("Painted Lady", "Vanessa cardui"),
            ("Monarch", "Danaus plexippus"),
            ("Common Blue", "Polyommatus icarus"),
            ("Small Tortoiseshell", "Aglais urticae"),
            ("Peacock", "Aglais io"),
            ("Brimstone", "Gonepteryx rhamni"),
            ("Camberwell Beauty", "Nymphalis antiopa"),
        ],
        "lower": False,
        "traits": [
            "orange bands across black forewings",
            "eyespots on each wing",
            "a powdery blue upperside",
            "sulphur-yellow, leaf-shaped wings",
        ],
        "groups": ["Nymphalidae", "a brush-footed butterfly", "Lycaenid"],
    },
    "trees": {
        "noun": "tree",
        "items": [
            ("English oak", "Quercus robur"),
            ("silver birch", "Betula pendula"),
            ("horse chestnut", "Aesculus hippocastanum"),
            ("Norway maple", "Acer platanoides"),
            ("weeping willow", "Salix babylonica"),
            ("London plane", "Platanus acerifolia"),
            ("monkey puzzle", "Araucaria araucana"),
            ("Scots pine", "Pinus sylvestris"),
        ],
        "lower": True,
        "traits": [
            "lobed leaves with short stalks",
            "white, peeling bark",
            "palmate leaves and spiky fruit",
            "long, drooping branches",
        ],
        "groups": ["Fagaceae", "a broadleaf deciduous tree", "Conifer"],
    },
    "cheeses": {
        "noun": "cheese",
        "items": [
            ("Camembert", ""),
            ("Roquefort", ""),
            ("Gouda", ""),
            ("Manchego", ""),
            ("Gruyère", ""),
            ("Stilton", ""),
            ("Pecorino Romano", ""),
            ("Brie de Meaux", ""),
        ],
        "lower": False,
        "traits": [
            "a bloomy white rind",
            "blue-green veins",
            "a waxed red rind",
            "small eyes in a firm paste",
        ],
        "groups": ["Soft cheese", "a blue cheese", "Hard sheep's milk cheese"],
    },
    "cars": {
        "noun": "car",
        "items": [
            ("2013 Ford Fiesta Sedan", ""),
            ("2008 Audi RS 4 Convertible", ""),
            ("2012 Jeep Wrangler SUV", ""),
            ("2011 Bentley Mulsanne Sedan", ""),
            ("2012 Honda Odyssey Minivan", ""),
            ("2009 Spyker C8 Coupe", ""),
            ("2012 Fisker Karma Sedan", ""),
            ("2007 Ford Mustang Convertible", ""),
        ],
        "lower": False,
        "traits": ["a seven-slot grille", "a wide front intake", "round headlights", "a soft top"],
        "groups": ["Grand tourer", "a family minivan", "American muscle car"],
    },
}


def _a(text: str) -> str:
    return ("an " if text[:1].lower() in "aeiou" else "a ") + text


#: answers drawn whole, one template per answer, filled with the item's values (``{name}``,
#: ``{a_name}`` = "a"/"an" + name, ``{other}``, ``{t1}``, ``{g}``, ``{noun}``, ...); the
#: reference is the name unless :data:`OTHER_REFERENCE` says otherwise
PICKED: dict[str, list[str]] = {
    "reasoning": [
        "## Analysis\n\n1. **Pattern** – {t1}.\n2. **Shape** – {t2}.\n\n"
        "## Verdict\n\nThis is {a_strong_name}{latin_note}",
        "First, I notice {t1}. Second, there is {t2}, typical of {g}. The {other} would "
        "differ. Finally, weighing everything, I'm going with the {name}.",
        "Observations:\n* {t1}\n* {t2}\n* overall look: {g}\n\nMy conclusion: it's {a_name}.",
        "**Key Traits**\n- {t1}\n- {t2}\n\n**Similar {noun}s**\n- {other}: excluded\n\n"
        "**Answer**\n{name}",
    ],
    "prose": [
        "Looks to me like {a_name}, judging from {t1}.",
        "The {noun} pictured is {a_name}; {t1} are a giveaway.",
        "What we see is most probably {a_name} ({g}).",
    ],
    "binomial": [
        "Scientifically, this is *{latin}*; most people call it the {name}.",
        "*{latin}* (known to most as the {name}).",
        "The image shows *{latin}*.",
    ],
    "hedge": [
        "Either {a_name} or {a_other} — hard to be sure.",
        "I'd lean toward {a_name} {noun}, but {a_other} is a close second.",
        "Could be {a_name}. Could also be {a_other}.",
    ],
    "list": [
        "Candidates:\n1) {name} – {t1}\n2) {other}",
        "Best guesses, in order:\n- {name}\n- {other}",
        "| rank | {noun} |\n| --- | --- |\n| 1 | {name} |\n| 2 | {other} |",
    ],
    "terse": ["{name}", "{name}!", "`{name}`", "{name} ({g})"],
    "refusal": [
        "Sorry, I can't tell which {noun} this is.",
        "Not enough detail to name the {noun}.",
        "I'm not certain, though it resembles {a_name}.",
    ],
    "preamble": [
        "A close look reveals {t1} and {t2}. {cap_g} come in many forms, and the {other} is a "
        "frequent confusion. In this case, however, the {noun} is {a_name}.",
    ],
    "first_person": [
        "I reckon that's {a_name}.",
        "I'm pretty confident it's {a_name}.",
        "In my opinion, {a_name}.",
    ],
}
#: (style, template index) -> the value that is the reference ("" when the answer names nothing)
OTHER_REFERENCE = {("binomial", 2): "latin", ("refusal", 0): None, ("refusal", 1): None}


def _write(rng: random.Random, style: str, d: dict, item: tuple[str, str]) -> tuple[str, str]:
    name, latin = item
    other = rng.choice([x for x in d["items"] if x != item])[0]
    t1, t2 = rng.sample(d["traits"], 2)
    g = rng.choice(d["groups"])
    noun = d["noun"]
    if style == "binomial" and not latin:
        return f"This is {_a(name)} {noun}.", name
    if style == "json":
        return rng.choice([json.dumps({"identification": name, "certainty": "high"}),
                           json.dumps({"result": {"name": name, "latin": latin}}),
                           "```\n" + json.dumps({"guesses": [name, other]}) + "\n```"]), name
    if style not in PICKED:
        raise ValueError(style)
    values = {"name": name, "latin": latin, "other": other, "t1": t1, "t2": t2, "g": g,
              "cap_g": g[0].upper() + g[1:], "noun": noun, "a_name": _a(name),
              "a_other": _a(other), "a_strong_name": _a("**" + name + "**"),
              "latin_note": f" (*{latin}*)." if latin else "."}
    templates = PICKED[style]
    # one template drawn (a style with one template draws nothing)
    i = rng.randrange(len(templates)) if len(templates) > 1 else 0
    ref = OTHER_REFERENCE.get((style, i), "name")
    return templates[i].format(**values), "" if ref is None else values[ref]


STYLES = ("reasoning", "prose", "binomial", "hedge", "list", "json", "terse", "refusal",
          "preamble", "first_person")
"""The styles in the order the corpus draws them."""


def generate() -> dict[str, list[dict]]:
    """Rows of the corpus by domain."""
    rng = random.Random(SEED)
    return corpus(DOMAINS, ((style, domain, *_write(rng, style, d, item))
                            for style in STYLES for domain, d in DOMAINS.items()
                            for item in rng.sample(d["items"], PER_CELL)))


def main() -> None:
    write_corpus(HERE, generate())


if __name__ == "__main__":
    main()
