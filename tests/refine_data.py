"""Synthetic labelled embeddings for the refine tests (no model, no download)."""

from __future__ import annotations

import numpy as np

from near_core.knn import normalize


def sibling_classes(
    *, per_class: int = 40, flip: float = 0.3, sigma: float = 0.35, dim: int = 16, seed: int = 0
) -> tuple[list[list[str]], np.ndarray, list[str]]:
    """3 classes: 'Tufted Puffin' and its close sibling 'Horned Puffin', plus 'Common Loon'.

    Embeddings = normalize(class centre + sigma * noise); the two puffins' centres have
    cosine 0.6. Exactly ``flip`` of each class's labels are flipped to its sibling class
    (puffins to each other, the loon to 'Pacific Loon', a name of no image).

    Returns ``(answers, embeddings (N, dim), truth)``.
    """
    rng = np.random.default_rng(seed)
    e = np.eye(dim, dtype=np.float32)
    centres = {
        "Tufted Puffin": e[0],
        "Horned Puffin": normalize((0.6 * e[0] + 0.8 * e[1])[None])[0],
        "Common Loon": e[2],
    }
    sibling = {"Tufted Puffin": "Horned Puffin", "Horned Puffin": "Tufted Puffin",
               "Common Loon": "Pacific Loon"}
    answers, truth, rows = [], [], []
    for name, centre in centres.items():
        flipped = set(rng.choice(per_class, int(round(flip * per_class)), replace=False).tolist())
        for j in range(per_class):
            answers.append([sibling[name] if j in flipped else name])
            truth.append(name)
            rows.append(centre + sigma / np.sqrt(dim) * rng.standard_normal(dim))
    return answers, normalize(np.asarray(rows, dtype=np.float32)), truth


def _centres(count: int, dim: int, rng: np.random.Generator, *, sibling_cos: float
             ) -> np.ndarray:
    """``count`` unit centres in sibling pairs (2j, 2j+1) with cosine ``sibling_cos``;
    pairs are random (near-orthogonal) directions."""
    out = []
    for _ in range(count // 2):
        a, b = normalize(rng.standard_normal((2, dim)).astype(np.float32))
        b = normalize((b - (a @ b) * a)[None])[0]
        out += [a, sibling_cos * a + np.sqrt(1 - sibling_cos**2) * b]
    return np.asarray(out, dtype=np.float32)


POOL_NAMES = ["red", "crimson", "blue", "navy", "green", "olive", "yellow", "gold"]


def large_pool(
    *, n: int = 4000, named: int = 100, right: float = 0.8, sigma: float = 0.15,
    dim: int = 32, cone: float = 0.0, seed: int = 0
) -> tuple[list[list[str]], np.ndarray, list[str]]:
    """Issue 10's regime: ``n`` images of 8 classes in sibling pairs (centre cosine 0.8),
    only ``named`` of them answered: right with probability ``right``, else the sibling's
    name. ``cone`` > 0 adds a shared direction of that norm to every embedding (the narrow
    cone of a real or untuned CLIP tower: all cosines high, differences small).
    Returns ``(answers, embeddings (n, dim), truth)``; unanswered images have []."""
    rng = np.random.default_rng(seed)
    centres = _centres(8, dim, rng, sibling_cos=0.8)
    cls = np.arange(n) % 8
    shared = cone * normalize(rng.standard_normal((1, dim)).astype(np.float32))
    x = normalize(shared + centres[cls] + sigma / np.sqrt(dim) * rng.standard_normal((n, dim)))
    asked = set(rng.choice(n, named, replace=False).tolist())
    answers = [
        ([POOL_NAMES[c] if rng.random() < right else POOL_NAMES[c ^ 1]] if i in asked else [])
        for i, c in enumerate(cls)
    ]
    return answers, x.astype(np.float32), [POOL_NAMES[c] for c in cls]


def compound_names(
    *, per_class: int = 6, sigma: float = 0.3, dim: int = 32, seed: int = 0
) -> tuple[list[list[str]], np.ndarray, list[str]]:
    """Fragmented make / model / body / year names: 8 car classes (two of them the same
    model in two years, far apart in the embedding), each answer the true name with its year
    drifted by up to 2 or left out and its body word dropped at times; 20% name the sibling
    class (the other model of the same make) instead. Nearly every answer is a distinct
    string. Returns ``(answers, embeddings, truth)``."""
    rng = np.random.default_rng(seed)
    classes = [("Audi", "S4", "Sedan", 2007), ("Audi", "S4", "Sedan", 2012),
               ("Toyota", "Corolla", "Sedan", 2012), ("Toyota", "Camry", "Sedan", 2012),
               ("Ford", "Mustang", "Convertible", 2007), ("Ford", "Focus", "Sedan", 2007),
               ("Honda", "Odyssey", "Minivan", 2012), ("Honda", "Accord", "Coupe", 2012)]
    centres = _centres(len(classes), dim, rng, sibling_cos=0.6)
    answers, rows, truth = [], [], []
    for c, (make, model, body, year) in enumerate(classes):
        for _ in range(per_class):
            mk, md, bd, yr = classes[c ^ 1] if rng.random() < 0.2 else (make, model, body, year)
            words = [mk, md, bd if rng.random() < 0.7 else "",
                     "" if rng.random() < 0.2 else str(yr + int(rng.integers(-2, 3)))]
            answers.append([" ".join(w for w in words if w)])
            rows.append(centres[c] + sigma / np.sqrt(dim) * rng.standard_normal(dim))
            truth.append(f"{make} {model} {body} {year}")
    return answers, normalize(np.asarray(rows, dtype=np.float32)), truth


def many_siblings(
    *, groups: int = 100, per_class: int = 5, right: float = 0.8, signal: float = 0.3,
    dim: int = 32, seed: int = 0, offset: float = 0.1
) -> tuple[list[list[str]], np.ndarray, list[str]]:
    """Many classes of a few answered images each, in sibling groups of 4 that are nearly
    the same point of the embedding space (the 1,000-class synthetic birds under a random
    tower): ``4 * groups`` classes, ``per_class`` images each; embedding = normalize(
    ``signal`` * group centre + ``offset`` * ``signal`` * class offset + unit noise): at the
    default ``offset`` 0.1 a weak class signal, at 1.0 siblings as far apart as groups
    (separable by the geometry); each answer right with probability ``right``, else a
    sibling's name.
    Returns ``(answers, embeddings (N, dim), truth)``."""
    rng = np.random.default_rng(seed)
    group = normalize(rng.standard_normal((groups, dim)).astype(np.float32))
    offsets = normalize(rng.standard_normal((4 * groups, dim)).astype(np.float32))
    cls = np.repeat(np.arange(4 * groups), per_class)
    centre = signal * (group[cls // 4] + offset * offsets[cls])
    x = normalize(centre + rng.standard_normal((len(cls), dim)) / np.sqrt(dim))
    names = [f"bird {g} {s}" for g in range(groups) for s in "abcd"]
    answers = []
    for c in cls:
        wrong = (c // 4) * 4 + (c % 4 + rng.integers(1, 4)) % 4
        answers.append([names[c] if rng.random() < right else names[wrong]])
    return answers, x.astype(np.float32), [names[c] for c in cls]
