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


DOMAINS: dict[str, Domain] = {
    "flowers": Domain(
        noun="flower",
        subject=("The flower in this image", "This plant", "The bloom shown here", "It"),
        groups=(
            "Asteraceae",
            "a member of the daisy family",
            "Wildflower",
            "Perennial",
            "the Lamiaceae family",
            "an ornamental garden plant",
        ),
        traits=(
            "spherical, steel-blue flower heads",
            "spiny, deeply lobed leaves",
            "papery bracts around a dense umbel",
            "a dark central cone",
            "tubular, spotted flowers along a tall spike",
            "crinkled, crimson petals",
            "a waxy, fragrant white spathe",
            "slender, curling sepals",
        ),
        headings=(
            "Flower Structure",
            "Leaves",
            "Color",
            "Petal Arrangement",
            "Habitat",
            "Growth Habit",
            "Inflorescence",
        ),
        items=(
            Item("globe thistle", "Echinops ritro", True),
            Item("greater masterwort", "Astrantia major", True),
            Item("purple coneflower", "Echinacea purpurea", True),
            Item("bird of paradise", "Strelitzia reginae", True),
            Item("foxglove", "Digitalis purpurea", True),
            Item("corn poppy", "Papaver rhoeas", True),
            Item("love-in-the-mist", "Nigella damascena", True),
            Item("black-eyed Susan", "Rudbeckia hirta", True),
            Item("Canterbury bells", "Campanula medium", True),
            Item("king protea", "Protea cynaroides", True),
            Item("English marigold", "Calendula officinalis", True),
            Item("tiger lily", "Lilium lancifolium", True),
            Item("sweet pea", "Lathyrus odoratus", True),
            Item("Peruvian lily", "Alstroemeria aurea", True),
        ),
    ),
    "fungi": Domain(
        noun="mushroom",
        subject=("The mushroom in the photo", "This fungus", "The specimen", "What you see"),
        groups=(
            "Agaricales",
            "a bracket fungus",
            "Basidiomycete",
            "Bolete",
            "the Amanitaceae family",
            "a polypore",
        ),
        traits=(
            "a bright red cap dotted with white warts",
            "false gills running down the stem",
            "concentric bands of brown and cream",
            "a spongy pore surface",
            "a shaggy, cylindrical cap",
            "a white ring on the stipe",
            "overlapping sulphur-yellow shelves",
            "a gelatinous, ear-shaped body",
        ),
        headings=("Cap", "Gills", "Stem", "Spore Print", "Habitat", "Texture", "Color"),
        items=(
            Item("fly agaric", "Amanita muscaria", True),
            Item("chanterelle", "Cantharellus cibarius", True),
            Item("chicken of the woods", "Laetiporus sulphureus", True),
            Item("turkey tail", "Trametes versicolor", True),
            Item("shaggy ink cap", "Coprinus comatus", True),
            Item("death cap", "Amanita phalloides", True),
            Item("porcini", "Boletus edulis", True),
            Item("oyster mushroom", "Pleurotus ostreatus", True),
            Item("lion's mane", "Hericium erinaceus", True),
            Item("King Alfred's cakes", "Daldinia concentrica", True),
            Item("jelly ear", "Auricularia auricula-judae", True),
            Item("giant puffball", "Calvatia gigantea", True),
        ),
    ),
    "pets": Domain(
        noun="cat",
        subject=("The cat in this picture", "This cat", "The animal shown", "This kitty"),
        groups=(
            "Longhair",
            "a domestic shorthair type",
            "Felis catus",
            "Companion animal",
            "a pointed breed",
            "Oriental type",
        ),
        traits=(
            "deep blue almond-shaped eyes",
            "a silky, semi-long coat",
            "a muscular, medium-sized body",
            "tufted ears and a bushy tail",
            "a wedge-shaped head",
            "a spotted coat with a clear 'M' on the forehead",
            "a dense, plush blue-gray coat",
            "colorpoint markings on the face and legs",
        ),
        headings=(
            "Coat",
            "Eyes",
            "Body Type",
            "Head Shape",
            "Ears",
            "Color Pattern",
            "Temperament",
        ),
        items=(
            Item("Ragdoll"),
            Item("Maine Coon"),
            Item("Bengal"),
            Item("Abyssinian"),
            Item("Birman"),
            Item("British Shorthair"),
            Item("Egyptian Mau"),
            Item("Russian Blue"),
            Item("Siamese"),
            Item("Sphynx"),
            Item("Bombay"),
            Item("Persian"),
            Item("Norwegian Forest Cat"),
            Item("Chartreux"),
        ),
    ),
    "cars": Domain(
        noun="car",
        subject=("The car in the image", "This vehicle", "The automobile pictured", "It"),
        groups=(
            "Sedan",
            "a compact SUV",
            "Luxury coupe",
            "a full-size pickup truck",
            "German sports car",
            "a hatchback",
        ),
        traits=(
            "a wide kidney grille",
            "quad exhaust tips",
            "swept-back LED headlights",
            "a long hood and short rear deck",
            "a boxy, upright roofline",
            "a split front grille",
            "flared wheel arches",
            "a fastback rear window",
        ),
        headings=(
            "Grille",
            "Headlights",
            "Body Style",
            "Wheels",
            "Badging",
            "Rear Design",
            "Model Year Clues",
        ),
        items=(
            Item("2012 BMW M3 Coupe"),
            Item("2011 Audi S6 Sedan"),
            Item("2012 Chevrolet Corvette ZR1"),
            Item("2012 Ford F-150 Regular Cab"),
            Item("2012 Toyota Sequoia SUV"),
            Item("2012 Hyundai Veloster Hatchback"),
            Item("2009 Mercedes-Benz SL-Class Coupe"),
            Item("2012 Aston Martin V8 Vantage Convertible"),
            Item("2012 Tesla Model S Sedan"),
            Item("1993 Volvo 240 Sedan"),
            Item("2010 Dodge Ram Pickup 3500 Crew Cab"),
            Item("2012 Lamborghini Aventador Coupe"),
            Item("2007 Chevrolet Silverado 1500 Classic Extended Cab"),
            Item("2012 Citroën C4 Picasso"),
        ),
    ),
    "aircraft": Domain(
        noun="aircraft",
        subject=("The aircraft in the photo", "This airplane", "The plane shown", "It"),
        groups=(
            "Narrow-body jet",
            "a regional turboprop",
            "Airliner",
            "a business jet",
            "Military fighter",
            "a wide-body airliner",
        ),
        traits=(
            "two underwing turbofan engines",
            "a T-tail",
            "winglets at the wingtips",
            "a high wing with two turboprops",
            "a hump on the forward fuselage",
            "three engines, one in the tail",
            "a single vertical stabilizer",
            "a long, slender fuselage",
        ),
        headings=(
            "Engines",
            "Wing Configuration",
            "Tail",
            "Fuselage",
            "Landing Gear",
            "Livery",
            "Size",
        ),
        items=(
            Item("Boeing 737-800"),
            Item("Airbus A320"),
            Item("Cessna 172"),
            Item("McDonnell Douglas MD-80"),
            Item("Embraer E-190"),
            Item("de Havilland Canada DHC-8-400"),
            Item("Bombardier CRJ-200"),
            Item("Douglas DC-3"),
            Item("Eurofighter Typhoon"),
            Item("ATR 72"),
            Item("Dassault Falcon 2000"),
            Item("Boeing 747-400"),
            Item("Tupolev Tu-154"),
            Item("Saab 340"),
        ),
    ),
    "food": Domain(
        noun="dish",
        subject=("The dish in this photo", "This food", "What is shown on the plate", "It"),
        groups=(
            "Dessert",
            "a noodle dish",
            "Italian cuisine",
            "a breakfast dish",
            "Street food",
            "a baked pastry",
        ),
        traits=(
            "a caramelised sugar crust",
            "thin rice noodles with peanuts",
            "poached eggs on an English muffin",
            "layers of flaky phyllo",
            "thinly sliced raw beef with rocket",
            "golden batter balls with bonito flakes",
            "a rich, glossy sauce",
            "a melted cheese topping",
        ),
        headings=(
            "Ingredients",
            "Presentation",
            "Texture",
            "Color",
            "Garnish",
            "Cuisine",
            "Preparation",
        ),
        items=(
            Item("pad thai", lower=True),
            Item("beef carpaccio", lower=True),
            Item("eggs benedict", lower=True),
            Item("crème brûlée", lower=True),
            Item("spaghetti carbonara", lower=True),
            Item("baklava", lower=True),
            Item("French onion soup", lower=True),
            Item("huevos rancheros", lower=True),
            Item("takoyaki", lower=True),
            Item("chicken quesadilla", lower=True),
            Item("croque madame", lower=True),
            Item("tiramisu", lower=True),
        ),
    ),
    "birds": Domain(
        noun="bird",
        subject=("The bird in the image", "This bird", "The individual shown", "It"),
        groups=(
            "Seabird",
            "a songbird",
            "Wood-warbler",
            "rosy-finches",
            "a passerine",
            "the Parulidae family",
            "Shorebird",
        ),
        traits=(
            "a bold white eyebrow stripe",
            "streaked underparts",
            "pink legs",
            "a habit of bobbing its tail",
            "a stout, conical bill",
            "a long, slender bill",
            "dark wings with white wing bars",
            "a gray crown patch",
        ),
        headings=(
            "Plumage",
            "Bill Shape",
            "Behavior",
            "Habitat",
            "Field Marks",
            "Size",
            "Leg Color",
        ),
        items=(
            Item("Louisiana Waterthrush", "Parkesia motacilla"),
            Item("Gray-crowned Rosy-Finch", "Leucosticte tephrocotis"),
            Item("Sooty Albatross", "Phoebetria fusca"),
            Item("Cape Glossy Starling", "Lamprotornis nitens"),
            Item("Le Conte's Sparrow", "Ammospiza leconteii"),
            Item("Black-throated Blue Warbler", "Setophaga caerulescens"),
            Item("Heermann's Gull", "Larus heermanni"),
            Item("Red-faced Cormorant", "Urile urile"),
            Item("Chuck-will's-widow", "Antrostomus carolinensis"),
            Item("Northern Fulmar", "Fulmarus glacialis"),
        ),
    ),
    "dogs": Domain(
        noun="dog",
        subject=("The dog in the image", "This dog", "The animal in the photo", "It"),
        groups=(
            "Working dog",
            "a toy breed",
            "Terrier group",
            "a spitz-type dog",
            "Sighthound",
            "a companion breed",
        ),
        traits=(
            "a dense double coat",
            "a broad head and heavy bone",
            "a plumed tail",
            "a long, silky white coat",
            "small, erect ears",
            "webbed feet",
            "a wiry coat",
            "a deep chest",
        ),
        headings=("Coat", "Size", "Head", "Ears", "Tail", "Build", "Color"),
        items=(
            Item("Newfoundland"),
            Item("Havanese"),
            Item("Bichon Frise"),
            Item("Staffordshire Bull Terrier"),
            Item("Shiba Inu"),
            Item("Great Pyrenees"),
            Item("Leonberger"),
            Item("Coton de Tuléar"),
            Item("Löwchen"),
            Item("English Cocker Spaniel"),
            Item("Bernese Mountain Dog"),
            Item("Samoyed"),
        ),
    ),
}

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
    intro = w.fill(
        [
            "Let's break down the identification step by step.\n\n**Overall Impression:** {cap_group}, with {t1}.",
            "To identify this {noun}, I'll go through its key features.",
            "**Initial Observations**\n\n{subject} shows {t1} and {t2}.",
            "Okay, let's analyze the {noun} in the image.\n\n**{cap_group}**\nThe overall shape points to this group.",
        ],
        group=group, t1=t1, t2=t2,
    )
    rule_out = w.fill(
        [
            "This rules out the {o}, which lacks {t3}.",
            "A {o} would look similar, but its {heading} differs.",
            "**Comparison:** The {o} is a close look-alike; however, {t2} does not fit it.",
            "All of these features separate it from the {o}.",
            "Combining these clues, the {o} is unlikely.",
        ],
        o=o, t3=t3, t2=t2,
    )
    verdict = w.fill(
        [
            "Based on these features, I can confidently identify it as {a_strong_n}.",
            "**Conclusion:** The {noun} is most likely {a_n}.",
            "Therefore, this is {a_n}.",
            "Putting it all together, I believe the {noun} in the image is {a_n}.",
            "**Final Identification**\n\n**{cap_n}**",
            "Combining all of these observations, my identification is: **{cap_n}**.",
            "Given {t1} and {t2}, the best match is the {n}.",
            "These features all point to one answer: {mostlybold_cap_n}.",
        ],
        n=n, t1=t1, t2=t2,
    )
    if w.it.latin and w.rng.random() < 0.4:
        verdict = verdict.rstrip(".") + f" (*{w.it.latin}*)."
    return "\n\n".join([intro, *steps, rule_out, verdict]), n


def lowercase_prose(w: Writer) -> tuple[str, str]:
    """The common name in lower case inside prose, often with the genus or group after it."""
    n = w.name(case="lower") if w.it.lower else w.name()
    genus = w.it.latin.split()[0] if w.it.latin else ""
    t1, t2 = w.traits(2)
    tail = f", specifically of the genus *{genus}*" if genus else f", a kind of {w.group()}"
    text = w.fill(
        [
            "{subject} is known as {a_n}{tail}. It is recognisable by {t1}.",
            "Looking at {t1} and {t2}, this appears to be {a_n}, which is common in gardens and meadows.",
            "What we have here is {a_n}. The {t1} is characteristic.",
            "This looks like {a_n} to me, given {t1}.",
            "{subject} is most likely {a_n} with {t1}{tail}.",
            "I'd say this is {a_n}: note {t1} and {t2}.",
            "The photo shows {a_n}, which is sometimes grouped with {group}.",
        ],
        n=n, tail=tail, t1=t1, t2=t2,
    )
    return text, n


def binomial(w: Writer) -> tuple[str, str]:
    """The answer given mainly as an italic binomial, the common name after it."""
    if not w.it.latin:
        return lowercase_prose(w)
    n, lat = w.name(), w.it.latin
    t = w.trait()
    latin_only = w.rng.random() < 0.25
    if latin_only:
        text = w.fill(
            [
                "This is *{lat}*, identifiable by {t}.",
                "The species shown is *{lat}*.",
                "*{lat}*\n\nDiagnostic features: {t}.",
                "{subject} belongs to the species _{lat}_.",
            ],
            lat=lat, t=t,
        )
        return text, lat
    text = w.fill(
        [
            "{subject} appears to be the species *{lat}*, commonly known as {n}.",
            "This is *{lat}* ({n}), recognisable by {t}.",
            "*{lat}*, also called {a_n}, is shown here; note {t}.",
            "Species: *{lat}* - common name: {n}.",
            "The image shows *{lat}*, better known as {n}. Its {t} is distinctive.",
            "Based on {t}, I identify it as *{lat}*, the {n}.",
            "It is *{lat}* — the {n} — a member of {group}.",
        ],
        lat=lat, n=n, t=t,
    )
    return text, n


def category_hedge(w: Writer) -> tuple[str, str]:
    """Category words after the name ("a Ragdoll cat") and hedges between two names; the
    first name comes first."""
    n, o = w.name(), w.name(w.other())
    noun = w.d.noun
    text = w.fill(
        [
            "This is {a_noun_n}.",
            "{subject} looks similar to {a_n} or {a_o}.",
            "It resembles {a_noun_n}, possibly {a_noun_o}.",
            "I'd guess {a_noun_n}, though {a_o} is also possible.",
            "The {noun} appears to be {a_n} or perhaps {a_o}; the {bare_trait} fits both.",
            "Most likely {a_noun_n} (could also be {a_o}).",
            "{cap_noun_n}, or possibly {o}.",
            "It's similar to {a_n} or {a_o}, based on {trait}.",
        ],
        n=n, o=o, noun=noun,
    )
    return text, n


def candidate_list(w: Writer) -> tuple[str, str]:
    """A markdown list of candidates, best first, with or without a heading."""
    n = w.name()
    others = [w.name(x) for x in w.rng.sample([x for x in w.d.items if x != w.it], 2)]
    pct = sorted(w.rng.sample(range(5, 90), 3), reverse=True)
    heading = w.fill(
        [
            "Possible identifications:",
            "**Top candidates**",
            "Here are the most likely matches:",
            "Likely matches ({noun}):",
            "### Candidates",
            "Ranked guesses:",
        ],
    )
    bullet = w.pick(["-", "*", "1.", "•"])
    names = [n, *others]
    lines = []
    for i, (x, p) in enumerate(zip(names, pct, strict=True), start=1):
        mark = f"{i}." if bullet == "1." else bullet
        tail = w.fill(
            [
                " ({p}%)",
                " - {trait}",
                "",
                ": {trait}",
                " — confidence {share:.2f}",
            ],
            p=p, share=p / 100,
        )
        lines.append(f"{mark} {w.bold(_cap(x), 0.5)}{tail}")
    closing = w.fill(["", "", "\nThe first option fits the {bare_trait} best."])
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
    text = w.fill(
        [
            "I think it's {a_n}.",
            "I believe this is {a_n}, judging by {trait}.",
            "My best guess would be {a_n}.",
            "Looks like {a_n} to me.",
            "Hmm, I'm fairly sure that's {a_n} - the {bare_trait} gives it away.",
            "If I had to name it, I'd go with {n}.",
            "I'm going to say {n}. The {trait} is a strong clue.",
            "Honestly, this looks most like {a_noun_n}.",
        ],
        n=n,
    )
    return text, n


def latin_first(w: Writer) -> tuple[str, str]:
    """Latin name first, common name in parentheses or after a dash (reference: common)."""
    if not w.it.latin:
        return candidate_list(w)
    n, lat = w.name(), w.it.latin
    text = w.fill(
        [
            "{lat} ({n})",
            "*{lat}* ({cap_n})",
            "**{lat}** — {n}. Identified by {trait}.",
            "{lat}, the {n}.",
            "Scientific name: *{lat}*\nCommon name: {cap_n}",
            "This specimen is *{lat}* (common name: {n}).",
        ],
        lat=lat, n=n,
    )
    return text, n


def refusal(w: Writer) -> tuple[str, str]:
    """Refusals (reference "") and uncertain answers that still name a candidate."""
    n = w.name()
    if w.rng.random() < 0.5:
        text = w.fill(
            [
                "I'm sorry, but I can't determine the exact {noun} from this image.",
                "The image is too blurry to identify the {noun} with any confidence.",
                "Unable to identify.",
                "I cannot identify this {noun}; the {heading} is not visible.",
                "{{\"label\": \"unknown\"}}",
                "It is not possible to tell which {noun} this is from the photo.",
            ],
        )
        return text, ""
    text = w.fill(
        [
            "I can't be completely certain from this angle, but it looks like {a_n}.",
            "Hard to say for sure. Possibly {a_n}, given {trait}.",
            "I'm not sure, but it might be {a_n}.",
            "The image quality is poor; my tentative identification is {a_n}.",
            "Unclear, but the {bare_trait} suggests {n}.",
        ],
        n=n,
    )
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
        + w.fill([" ({q}%)", " – {q}% confidence", ": {trait}"], q=q)        for i, (x, q) in enumerate(zip([n, *others], p, strict=True), start=1)
    )
    return f"{intro}\n{body}", n


def compound(w: Writer) -> tuple[str, str]:
    """Make / model / year (cars, aircraft) or a name with a variant, inside a sentence."""
    n = w.name()
    text = w.fill(
        [
            "{subject} is {a_n}, identifiable by {trait}.",
            "This appears to be {a_n}. The {trait} and {trait} are typical of it.",
            "Identification: {n}\nKey features: {trait}; {trait}.",
            "Based on the {bare_trait}, I would identify this as {a_n}.",
            "The {heading} suggests {group_phrase}; more precisely, {a_n}.",
            "**{n}**\n\nDistinguishing features: {trait}.",
        ],
        n=n, group_phrase=lambda: w.a(w.group()) if w.group()[0].isupper() else w.group(),
    )
    return text, n


def possessive_accent(w: Writer) -> tuple[str, str]:
    """Names with apostrophes, accents and lower-case particles, in mixed sentences."""
    specials = [x for x in w.d.items if any(c in x.name for c in "'éèüöëû") or " de " in x.name]
    it = w.pick(specials) if specials else w.it
    n = w.name(it)
    text = w.fill(
        [
            "This is {a_n}.",
            "The {noun} here is {bold_n}, known for {trait}.",
            "{cap_n} — note the {bare_trait}.",
            "I'd identify it as {n}.",
            "{subject} appears to be the {n}.",
        ],
        n=n,
    )
    return text, n


def preamble(w: Writer) -> tuple[str, str]:
    """A long description (traits, groups, a compared look-alike) before the name."""
    n, o = w.name(), w.name(w.other())
    t1, t2, t3 = w.traits(3)
    g = w.group()
    parts = [
        f"{w.subject()} shows {t1}, and {t2} is also clearly visible.",
        w.fill(
            [
                "Such features are common among {g_kind}.",
                "Overall, it has the look of {a_g}.",
                "The lighting makes the colours look slightly warmer than they are.",
            ],
            g_kind=g if g[0].islower() else g + ' species', a_g=w.a(g) if g[0].isupper() else g,
        ),
        w.fill(
            [
                "Unlike the {o}, it has {t3}.",
                "Some might mistake it for {a_o}, but the proportions differ.",
                "Compared with {a_o}, the {heading} is quite different.",
            ],
            o=o, t3=t3,
        ),
        w.fill(
            [
                "Taking all of this into account, it is {a_n}.",
                "All things considered, this is most likely {a_n}.",
                "So my answer is {a_n}.",
                "These details identify it as {a_bold_n}.",
            ],
            n=n,
        ),
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
