"""Refinement with many sibling classes and few named images per class (issue 9/10 family).

The regime of ``bench/scale_runs.py --images 100000 --budget 5000 --classes 1000`` without the
pipeline: generated bird images (:mod:`near_core.testing.synthetic`, groups of 4 siblings that
differ only in the wing colour) of ``--classes`` classes, ``--per-class`` named images each,
embedded by the random-weight near-tiny CLIP (the real embed code); the simulated MLLM of
scale_runs (right with 0.8, else a sibling's name); then
:func:`near_core.near.refine_labels` with the random text tower, as the refine stage calls it.
Prints the agreement with the truth of the raw answers and the refined labels, the trust
statistics and the support cap, and the same for option ablations (``--ablate``), plus what
the changed answers became (sibling / other group).

    OMP_NUM_THREADS=1 python bench/many_classes.py [--classes 400] [--per-class 5] [--ablate]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import connected_components

from near_core.clip import TINY, load_clip, text_encoder
from near_core.config import NearConfig
from near_core.embed import embed_images
from near_core.near import default_support_cap, refine_labels
from near_core.testing.synthetic import make_dataset, siblings
from near_core.vocabulary import name_variants

ABLATIONS: dict[str, dict[str, object]] = {
    "defaults": {},
    "support_power=0": {"support_power": 0.0},
    "text_k=0": {"text_k": 0},
    "no text": {"_no_text": True},
    "k=1": {"k": 1},
    "own_weight=0.9": {"own_weight": 0.9},
    "smooth_k=0": {"smooth_k": 0},
    "evidence_power=2": {"evidence_power": 2.0},
}


def world(classes: int, per_class: int, *, named: int | None = None, seed: int = 7,
          p_correct: float = 0.8) -> tuple[list[list[str]], np.ndarray, list[str], object]:
    """``(answers, embeddings (N, D), truth, text encoder)`` of the generated images;
    ``named`` of them (default all, a seeded sample) answered, the others ``[]``."""
    clip = load_clip(TINY, "", device="cpu", seed=NearConfig().seed)
    with tempfile.TemporaryDirectory() as tmp:
        items = make_dataset(Path(tmp), n_classes=classes, per_class=per_class, seed=seed)
        x = np.concatenate([b.vectors for b in embed_images(
            clip, [(str(p), str(p)) for p, _ in items], batch_size=256)])
    truth = [c for _, c in items]
    rng = np.random.default_rng(seed)
    asked = set(rng.permutation(len(truth))[: named or len(truth)].tolist())
    answers = [([t if rng.random() < p_correct else str(rng.choice(siblings(t)))]
                if i in asked else []) for i, t in enumerate(truth)]
    return answers, x, truth, text_encoder(clip, NearConfig().clip.templates)


def report(name: str, answers: list[list[str]], x: np.ndarray, truth: list[str], encode,
           options: dict[str, object]) -> None:
    opts = dict(options)
    use_text = not opts.pop("_no_text", False)
    t0 = time.perf_counter()
    res = refine_labels(answers, x, text_encoder=encode if use_text else None, **opts)
    rows = [i for i, a in enumerate(answers) if a]
    raw = np.array([answers[i][0] for i in rows])
    ref = np.array([res.labels[i] for i in rows])
    tru = np.array([truth[i] for i in rows])
    changed = raw != ref
    fixed = changed & (ref == tru)
    broken = changed & (raw == tru)
    sib = sum(r in siblings(t) for r, t, c in zip(ref, tru, changed, strict=True)
              if c and r != t)
    variants = name_variants(res.vocabulary.keys)
    groups = connected_components(variants, directed=False)[0]
    cap = default_support_cap(len(rows), groups, floor=res.options.support_cap_min)
    print(f"{name:18s} raw {np.mean(raw == tru):.3f} refined {np.mean(ref == tru):.3f} "
          f"changed {changed.mean():.3f} (fixed {fixed.sum()}, broke {broken.sum()}, "
          f"wrong->sibling {sib}) agreement {res.agreement:.3f} trust {res.trust:.3f} "
          f"text_trust {res.text_trust:.3f} cap {cap:.2f} names {len(res.vocabulary)} "
          f"final {len(res.final_label_ids)} [{time.perf_counter() - t0:.1f}s]")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--classes", type=int, default=400)
    ap.add_argument("--per-class", type=int, default=5)
    ap.add_argument("--named", type=int, help="answered images (default all)")
    ap.add_argument("--ablate", action="store_true")
    ap.add_argument("--cache", type=Path, help="also save the world here (npz)")
    ap.add_argument("--set", dest="sets", action="append", default=[],
                    help="refine option NAME=VALUE (python literal) for every row")
    args = ap.parse_args(argv)
    base = {k: eval(v) for k, v in (s.split("=", 1) for s in args.sets)}  # noqa: S307
    t0 = time.perf_counter()
    answers, x, truth, encode = world(args.classes, args.per_class, named=args.named)
    if args.cache:
        np.savez(args.cache, x=x, truth=np.array(truth),
                 answers=np.array([a[0] if a else "" for a in answers]))
    print(f"{args.classes} classes x {args.per_class} images, {args.named or 'all'} named, random near-tiny "
          f"({time.perf_counter() - t0:.0f}s to make and embed)")
    for name, opts in (ABLATIONS if args.ablate else {"defaults": {}}).items():
        report(name, answers, x, truth, encode, base | opts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
