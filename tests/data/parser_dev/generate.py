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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
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

    def bold(self, text: str, p: float = 0.5) -> str:
        return f"**{text}**" if self.rng.random() < p else text


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
    form = w.pick(range(7))
    if form == 0:
        return n, n
    if form == 1:
        return f"**{_cap(n)}**", n
    if form == 2:
        return f"{_cap(n)}.", n
    if form == 3 and w.it.latin:
        return f"{_cap(n)} ({w.it.latin})", n
    if form == 4:
        return (_cap(w.with_noun(n)) if w.d.noun != "dish" else _cap(n)), n
    if form == 5:
        return f"  {_cap(n)}\n", n
    return f"Answer: {n}", n


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
    intro = w.pick(
        [
            f"Let's break down the identification step by step.\n\n**Overall Impression:** {_cap(group)}, with {t1}.",
            f"To identify this {w.d.noun}, I'll go through its key features.",
            f"**Initial Observations**\n\n{w.subject()} shows {t1} and {t2}.",
            f"Okay, let's analyze the {w.d.noun} in the image.\n\n**{_cap(group)}**\nThe overall shape points to this group.",
        ]
    )
    rule_out = w.pick(
        [
            f"This rules out the {o}, which lacks {t3}.",
            f"A {o} would look similar, but its {w.pick(w.d.headings).lower()} differs.",
            f"**Comparison:** The {o} is a close look-alike; however, {t2} does not fit it.",
            f"All of these features separate it from the {o}.",
            f"Combining these clues, the {o} is unlikely.",
        ]
    )
    verdict = w.pick(
        [
            f"Based on these features, I can confidently identify it as {w.a('**' + n + '**')}.",
            f"**Conclusion:** The {w.d.noun} is most likely {w.a(n)}.",
            f"Therefore, this is {w.a(n)}.",
            f"Putting it all together, I believe the {w.d.noun} in the image is {w.a(n)}.",
            f"**Final Identification**\n\n**{_cap(n)}**",
            f"Combining all of these observations, my identification is: **{_cap(n)}**.",
            f"Given {t1} and {t2}, the best match is the {n}.",
            f"These features all point to one answer: {w.bold(_cap(n), 0.7)}.",
        ]
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
    text = w.pick(
        [
            f"{w.subject()} is known as {w.a(n)}{tail}. It is recognisable by {t1}.",
            f"Looking at {t1} and {t2}, this appears to be {w.a(n)}, which is common in gardens and meadows.",
            f"What we have here is {w.a(n)}. The {t1} is characteristic.",
            f"This looks like {w.a(n)} to me, given {t1}.",
            f"{w.subject()} is most likely {w.a(n)} with {t1}{tail}.",
            f"I'd say this is {w.a(n)}: note {t1} and {t2}.",
            f"The photo shows {w.a(n)}, which is sometimes grouped with {w.group()}.",
        ]
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
        text = w.pick(
            [
                f"This is *{lat}*, identifiable by {t}.",
                f"The species shown is *{lat}*.",
                f"*{lat}*\n\nDiagnostic features: {t}.",
                f"{w.subject()} belongs to the species _{lat}_.",
            ]
        )
        return text, lat
    text = w.pick(
        [
            f"{w.subject()} appears to be the species *{lat}*, commonly known as {n}.",
            f"This is *{lat}* ({n}), recognisable by {t}.",
            f"*{lat}*, also called {w.a(n)}, is shown here; note {t}.",
            f"Species: *{lat}* - common name: {n}.",
            f"The image shows *{lat}*, better known as {n}. Its {t} is distinctive.",
            f"Based on {t}, I identify it as *{lat}*, the {n}.",
            f"It is *{lat}* — the {n} — a member of {w.group()}.",
        ]
    )
    return text, n


def category_hedge(w: Writer) -> tuple[str, str]:
    """Category words after the name ("a Ragdoll cat") and hedges between two names; the
    first name comes first."""
    n, o = w.name(), w.name(w.other())
    noun = w.d.noun
    text = w.pick(
        [
            f"This is {w.a(w.with_noun(n))}.",
            f"{w.subject()} looks similar to {w.a(n)} or {w.a(o)}.",
            f"It resembles {w.a(w.with_noun(n))}, possibly {w.a(w.with_noun(o))}.",
            f"I'd guess {w.a(w.with_noun(n))}, though {w.a(o)} is also possible.",
            f"The {noun} appears to be {w.a(n)} or perhaps {w.a(o)}; the {w.bare_trait()} fits both.",
            f"Most likely {w.a(w.with_noun(n))} (could also be {w.a(o)}).",
            f"{_cap(w.with_noun(n))}, or possibly {o}.",
            f"It's similar to {w.a(n)} or {w.a(o)}, based on {w.trait()}.",
        ]
    )
    return text, n


def candidate_list(w: Writer) -> tuple[str, str]:
    """A markdown list of candidates, best first, with or without a heading."""
    n = w.name()
    others = [w.name(x) for x in w.rng.sample([x for x in w.d.items if x != w.it], 2)]
    pct = sorted(w.rng.sample(range(5, 90), 3), reverse=True)
    heading = w.pick(
        [
            "Possible identifications:",
            "**Top candidates**",
            "Here are the most likely matches:",
            f"Likely matches ({w.d.noun}):",
            "### Candidates",
            "Ranked guesses:",
        ]
    )
    bullet = w.pick(["-", "*", "1.", "•"])
    names = [n, *others]
    lines = []
    for i, (x, p) in enumerate(zip(names, pct, strict=True), start=1):
        mark = f"{i}." if bullet == "1." else bullet
        tail = w.pick(
            [f" ({p}%)", f" - {w.trait()}", "", f": {w.trait()}", f" — confidence {p / 100:.2f}"]
        )
        lines.append(f"{mark} {w.bold(_cap(x), 0.5)}{tail}")
    closing = w.pick(["", "", f"\nThe first option fits the {w.bare_trait()} best."])
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
    text = w.pick(
        [
            f"I think it's {w.a(n)}.",
            f"I believe this is {w.a(n)}, judging by {w.trait()}.",
            f"My best guess would be {w.a(n)}.",
            f"Looks like {w.a(n)} to me.",
            f"Hmm, I'm fairly sure that's {w.a(n)} - the {w.bare_trait()} gives it away.",
            f"If I had to name it, I'd go with {n}.",
            f"I'm going to say {n}. The {w.trait()} is a strong clue.",
            f"Honestly, this looks most like {w.a(w.with_noun(n))}.",
        ]
    )
    return text, n


def latin_first(w: Writer) -> tuple[str, str]:
    """Latin name first, common name in parentheses or after a dash (reference: common)."""
    if not w.it.latin:
        return candidate_list(w)
    n, lat = w.name(), w.it.latin
    text = w.pick(
        [
            f"{lat} ({n})",
            f"*{lat}* ({_cap(n)})",
            f"**{lat}** — {n}. Identified by {w.trait()}.",
            f"{lat}, the {n}.",
            f"Scientific name: *{lat}*\nCommon name: {_cap(n)}",
            f"This specimen is *{lat}* (common name: {n}).",
        ]
    )
    return text, n


def refusal(w: Writer) -> tuple[str, str]:
    """Refusals (reference "") and uncertain answers that still name a candidate."""
    n = w.name()
    if w.rng.random() < 0.5:
        text = w.pick(
            [
                f"I'm sorry, but I can't determine the exact {w.d.noun} from this image.",
                f"The image is too blurry to identify the {w.d.noun} with any confidence.",
                "Unable to identify.",
                f"I cannot identify this {w.d.noun}; the {w.pick(w.d.headings).lower()} is not visible.",
                '{"label": "unknown"}',
                f"It is not possible to tell which {w.d.noun} this is from the photo.",
            ]
        )
        return text, ""
    text = w.pick(
        [
            f"I can't be completely certain from this angle, but it looks like {w.a(n)}.",
            f"Hard to say for sure. Possibly {w.a(n)}, given {w.trait()}.",
            f"I'm not sure, but it might be {w.a(n)}.",
            f"The image quality is poor; my tentative identification is {w.a(n)}.",
            f"Unclear, but the {w.bare_trait()} suggests {n}.",
        ]
    )
    return text, n


def either_or(w: Writer) -> tuple[str, str]:
    """ "Either A or B", with a stated preference that may pick the second one."""
    n, o = w.name(), w.name(w.other())
    form = w.pick(range(6))
    if form == 0:
        return f"It's either {w.a(n)} or {w.a(o)}.", n
    if form == 1:
        return (
            f"This could be either {w.a(o)} or {w.a(n)}, but I lean towards {w.a(n)} because of the {w.bare_trait()}.",
            n,
        )
    if form == 2:
        return f"{_cap(n)} or {o} — most likely {n}.", n
    if form == 3:
        return f"Either {w.bold(n)} or {w.bold(o)}; the {w.bare_trait()} favours the first.", n
    if form == 4:
        return f"It might be {w.a(o)}, but on closer inspection it is more likely {w.a(n)}.", n
    return f"Probably {w.a(n)}, although {w.a(o)} cannot be ruled out.", n


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
        + w.pick([f" ({q}%)", f" – {q}% confidence", f": {w.trait()}"])
        for i, (x, q) in enumerate(zip([n, *others], p, strict=True), start=1)
    )
    return f"{intro}\n{body}", n


def compound(w: Writer) -> tuple[str, str]:
    """Make / model / year (cars, aircraft) or a name with a variant, inside a sentence."""
    n = w.name()
    text = w.pick(
        [
            f"{w.subject()} is {w.a(n)}, identifiable by {w.trait()}.",
            f"This appears to be {w.a(n)}. The {w.trait()} and {w.trait()} are typical of it.",
            f"Identification: {n}\nKey features: {w.trait()}; {w.trait()}.",
            f"Based on the {w.bare_trait()}, I would identify this as {w.a(n)}.",
            f"The {w.pick(w.d.headings).lower()} suggests {w.a(w.group()) if w.group()[0].isupper() else w.group()}; more precisely, {w.a(n)}.",
            f"**{n}**\n\nDistinguishing features: {w.trait()}.",
        ]
    )
    return text, n


def possessive_accent(w: Writer) -> tuple[str, str]:
    """Names with apostrophes, accents and lower-case particles, in mixed sentences."""
    specials = [x for x in w.d.items if any(c in x.name for c in "'éèüöëû") or " de " in x.name]
    it = w.pick(specials) if specials else w.it
    n = w.name(it)
    text = w.pick(
        [
            f"This is {w.a(n)}.",
            f"The {w.d.noun} here is {w.bold(n)}, known for {w.trait()}.",
            f"{_cap(n)} — note the {w.bare_trait()}.",
            f"I'd identify it as {n}.",
            f"{w.subject()} appears to be the {n}.",
        ]
    )
    return text, n


def preamble(w: Writer) -> tuple[str, str]:
    """A long description (traits, groups, a compared look-alike) before the name."""
    n, o = w.name(), w.name(w.other())
    t1, t2, t3 = w.traits(3)
    g = w.group()
    parts = [
        f"{w.subject()} shows {t1}, and {t2} is also clearly visible.",
        w.pick(
            [
                f"Such features are common among {g if g[0].islower() else g + ' species'}.",
                f"Overall, it has the look of {w.a(g) if g[0].isupper() else g}.",
                "The lighting makes the colours look slightly warmer than they are.",
            ]
        ),
        w.pick(
            [
                f"Unlike the {o}, it has {t3}.",
                f"Some might mistake it for {w.a(o)}, but the proportions differ.",
                f"Compared with {w.a(o)}, the {w.pick(w.d.headings).lower()} is quite different.",
            ]
        ),
        w.pick(
            [
                f"Taking all of this into account, it is {w.a(n)}.",
                f"All things considered, this is most likely {w.a(n)}.",
                f"So my answer is {w.a(n)}.",
                f"These details identify it as {w.a(w.bold(n))}.",
            ]
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


def generate() -> dict[str, list[dict]]:
    """Rows of the corpus by domain."""
    rng = random.Random(SEED)
    rows: dict[str, list[dict]] = {d: [] for d in DOMAINS}
    for style, write in STYLES.items():
        for domain in STYLE_DOMAINS.get(style, NEW_DOMAINS):
            d = DOMAINS[domain]
            for item in rng.sample(list(d.items), min(PER_CELL, len(d.items))):
                text, reference = write(Writer(rng, d, item))
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
