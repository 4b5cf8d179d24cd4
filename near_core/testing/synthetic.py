"""A small synthetic "fine-grained" image set whose class can be read back from the pixels.

Each image shows a bird-like shape (body, wing, head, beak, eye) on a noisy background. The
body colour encodes the class's *group* (16 groups of sibling species, e.g. puffins) and the
head colour encodes the *member* within the group (4 per group), so sibling classes look
alike (same body) and differ in one detail, as in real fine-grained data (Tufted vs Horned
Puffin). Position, shade and background vary per image, so no two images are identical.

Beyond these 64 named species, :data:`CLASSES` continues with 1,056 *parametric* species
(every body colour x head colour x wing colour of the palettes below, e.g. ``"Pink-winged
Red-capped Tealbird"``) for runs with 1,000+ classes; their wing has its own colour, where a
named species' wing is a darker shade of its body. Siblings share body and head and differ in
the wing. The first 64 classes and their images are those of the 64 named species.

``class_of_image`` decodes the class from fixed relative positions with a per-channel median,
which survives JPEG re-encoding and resizing. The loopback MLLM server
(:mod:`near_core.testing.mllm_server`) uses it to answer from the image content.

Generation is deterministic for a seed and fast (about 1 ms per 64x64 image).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw


@dataclass(frozen=True)
class Species:
    """One synthetic class: its common name, Latin name ('' when none), sibling group, and the
    RGB colours it is drawn in (``wing`` None: a darker shade of the body)."""

    name: str
    latin: str
    group: int
    member: int
    body: tuple[int, int, int]
    head: tuple[int, int, int]
    wing: tuple[int, int, int] | None = None


_GROUPS: list[list[tuple[str, str]]] = [
    [("Tufted Puffin", "Fratercula cirrhata"), ("Horned Puffin", "Fratercula corniculata"),
     ("Atlantic Puffin", "Fratercula arctica"), ("Rhinoceros Auklet", "Cerorhinca monocerata")],
    [("Black-footed Albatross", "Phoebastria nigripes"), ("Laysan Albatross", "Phoebastria immutabilis"),
     ("Sooty Albatross", "Phoebetria fusca"), ("Wandering Albatross", "Diomedea exulans")],
    [("Red-winged Blackbird", "Agelaius phoeniceus"),
     ("Yellow-headed Blackbird", "Xanthocephalus xanthocephalus"),
     ("Rusty Blackbird", "Euphagus carolinus"), ("Brewer's Blackbird", "Euphagus cyanocephalus")],
    [("Indigo Bunting", "Passerina cyanea"), ("Lazuli Bunting", "Passerina amoena"),
     ("Painted Bunting", "Passerina ciris"), ("Snow Bunting", "Plectrophenax nivalis")],
    [("Brandt's Cormorant", "Urile penicillatus"), ("Pelagic Cormorant", "Urile pelagicus"),
     ("Red-faced Cormorant", "Urile urile"), ("Double-crested Cormorant", "Nannopterum auritum")],
    [("Ruby-throated Hummingbird", "Archilochus colubris"), ("Anna's Hummingbird", "Calypte anna"),
     ("Rufous Hummingbird", "Selasphorus rufus"),
     ("Black-chinned Hummingbird", "Archilochus alexandri")],
    [("Belted Kingfisher", "Megaceryle alcyon"), ("Green Kingfisher", "Chloroceryle americana"),
     ("Pied Kingfisher", "Ceryle rudis"), ("Ringed Kingfisher", "Megaceryle torquata")],
    [("Arctic Tern", "Sterna paradisaea"), ("Common Tern", "Sterna hirundo"),
     ("Forster's Tern", "Sterna forsteri"), ("Caspian Tern", "Hydroprogne caspia")],
    [("California Gull", "Larus californicus"), ("Herring Gull", "Larus argentatus"),
     ("Ring-billed Gull", "Larus delawarensis"), ("Western Gull", "Larus occidentalis")],
    [("Baltimore Oriole", "Icterus galbula"), ("Hooded Oriole", "Icterus cucullatus"),
     ("Orchard Oriole", "Icterus spurius"), ("Scott's Oriole", "Icterus parisorum")],
    [("Yellow Warbler", "Setophaga petechia"), ("Magnolia Warbler", "Setophaga magnolia"),
     ("Pine Warbler", "Setophaga pinus"), ("Wilson's Warbler", "Cardellina pusilla")],
    [("Cactus Wren", "Campylorhynchus brunneicapillus"),
     ("Carolina Wren", "Thryothorus ludovicianus"), ("House Wren", "Troglodytes aedon"),
     ("Marsh Wren", "Cistothorus palustris")],
    [("Song Sparrow", "Melospiza melodia"), ("Chipping Sparrow", "Spizella passerina"),
     ("White-crowned Sparrow", "Zonotrichia leucophrys"), ("Harris's Sparrow", "Zonotrichia querula")],
    [("Downy Woodpecker", "Dryobates pubescens"),
     ("Red-headed Woodpecker", "Melanerpes erythrocephalus"),
     ("Pileated Woodpecker", "Dryocopus pileatus"),
     ("Red-bellied Woodpecker", "Melanerpes carolinus")],
    [("Acadian Flycatcher", "Empidonax virescens"),
     ("Great Crested Flycatcher", "Myiarchus crinitus"), ("Least Flycatcher", "Empidonax minimus"),
     ("Vermilion Flycatcher", "Pyrocephalus rubinus")],
    [("Eared Grebe", "Podiceps nigricollis"), ("Horned Grebe", "Podiceps auritus"),
     ("Pied-billed Grebe", "Podilymbus podiceps"), ("Western Grebe", "Aechmophorus occidentalis")],
]

#: named body colours: the 16 group colours of :data:`SPECIES` plus a few more
BODY_COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (200, 40, 40), "green": (40, 160, 40), "blue": (40, 60, 200), "yellow": (225, 205, 40),
    "purple": (160, 40, 180), "cyan": (40, 185, 195), "orange": (235, 120, 30),
    "brown": (120, 70, 30), "white": (235, 235, 235), "black": (30, 30, 30),
    "grey": (128, 128, 128), "pink": (250, 150, 185), "olive": (105, 125, 35),
    "teal": (15, 95, 95), "plum": (95, 25, 85), "lavender": (165, 165, 250),
    "navy": (20, 25, 110), "maroon": (125, 15, 35), "gold": (190, 150, 15),
    "lime": (160, 235, 70), "beige": (215, 195, 150), "salmon": (245, 125, 100),
}
#: named head colours: the 4 member colours of :data:`SPECIES` plus more
HEAD_COLOURS: dict[str, tuple[int, int, int]] = {
    "white": (245, 245, 245), "black": (20, 20, 20), "red": (215, 30, 30),
    "yellow": (240, 220, 30), "blue": (30, 60, 220), "orange": (245, 130, 20),
    "green": (30, 170, 50), "pink": (250, 140, 200), "brown": (125, 75, 30),
    "grey": (135, 135, 135), "purple": (150, 30, 170), "cyan": (40, 200, 210),
}
#: wing colours of the parametric species: bright, so that none is near the darker body shade
#: a named species' wing has (>= 130 apart in RGB from 0.6 x any body colour, and each other)
WING_COLOURS: dict[str, tuple[int, int, int]] = {
    "white": (250, 250, 250), "yellow": (250, 230, 40), "cyan": (50, 225, 240),
    "pink": (255, 130, 210),
}
_BODY_RGB = np.array(list(BODY_COLOURS.values()), dtype=np.float32)
_HEAD_RGB = np.array(list(HEAD_COLOURS.values()), dtype=np.float32)
_WING_RGB = np.array(list(WING_COLOURS.values()), dtype=np.float32)
# the named species: body colour per group, head colour per member (well separated in RGB)
_BODY = _BODY_RGB[: len(_GROUPS)]
_HEAD = _HEAD_RGB[:4]


#: the 64 named species, group-major: the first ``n`` classes contain whole sibling groups
SPECIES: tuple[Species, ...] = tuple(
    Species(name, latin, g, m, list(BODY_COLOURS.values())[g], list(HEAD_COLOURS.values())[m])
    for g, members in enumerate(_GROUPS)
    for m, (name, latin) in enumerate(members)
)


def _parametric() -> tuple[Species, ...]:
    """Every body x head x wing colour combination, sibling-group-major (a group: one body and
    head, its members: the wing colours); groups are numbered after those of :data:`SPECIES`."""
    out = []
    for b, (body, b_rgb) in enumerate(BODY_COLOURS.items()):
        for h, (head, h_rgb) in enumerate(HEAD_COLOURS.items()):
            group = len(_GROUPS) + b * len(HEAD_COLOURS) + h
            for w, (wing, w_rgb) in enumerate(WING_COLOURS.items()):
                name = f"{wing.title()}-winged {head.title()}-capped {body.title()}bird"
                out.append(Species(name, "", group, w, b_rgb, h_rgb, w_rgb))
    return tuple(out)


#: every class: the 64 named species, then the parametric ones (whole sibling groups of four)
CLASSES: tuple[Species, ...] = SPECIES + _parametric()
_BY_NAME = {s.name: s for s in CLASSES}
MAX_CLASSES = len(CLASSES)

# geometry, as fractions of the image side (bird centre jitters by at most _JITTER)
_CENTER = (0.45, 0.58)
_JITTER = 0.03
_BODY_R = (0.28, 0.18)
_WING = (-0.12, -0.02, 0.14, 0.08)  # dx, dy, rx, ry relative to the centre
_HEAD_AT = (0.22, -0.17, 0.11)  # dx, dy, r
_BODY_PROBE = (0.10, 0.04, 0.03)  # dx, dy, r: always inside the body, outside wing and head
_HEAD_PROBE = (0.22, -0.17, 0.035)
_WING_PROBE = (-0.12, -0.02, 0.025)


def species(name: str) -> Species:
    """The synthetic class called ``name`` (KeyError when unknown)."""
    return _BY_NAME[name]


def siblings(name: str) -> list[str]:
    """The other classes of ``name``'s group (visually similar, easily confused)."""
    g = _BY_NAME[name].group
    return [s.name for s in CLASSES if s.group == g and s.name != name]


def class_names(n_classes: int) -> list[str]:
    """The first ``n_classes`` class names of :data:`CLASSES` (group-major, so sibling groups
    stay whole when ``n_classes`` is a multiple of 4)."""
    if not 1 <= n_classes <= MAX_CLASSES:
        raise ValueError(f"n_classes must be between 1 and {MAX_CLASSES}, got {n_classes}")
    return [s.name for s in CLASSES[:n_classes]]


def _ellipse(draw: ImageDraw.ImageDraw, size: int, cx: float, cy: float, rx: float, ry: float,
             fill: tuple[int, ...]) -> None:
    draw.ellipse([(cx - rx) * size, (cy - ry) * size, (cx + rx) * size, (cy + ry) * size],
                 fill=fill)


def _background(rng: np.random.Generator, size: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A light two-tone gradient (sky / foliage) with pixel noise, and a drawer on it."""
    top = rng.uniform(150, 235, 3)
    bottom = rng.uniform(90, 200, 3) * np.array([0.8, 1.0, 0.8])
    t = np.linspace(0.0, 1.0, size, dtype=np.float32)[:, None, None]
    bg = top * (1 - t) + bottom * t + rng.normal(0, 10, (size, size, 3))
    img = Image.fromarray(np.clip(bg, 0, 255).astype(np.uint8), "RGB")
    return img, ImageDraw.Draw(img)


def render(sp: Species, rng: np.random.Generator, *, size: int = 64) -> Image.Image:
    """One RGB image (size x size) of class ``sp`` with per-image variation drawn from ``rng``."""
    img, draw = _background(rng, size)

    cx = _CENTER[0] + rng.uniform(-_JITTER, _JITTER)
    cy = _CENTER[1] + rng.uniform(-_JITTER, _JITTER)
    body = np.clip(np.array(sp.body, np.float32) + rng.uniform(-8, 8, 3), 0, 255)
    head = np.clip(np.array(sp.head, np.float32) + rng.uniform(-8, 8, 3), 0, 255)
    wing = (body * 0.6 if sp.wing is None
            else np.clip(np.array(sp.wing, np.float32) + rng.uniform(-8, 8, 3), 0, 255))
    col = lambda c: tuple(int(v) for v in c)  # noqa: E731

    # tail, body, wing, head, beak, eye
    draw.polygon([((cx - 0.24) * size, cy * size), ((cx - 0.42) * size, (cy - 0.08) * size),
                  ((cx - 0.40) * size, (cy + 0.06) * size)], fill=col(wing))
    _ellipse(draw, size, cx, cy, *_BODY_R, col(body))
    _ellipse(draw, size, cx + _WING[0], cy + _WING[1], _WING[2], _WING[3], col(wing))
    hx, hy = cx + _HEAD_AT[0], cy + _HEAD_AT[1]
    _ellipse(draw, size, hx, hy, _HEAD_AT[2], _HEAD_AT[2], col(head))
    beak = (235, 150, 20)
    draw.polygon([((hx + 0.10) * size, (hy - 0.03) * size), ((hx + 0.20) * size, hy * size),
                  ((hx + 0.10) * size, (hy + 0.03) * size)], fill=beak)
    _ellipse(draw, size, hx + 0.05, hy - 0.03, 0.018, 0.018, (10, 10, 10))
    # legs
    for dx in (-0.04, 0.04):
        draw.line([((cx + dx) * size, (cy + 0.17) * size), ((cx + dx) * size, (cy + 0.3) * size)],
                  fill=(60, 40, 20), width=max(1, size // 64))
    return img


def _probe(arr: np.ndarray, dx: float, dy: float, r: float) -> np.ndarray:
    h, w = arr.shape[:2]
    x0, x1 = int((_CENTER[0] + dx - r) * w), int(np.ceil((_CENTER[0] + dx + r) * w))
    y0, y1 = int((_CENTER[1] + dy - r) * h), int(np.ceil((_CENTER[1] + dy + r) * h))
    patch = arr[max(y0, 0) : max(y1, y0 + 1), max(x0, 0) : max(x1, x0 + 1)].reshape(-1, 3)
    return np.median(patch, axis=0)


def class_of_image(img: Image.Image) -> str:
    """The class name encoded in a synthetic image (after JPEG re-encoding or resizing too).

    An image that is not from :func:`make_dataset` still decodes to *some* class name. A wing
    nearer a :data:`WING_COLOURS` colour than the darker shade of the body marks a parametric
    species, whose colours are each the nearest of their palette.
    """
    arr = np.asarray(img.convert("RGB"), dtype=np.float32)
    body = _probe(arr, *_BODY_PROBE)
    head = _probe(arr, *_HEAD_PROBE)
    wing = _probe(arr, *_WING_PROBE)
    nearest = lambda palette, c: int(np.argmin(((palette - c) ** 2).sum(axis=1)))  # noqa: E731
    w = nearest(_WING_RGB, wing)
    if ((_WING_RGB[w] - wing) ** 2).sum() < ((body * 0.6 - wing) ** 2).sum():
        b, h = nearest(_BODY_RGB, body), nearest(_HEAD_RGB, head)
        return CLASSES[len(SPECIES) + (b * len(HEAD_COLOURS) + h) * len(WING_COLOURS) + w].name
    g = int(np.argmin(((_BODY - body) ** 2).sum(axis=1)))
    m = int(np.argmin(((_HEAD - head) ** 2).sum(axis=1)))
    return _GROUPS[g][m][0]


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "_", name).strip("_")


def make_dataset(
    out_dir: str | os.PathLike[str],
    *,
    n_classes: int,
    per_class: int,
    seed: int,
    size: int = 64,
) -> list[tuple[Path, str]]:
    """Write ``n_classes * per_class`` JPEG images and return ``[(path, class_name), ...]``.

    Layout (CUB-like): ``out_dir/NNN.Class_Name/Class_Name_IIII.jpg``. Deterministic for a
    seed: the same call writes byte-identical files. Classes are the first ``n_classes`` of
    :data:`CLASSES` (whole sibling groups of four first).
    """
    if per_class < 1:
        raise ValueError(f"per_class must be >= 1, got {per_class}")
    if size < 16:
        raise ValueError(f"size must be >= 16, got {size}")
    out = Path(out_dir)
    result: list[tuple[Path, str]] = []
    for ci, name in enumerate(class_names(n_classes)):
        sp = _BY_NAME[name]
        folder = out / f"{ci + 1:03d}.{_slug(name)}"
        folder.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng([seed, ci])
        for i in range(per_class):
            path = folder / f"{_slug(name)}_{i:04d}.jpg"
            render(sp, rng, size=size).save(path, "JPEG", quality=95, subsampling=0)
            result.append((path, name))
    return result


# -- a generated "world" for pretraining an encoder (disjoint from SPECIES) -----------------
WING_PATTERNS = ("plain", "striped", "spotted")
SIZES = {"small": 0.8, "": 1.0, "large": 1.15}
BEAKS = {"orange": (235, 150, 20), "black": (15, 15, 15), "grey": (150, 150, 150)}


@dataclass(frozen=True)
class WorldBird:
    """One bird of the pretraining world: an attribute combination and its caption."""

    body: str
    head: str
    wings: str
    size: str
    beak: str

    def caption(self) -> str:
        """``"a small bird with a red body, a white head, striped wings and a black beak"``."""
        size = f"{self.size} " if self.size else ""
        an = lambda word: f"an {word}" if word[0] in "aeiou" else f"a {word}"  # noqa: E731
        return (f"a {size}bird with {an(self.body)} body, {an(self.head)} head, "
                f"{self.wings} wings and {an(self.beak)} beak")


def _species_pairs() -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    return {(tuple(int(v) for v in _BODY[s.group]), tuple(int(v) for v in _HEAD[s.member]))
            for s in SPECIES}


def world_birds() -> list[WorldBird]:
    """Every attribute combination of the world whose (body, head) colours are NOT those of a
    :data:`SPECIES` class, so an encoder trained on the world never sees a demo class."""
    banned = _species_pairs()
    return [
        WorldBird(body, head, wings, size, beak)
        for body, b_rgb in BODY_COLOURS.items()
        for head, h_rgb in HEAD_COLOURS.items()
        if (b_rgb, h_rgb) not in banned
        for wings in WING_PATTERNS
        for size in SIZES
        for beak in BEAKS
    ]


def render_world(bird: WorldBird, rng: np.random.Generator, *, size: int = 64) -> Image.Image:
    """One RGB image of ``bird`` in the style of :func:`render` (same background, parts and
    colours) with more variation: position, scale, wing pattern and beak colour."""
    img, draw = _background(rng, size)

    k = SIZES[bird.size] * rng.uniform(0.95, 1.05)
    cx = _CENTER[0] + rng.uniform(-2 * _JITTER, 2 * _JITTER)
    cy = _CENTER[1] + rng.uniform(-2 * _JITTER, 2 * _JITTER)
    body = np.clip(np.array(BODY_COLOURS[bird.body]) + rng.uniform(-10, 10, 3), 0, 255)
    head = np.clip(np.array(HEAD_COLOURS[bird.head]) + rng.uniform(-10, 10, 3), 0, 255)
    wing = body * 0.6
    col = lambda c: tuple(int(v) for v in c)  # noqa: E731
    s = size

    draw.polygon([((cx - 0.24 * k) * s, cy * s), ((cx - 0.42 * k) * s, (cy - 0.08 * k) * s),
                  ((cx - 0.40 * k) * s, (cy + 0.06 * k) * s)], fill=col(wing))
    _ellipse(draw, s, cx, cy, _BODY_R[0] * k, _BODY_R[1] * k, col(body))
    wx, wy = cx + _WING[0] * k, cy + _WING[1] * k
    wrx, wry = _WING[2] * k, _WING[3] * k
    _ellipse(draw, s, wx, wy, wrx, wry, col(wing))
    mark = col(np.where(wing.mean() > 110, wing * 0.35, np.minimum(wing * 2.2 + 60, 255)))
    if bird.wings == "striped":
        for f in (-0.5, 0.0, 0.5):
            draw.line([((wx - wrx * 0.8) * s, (wy + f * wry) * s),
                       ((wx + wrx * 0.8) * s, (wy + f * wry) * s)], fill=mark, width=max(1, s // 32))
    elif bird.wings == "spotted":
        for fx, fy in ((-0.45, -0.2), (0.0, 0.3), (0.45, -0.2)):
            _ellipse(draw, s, wx + fx * wrx, wy + fy * wry, 0.025, 0.025, mark)
    hx, hy = cx + _HEAD_AT[0] * k, cy + _HEAD_AT[1] * k
    _ellipse(draw, s, hx, hy, _HEAD_AT[2] * k, _HEAD_AT[2] * k, col(head))
    draw.polygon([((hx + 0.10 * k) * s, (hy - 0.03 * k) * s), ((hx + 0.20 * k) * s, hy * s),
                  ((hx + 0.10 * k) * s, (hy + 0.03 * k) * s)], fill=BEAKS[bird.beak])
    _ellipse(draw, s, hx + 0.05 * k, hy - 0.03 * k, 0.018, 0.018, (10, 10, 10))
    for dx in (-0.04, 0.04):
        draw.line([((cx + dx * k) * s, (cy + 0.17 * k) * s), ((cx + dx * k) * s, (cy + 0.3 * k) * s)],
                  fill=(60, 40, 20), width=max(1, s // 64))
    return img
