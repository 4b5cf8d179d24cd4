"""Embedding worlds of known geometry for the regime tests and ``bench/regimes.py``.

A world is N images of 8 classes in 4 sibling pairs (``tufted puffin`` / ``horned puffin``,
...): Gaussian clusters around ``group + 0.6 * member`` directions plus a large shared
component (the narrow cone of an untuned tower), or, with ``informative=False``, points whose
cluster is drawn independently of their class (embeddings without class information). The
simulated MLLM is right with ``p_correct`` and otherwise names the sibling; ``fragmented``
answers use five spellings per class.

:func:`build_run` writes the run store as the stages would (images, embeddings under a CLIP
model id, answers of a seeded sample) and runs the real refine stage, so that
:func:`near_core.train.train` trains on it in head mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from near_core.clip import Clip
from near_core.config import NearConfig
from near_core.embed import embedding_table, remember_clip
from near_core.refine import refine_run
from near_core.store import RunStore

CLASSES = [f"{kind} {bird}" for bird in ("puffin", "gull", "tern", "wren")
           for kind in ("tufted", "horned")]


def sibling(name: str) -> str:
    """The other class of ``name``'s pair."""
    kind, bird = name.split(" ")
    return f"{'horned' if kind == 'tufted' else 'tufted'} {bird}"


def cluster_world(n: int, *, seed: int, informative: bool = True, two_looks: bool = False,
                  dim: int = 64) -> tuple[list[str], np.ndarray]:
    """``(truth (n,), features (n, dim) float32, L2-normalised like CLIP embeddings)``;
    classes cycle through :data:`CLASSES`. ``two_looks``: each class is two clusters on
    opposite sides of its mean, farther apart than the class is from its sibling (images that
    look two ways, such as male and female plumage), each image in one of them at random:
    the class mean sits between clusters, where no image is."""
    rng = np.random.default_rng(seed)
    truth = [CLASSES[i % len(CLASSES)] for i in range(n)]
    group = rng.normal(size=(4, dim))
    member = rng.normal(size=(len(CLASSES), dim))
    shared = rng.normal(size=dim) * 3
    means = np.stack([group[c // 2] + 0.6 * member[c] for c in range(len(CLASSES))])
    idx = np.array([CLASSES.index(t) for t in truth])
    if not informative:
        idx = rng.integers(0, len(CLASSES), size=n)
    means = means[idx]
    if two_looks:
        looks = rng.normal(size=(len(CLASSES), dim))
        means = means + 1.5 * rng.choice([-1.0, 1.0], size=(n, 1)) * looks[idx]
    x = shared + means + rng.normal(size=(n, dim)) * 0.35
    return truth, (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def mllm_answer(true: str, rng: np.random.Generator, *, p_correct: float = 0.8,
                fragmented: bool = False) -> str:
    """One simulated answer for an image of class ``true``."""
    name = true if rng.random() < p_correct else sibling(true)
    if not fragmented:
        return name
    kind, bird = name.split(" ")
    return str(rng.choice([name, name.title(), f"{bird}, {kind}", f"{name} bird", f"a {name}"]))


def sample_answers(truth: list[str], *, named: float, seed: int, p_correct: float = 0.8,
                   fragmented: bool = False) -> dict[int, str]:
    """The simulated MLLM's answers for a seeded sample of a share ``named`` of the images
    (at least 2): ``{index: answer}``, indices ascending."""
    rng = np.random.default_rng(seed + 1)
    n = len(truth)
    pick = sorted(rng.choice(n, size=max(2, round(named * n)), replace=False).tolist())
    return {i: mllm_answer(truth[i], rng, p_correct=p_correct, fragmented=fragmented)
            for i in pick}


@dataclass
class WorldRun:
    """A built run: ``ids``/``truth``/``features`` of every image, ``named`` the indices
    the MLLM answered, ``answers[i]`` its answer for image ``ids[i]``; ``test_truth`` /
    ``test_features`` (T, D) images of the same world kept out of the run."""

    store: RunStore
    ids: list[str]
    truth: list[str]
    features: np.ndarray
    named: list[int]
    answers: dict[int, str]
    test_truth: list[str]
    test_features: np.ndarray

    @property
    def unseen(self) -> list[int]:
        """Indices never sent to the MLLM (all of them when every image was named)."""
        seen = set(self.named)
        return [i for i in range(len(self.ids)) if i not in seen] or list(range(len(self.ids)))


def build_run(root: Path, clip: Clip, cfg: NearConfig, *, n: int, named: float, seed: int = 0,
              informative: bool = True, fragmented: bool = False, two_looks: bool = False,
              p_correct: float = 0.8, test: int = 0) -> WorldRun:
    """Write a run of ``n`` images of :func:`cluster_world` under ``clip``'s model id and
    refine it; ``test`` more images of the world are returned, not written."""
    store = RunStore(root)
    truth_all, x_all = cluster_world(n + test, seed=seed, informative=informative,
                                     two_looks=two_looks, dim=clip.embed_dim)
    truth, x = truth_all[:n], x_all[:n]
    ids = [f"img{i:06d}" for i in range(n)]
    store.append("images", [{"image_id": i, "path": f"/nowhere/{i}.png", "paths": [],
                             "status": "ok"} for i in ids])
    store.append("embeddings", embedding_table(ids, clip.model_id, x))
    remember_clip(store, clip)
    answers = sample_answers(truth, named=named, seed=seed, p_correct=p_correct,
                             fragmented=fragmented)
    pick = list(answers)
    store.append("answers", [
        {"image_id": ids[i], "model": "sim", "prompt_version": "v", "params_hash": "h",
         "sample_idx": 0, "status": "ok", "label": a, "candidates": [a]}
        for i, a in answers.items()])
    refine_run(store, config=cfg)
    return WorldRun(store, ids, truth, x, pick, answers, truth_all[n:], x_all[n:])
