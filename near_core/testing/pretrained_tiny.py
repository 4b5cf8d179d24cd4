"""A ``near-tiny`` CLIP whose image tower has seen synthetic birds: a stand-in for pretrained
CLIP in offline tests and benchmarks.

Random ``near-tiny`` weights carry no class information about the synthetic images of
:mod:`near_core.testing.synthetic` (neighbours agree at chance), so nothing measured on them
says how a pipeline stage does with a real pretrained CLIP, whose features do separate
species. :func:`pretrain_tiny` trains the image tower (and projection) with a linear
classifier on synthetic classes of *other* sibling groups than the ones a test uses
(``groups``), like CLIP's pretraining data is not the user's folder, and saves the whole model
as a local checkpoint for ``clip.pretrained``. Deterministic for a seed; seconds on a CPU.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from near_core.clip import TINY, load_clip, save_weights, seeded
from near_core.testing.synthetic import SPECIES, render


def pretrain_tiny(
    path: str | os.PathLike[str],
    *,
    groups: Sequence[int],
    per_class: int = 24,
    epochs: int = 12,
    seed: int = 0,
    size: int = 64,
) -> Path:
    """Train near-tiny's image tower on the synthetic classes of sibling ``groups`` (indices
    into the 16 groups) and save the model to ``path``. Returns ``path``."""
    classes = [s for s in SPECIES if s.group in set(groups)]
    if not classes:
        raise ValueError(f"no synthetic class in groups {list(groups)}")
    clip = load_clip(TINY, "", device="cpu", seed=seed)
    model = clip.model.train()
    images, targets = [], []
    for c, sp in enumerate(classes):
        rng = np.random.default_rng([seed, 1000 + c])
        for _ in range(per_class):
            images.append(clip.preprocess(render(sp, rng, size=size)))
            targets.append(c)
    x, y = torch.stack(images), torch.tensor(targets)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small ops: one thread is faster, and the result core-count free
    try:
        _fit(model, clip.embed_dim, len(classes), x, y, epochs=epochs, seed=seed)
    finally:
        torch.set_num_threads(threads)
    return save_weights(model.eval(), path)


def _fit(model: torch.nn.Module, dim: int, n_classes: int, x: torch.Tensor, y: torch.Tensor, *,
         epochs: int, seed: int) -> None:
    """Cross-entropy of a linear head on the normalised image features, AdamW, batches of 64."""
    with seeded(seed):
        head = torch.nn.Linear(dim, n_classes)
        params = [*model.visual.parameters(), *head.parameters()]
        opt = torch.optim.AdamW(params, lr=3e-3, weight_decay=0.01)
        gen = torch.Generator().manual_seed(seed)
        for _ in range(epochs):
            for idx in torch.randperm(len(x), generator=gen).split(64):
                feats = F.normalize(model.encode_image(x[idx]), dim=-1)
                loss = F.cross_entropy(head(feats) * 10.0, y[idx])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
