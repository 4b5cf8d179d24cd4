"""Write a second, held-out answer corpus (this folder): new domains and new wordings.

Written after the parser's rules were fixed on the development corpus (the folder above) and
never used to change them: its agreement estimates how the parser holds on answers nobody
tuned it on. Same row format as the development corpus.

    python tests/data/parser_dev/holdout/generate.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
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


def _write(rng: random.Random, style: str, d: dict, item: tuple[str, str]) -> tuple[str, str]:
    name, latin = item
    other = rng.choice([x for x in d["items"] if x != item])[0]
    t1, t2 = rng.sample(d["traits"], 2)
    g = rng.choice(d["groups"])
    noun = d["noun"]
    if style == "reasoning":
        form = rng.randrange(4)
        if form == 0:
            return (
                f"## Analysis\n\n1. **Pattern** – {t1}.\n2. **Shape** – {t2}.\n\n"
                f"## Verdict\n\nThis is {_a('**' + name + '**')}"
                + (f" (*{latin}*)." if latin else "."),
                name,
            )
        if form == 1:
            return (
                f"First, I notice {t1}. Second, there is {t2}, typical of {g}. "
                f"The {other} would differ. Finally, weighing everything, I'm going with "
                f"the {name}.",
                name,
            )
        if form == 2:
            return (
                f"Observations:\n* {t1}\n* {t2}\n* overall look: {g}\n\n"
                f"My conclusion: it's {_a(name)}.",
                name,
            )
        return (
            f"**Key Traits**\n- {t1}\n- {t2}\n\n**Similar {noun}s**\n- {other}: excluded\n\n"
            f"**Answer**\n{name}",
            name,
        )
    if style == "prose":
        return rng.choice(
            [
                (f"Looks to me like {_a(name)}, judging from {t1}.", name),
                (f"The {noun} pictured is {_a(name)}; {t1} are a giveaway.", name),
                (f"What we see is most probably {_a(name)} ({g}).", name),
            ]
        )
    if style == "binomial":
        if not latin:
            return (f"This is {_a(name)} {noun}.", name)
        return rng.choice(
            [
                (f"Scientifically, this is *{latin}*; most people call it the {name}.", name),
                (f"*{latin}* (known to most as the {name}).", name),
                (f"The image shows *{latin}*.", latin),
            ]
        )
    if style == "hedge":
        return rng.choice(
            [
                (f"Either {_a(name)} or {_a(other)} — hard to be sure.", name),
                (f"I'd lean toward {_a(name)} {noun}, but {_a(other)} is a close second.", name),
                (f"Could be {_a(name)}. Could also be {_a(other)}.", name),
            ]
        )
    if style == "list":
        return rng.choice(
            [
                (f"Candidates:\n1) {name} – {t1}\n2) {other}", name),
                (f"Best guesses, in order:\n- {name}\n- {other}", name),
                (f"| rank | {noun} |\n| --- | --- |\n| 1 | {name} |\n| 2 | {other} |", name),
            ]
        )
    if style == "json":
        return rng.choice(
            [
                (json.dumps({"identification": name, "certainty": "high"}), name),
                (json.dumps({"result": {"name": name, "latin": latin}}), name),
                ("```\n" + json.dumps({"guesses": [name, other]}) + "\n```", name),
            ]
        )
    if style == "terse":
        return rng.choice(
            [(name, name), (f"{name}!", name), (f"`{name}`", name), (f"{name} ({g})", name)]
        )
    if style == "refusal":
        return rng.choice(
            [
                (f"Sorry, I can't tell which {noun} this is.", ""),
                (f"Not enough detail to name the {noun}.", ""),
                (f"I'm not certain, though it resembles {_a(name)}.", name),
            ]
        )
    if style == "preamble":
        return (
            f"A close look reveals {t1} and {t2}. {g[0].upper() + g[1:]} come in many "
            f"forms, and the {other} is a frequent confusion. In this case, however, the "
            f"{noun} is {_a(name)}.",
            name,
        )
    if style == "first_person":
        return rng.choice(
            [
                (f"I reckon that's {_a(name)}.", name),
                (f"I'm pretty confident it's {_a(name)}.", name),
                (f"In my opinion, {_a(name)}.", name),
            ]
        )
    raise ValueError(style)


STYLES = (
    "reasoning",
    "prose",
    "binomial",
    "hedge",
    "list",
    "json",
    "terse",
    "refusal",
    "preamble",
    "first_person",
)


def generate() -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    rows: dict[str, list[dict]] = {d: [] for d in DOMAINS}
    for style in STYLES:
        for domain, d in DOMAINS.items():
            for item in rng.sample(d["items"], PER_CELL):
                text, reference = _write(rng, style, d, item)
                rows[domain].append(
                    {
                        "id": f"{domain}-{style}-{len(rows[domain])}",
                        "style": style,
                        "domain": domain,
                        "text": text,
                        "reference": reference,
                    }
                )
    return rows


def main() -> None:
    for domain, rows in generate().items():
        with open(HERE / f"{domain}.jsonl", "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
