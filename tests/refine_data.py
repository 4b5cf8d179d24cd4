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
