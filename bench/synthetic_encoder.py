"""Geometry of the shipped ``near-tiny`` ``synthetic`` weights vs seeded random weights.

    OMP_NUM_THREADS=1 python bench/synthetic_encoder.py [--per-class 32]

On images of SPECIES classes (none of them in the pretraining world): kNN@10 purity and a
linear probe (logistic regression, train on half of each class, accuracy on the other half),
for the demo's 8 classes and for all 64. Prints a markdown table with the ratio to random.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from near_core.clip import SYNTHETIC, TINY, load_clip
from near_core.pretrain_synthetic import knn_purity, species_batch


@torch.no_grad()
def linear_probe(model, x: torch.Tensor, y: np.ndarray) -> float:
    """Accuracy of a logistic regression on the normalised features, even/odd split."""
    f = torch.nn.functional.normalize(model.encode_image(x.float()), dim=-1).numpy()
    train = np.arange(len(y)) % 2 == 0
    clf = LogisticRegression(max_iter=2000, C=10.0).fit(f[train], y[train])
    return float((clf.predict(f[~train]) == y[~train]).mean())


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--per-class", type=int, default=32)
    args = p.parse_args()
    torch.set_num_threads(1)
    models = {"synthetic": load_clip(TINY, SYNTHETIC, device="cpu"),
              "random (seed 0)": load_clip(TINY, "", device="cpu", seed=0)}
    print("| classes | weights | kNN@10 purity | linear probe acc |")
    print("| --- | --- | --- | --- |")
    for n in (8, 64):
        t0 = time.perf_counter()
        x, y = species_batch(models["synthetic"], n_classes=n, per_class=args.per_class, seed=1)
        rows = {name: (knn_purity(c.model, x, y), linear_probe(c.model, x, y))
                for name, c in models.items()}
        for name, (purity, probe) in rows.items():
            print(f"| {n} | {name} | {purity:.3f} | {probe:.3f} |")
        (sp, sl), (rp, rl) = rows["synthetic"], rows["random (seed 0)"]
        print(f"| {n} | ratio synthetic / random | {sp / rp:.2f}x | {sl / rl:.2f}x |"
              f"  <!-- {time.perf_counter() - t0:.0f}s -->")


if __name__ == "__main__":
    main()
