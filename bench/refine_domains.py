"""Simulated MLLM answer files for the refine benchmark: domains and name structures that the
shipped birds / dogs answers do not have.

Each generator returns ``(answers, truth)``: ``answers[i]`` the parsed names of image i (one
sample, as the pipeline's default), ``truth[i]`` its true class name. An answer is a *wording*
of the true class (``p_right``) or of a sibling class (the class whose name is closest by
the text encoder E, or for cars another model of the same make), and a wording is drawn from
the domain's own drift model:

- ``cars``: make / model / body / year compounds. The year drifts by up to 2 (or is left out),
  the body word is dropped or swapped for a synonym; some models exist in two years as two
  classes (the answers must keep those apart where the geometry does).
- ``flowers``: common names in any case, Latin genus / binomial names, cultivar-style
  wordings ("'X' cultivar"), plural and "common X" forms.
- ``pets``: cat and dog breeds with category words ("Ragdoll cat"), short forms ("Yorkie",
  "Pit Bull"), and breed siblings.
- ``singletons``: bird classes, every answer a wording variant ("X", "X adult", "X juvenile"),
  so that most names are singletons.

Noise rates are those of the real Qwen answers on birds / dogs (about 70% of first answers
name the true class).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Encoder = Callable[[list[str]], np.ndarray]

_BODY_SYNONYMS = {"Sedan": "Saloon", "SUV": "Crossover", "Hatchback": "Hatch",
                  "Coupe": "Sports Coupe", "Convertible": "Cabriolet", "Minivan": "Van",
                  "Regular Cab": "Pickup"}


def _car_models(table: str) -> list[tuple[str, str, str, list[int]]]:
    """``(make, model, body, years)`` rows of ``table``, in order: lines ``Make: model body
    year [year...]; ...``, where ``body`` is one of :data:`_BODY_SYNONYMS`."""
    rows = []
    for line in table.strip().splitlines():
        make, _, entries = line.partition(": ")
        for entry in entries.split("; "):
            text, body = entry, ""
            years: list[int] = []
            while not body:
                text, _, last = text.rpartition(" ")
                if last.isdigit():
                    years.insert(0, int(last))
                else:
                    text = f"{text} {last}"
                    body = next(b for b in _BODY_SYNONYMS if text.endswith(" " + b))
            rows.append((make, text[: -len(body) - 1], body, years))
    return rows


_CAR_MODELS = _car_models("""
Audi: S4 Sedan 2007 2012; A5 Coupe 2012; TT Hatchback 2011; R8 Coupe 2012
BMW: M3 Coupe 2012; X5 SUV 2007; 3 Series Sedan 2012; Z4 Convertible 2012
Chevrolet: Corvette Convertible 2012; Malibu Sedan 2007 2010; Silverado 1500 Regular Cab 2012
Chevrolet: Tahoe SUV 2011; Camaro Convertible 2012
Dodge: Charger Sedan 2012; Durango SUV 2007 2012; Caravan Minivan 1997
Ford: Mustang Convertible 2007; F-150 Regular Cab 2007 2012; Focus Sedan 2007; Fiesta Sedan 2012
Honda: Accord Coupe 2012; Odyssey Minivan 2007 2012
Hyundai: Sonata Sedan 2012; Elantra Sedan 2007; Santa Fe SUV 2012
Jeep: Wrangler SUV 2012; Grand Cherokee SUV 2012
Mercedes-Benz: C-Class Sedan 2012; SL-Class Coupe 2009
Nissan: Leaf Hatchback 2012; Juke Hatchback 2012
Porsche: Panamera Sedan 2012
Toyota: Corolla Sedan 2012; Camry Sedan 2012; Sequoia SUV 2012
Volkswagen: Golf Hatchback 2012 1991; Beetle Hatchback 2012
Volvo: XC90 SUV 2007; C30 Hatchback 2012
Tesla: Model S Sedan 2012
""")

FLOWERS = [
    "pink primrose", "hard-leaved pocket orchid", "canterbury bells", "sweet pea",
    "english marigold", "tiger lily", "moon orchid", "bird of paradise", "monkshood",
    "globe thistle", "snapdragon", "colt's foot", "king protea", "spear thistle", "yellow iris",
    "globe-flower", "purple coneflower", "peruvian lily", "balloon flower",
    "giant white arum lily", "fire lily", "pincushion flower", "fritillary", "red ginger",
    "grape hyacinth", "corn poppy", "prince of wales feathers", "stemless gentian", "artichoke",
    "sweet william", "carnation", "garden phlox", "love in the mist", "mexican aster",
    "alpine sea holly", "ruby-lipped cattleya", "cape flower", "great masterwort", "siam tulip",
    "lenten rose", "barbeton daisy", "daffodil", "sword lily", "poinsettia", "bolero deep blue",
    "wallflower", "marigold", "buttercup", "oxeye daisy", "common dandelion", "petunia",
    "wild pansy", "primula", "sunflower", "pelargonium", "bishop of llandaff", "gaura",
    "geranium", "orange dahlia", "pink-yellow dahlia", "cautleya spicata", "japanese anemone",
    "black-eyed susan", "silverbush", "californian poppy", "osteospermum", "spring crocus",
    "bearded iris", "windflower", "tree poppy", "gazania", "azalea", "water lily", "rose",
    "thorn apple", "morning glory", "passion flower", "lotus", "toad lily", "anthurium",
    "frangipani", "clematis", "hibiscus", "columbine", "desert-rose", "tree mallow", "magnolia",
    "cyclamen", "watercress", "canna lily", "hippeastrum", "bee balm", "ball moss", "foxglove",
    "bougainvillea", "camellia", "mallow", "mexican petunia", "bromelia", "blanket flower",
    "trumpet creeper", "blackberry lily",
]
_FLOWER_LATIN = {
    "globe thistle": "Echinops", "alpine sea holly": "Eryngium alpinum",
    "great masterwort": "Astrantia major", "love in the mist": "Nigella damascena",
    "columbine": "Aquilegia", "foxglove": "Digitalis purpurea", "monkshood": "Aconitum",
    "snapdragon": "Antirrhinum", "sweet pea": "Lathyrus odoratus", "bee balm": "Monarda",
    "purple coneflower": "Echinacea purpurea", "black-eyed susan": "Rudbeckia hirta",
    "lenten rose": "Helleborus", "canterbury bells": "Campanula medium",
    "peruvian lily": "Alstroemeria", "fire lily": "Gloriosa superba", "frangipani": "Plumeria",
    "thorn apple": "Datura", "bird of paradise": "Strelitzia", "gazania": "Treasure flower",
    "osteospermum": "African daisy", "barbeton daisy": "Gerbera", "wallflower": "Erysimum",
    "pincushion flower": "Scabiosa", "cape flower": "Nerine", "spring crocus": "Crocus vernus",
}

PETS = [
    "Abyssinian", "American Bulldog", "American Pit Bull Terrier", "Basset Hound", "Beagle",
    "Bengal", "Birman", "Bombay", "Boxer", "British Shorthair", "Chihuahua", "Egyptian Mau",
    "English Cocker Spaniel", "English Setter", "German Shorthaired Pointer", "Great Pyrenees",
    "Havanese", "Japanese Chin", "Keeshond", "Leonberger", "Maine Coon", "Miniature Pinscher",
    "Newfoundland", "Persian", "Pomeranian", "Pug", "Ragdoll", "Russian Blue", "Saint Bernard",
    "Samoyed", "Scottish Terrier", "Shiba Inu", "Siamese", "Sphynx",
    "Staffordshire Bull Terrier", "Wheaten Terrier", "Yorkshire Terrier",
]
_CATS = {"Abyssinian", "Bengal", "Birman", "Bombay", "British Shorthair", "Egyptian Mau",
         "Maine Coon", "Persian", "Ragdoll", "Russian Blue", "Siamese", "Sphynx"}
_PET_SHORT = {"American Pit Bull Terrier": "Pit Bull", "Yorkshire Terrier": "Yorkie",
              "German Shorthaired Pointer": "German Pointer", "Wheaten Terrier":
              "Soft-coated Wheaten Terrier", "Staffordshire Bull Terrier": "Staffy",
              "Great Pyrenees": "Pyrenean Mountain Dog", "Saint Bernard": "St. Bernard",
              "English Cocker Spaniel": "Cocker Spaniel", "Miniature Pinscher": "Min Pin"}


def car_classes() -> list[str]:
    return [f"{make} {model} {body} {year}" for make, model, body, years in _CAR_MODELS
            for year in years]


def _car_wording(name: str, rng: np.random.Generator) -> str:
    for make, model, body, years in _CAR_MODELS:
        for year in years:
            if name == f"{make} {model} {body} {year}":
                r = rng.random()
                y = "" if r < 0.15 else str(year + int(rng.integers(-2, 3)))
                b = body
                r = rng.random()
                if r < 0.2:
                    b = ""
                elif r < 0.35:
                    b = _BODY_SYNONYMS[body]
                return " ".join(p for p in (make, model, b, y) if p)
    raise KeyError(name)


def _flower_wording(name: str, rng: np.random.Generator) -> str:
    r = rng.random()
    if r < 0.15 and name in _FLOWER_LATIN:
        return _FLOWER_LATIN[name]
    if r < 0.25:
        return name.title()
    if r < 0.32:
        return f"'{name.title()}' cultivar"
    if r < 0.38:
        return f"common {name}"
    if r < 0.45:
        return name + "s" if not name.endswith("s") else name
    return name


def _pet_wording(name: str, rng: np.random.Generator) -> str:
    r = rng.random()
    if r < 0.2 and name in _PET_SHORT:
        return _PET_SHORT[name]
    if r < 0.45:
        return f"{name} {'cat' if name in _CATS else 'dog'}"
    if r < 0.55:
        return name.lower()
    return name


def _singleton_wording(name: str, rng: np.random.Generator) -> str:
    return ["{}", "{} adult", "{} juvenile"][int(rng.integers(0, 3))].format(name)


def _siblings(classes: list[str], encoder: Encoder, group: Callable[[str], str] | None = None
              ) -> dict[str, str]:
    """Each class's closest other class by E (within its ``group`` when one is given)."""
    emb = encoder(classes)
    sim = emb @ emb.T
    np.fill_diagonal(sim, -np.inf)
    if group is not None:
        g = np.array([group(c) for c in classes])
        same = g[:, None] == g[None, :]
        sim = np.where(same & (same.sum(1, keepdims=True) > 1), sim + 10.0, sim)
    return {c: classes[int(np.argmax(sim[i]))] for i, c in enumerate(classes)}


def simulate(domain: str, encoder: Encoder, *, seed: int = 0, per_class: int = 3,
             p_right: float = 0.7, classes: list[str] | None = None
             ) -> tuple[list[list[str]], list[str]]:
    """``per_class`` images per class of ``domain``; answers drift by the domain's model."""
    rng = np.random.default_rng(seed)
    wording, group = {
        "cars": (_car_wording, lambda c: c.split()[0]),
        "flowers": (_flower_wording, None),
        "pets": (_pet_wording, lambda c: "cat" if c in _CATS else "dog"),
        "singletons": (_singleton_wording, None),
    }[domain]
    if classes is None:
        classes = {"cars": car_classes(), "flowers": FLOWERS, "pets": PETS}[domain]
    sibling = _siblings(classes, encoder, group)
    answers, truth = [], []
    for c in classes:
        for _ in range(per_class):
            base = c if rng.random() < p_right else sibling[c]
            answers.append([wording(base, rng)])
            truth.append(c)
    return answers, truth


POOL_CLASSES = ["red", "crimson", "blue", "navy", "green", "olive", "yellow", "gold"]


def pool(*, n: int = 20_000, named: int = 400, p_right: float = 0.8, seed: int = 0
         ) -> tuple[list[list[str]], list[str]]:
    """Issue 10's large pool: ``n`` images of 8 colour classes in sibling pairs, ``named`` of
    them (random) with an answer that is right with ``p_right``, else the sibling's name."""
    rng = np.random.default_rng(seed)
    truth = [POOL_CLASSES[i % 8] for i in range(n)]
    asked = set(rng.choice(n, named, replace=False).tolist())
    answers: list[list[str]] = []
    for i, t in enumerate(truth):
        if i not in asked:
            answers.append([])
            continue
        j = POOL_CLASSES.index(t)
        answers.append([t if rng.random() < p_right else POOL_CLASSES[j ^ 1]])
    return answers, truth
