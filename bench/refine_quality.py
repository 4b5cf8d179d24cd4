"""NeaR label quality on real MLLM answers with synthetic embeddings of class geometry.

For each image of birds_qwen.json / dogs_qwen.json (real Qwen2.5-VL answers, 3 images per
class): embedding = normalize(E(true name) + sigma * noise), E the offline MiniLM text encoder,
so similar classes lie close as CLIP image embeddings do. Labels are the real parsed answers.
The text encoder handed to ``refine_labels`` is E with its own fixed per-name noise.

A third dataset, "singletons", re-labels the birds file so that the raw vocabulary holds
about 2.5 names per true class (spelling-level variants of a name that canonicalisation does
not merge, as MLLMs give on car models), with more images per class: there an image's own
label must yield to its neighbours'.

"random geometry" rows (birds, dogs) keep the real answers but replace the embeddings and
the text encoder by pure noise (no class information): NeaR must then keep the raw labels'
accuracy, not lose it to random neighbours.

Reports cACC / sACC / vocabulary size of: raw MLLM labels, majority vote (image + 3 NN),
plain CE on raw labels, NeaR, and clustering only (agglomerative, cosine, average linkage,
told the class count). Usage::

    python bench/refine_quality.py                 # full table (a few minutes on 2 cores)
    python bench/refine_quality.py --sigmas 0.08 --datasets birds --k 10
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from near_core.baselines import ce_on_raw, majority_vote, raw_top_label  # noqa: E402
from near_core.knn import normalize  # noqa: E402
from near_core.near import refine_labels  # noqa: E402

DATA_DIRS = [REPO / "tests" / "data" / "mllm_answers", REPO.parent / "shared" / "data" / "mllm_answers"]


def answers_file(name: str) -> Path:
    for d in DATA_DIRS:
        p = d / f"{name}_qwen.json"
        if p.exists():
            return p
    raise SystemExit(f"{name}_qwen.json not found in {[str(d) for d in DATA_DIRS]}")


def parse(entry: dict) -> list[str]:
    """The parsed label of one answer (the project's parser when it is there)."""
    try:
        from near_core.mllm.parse import parse_answer
    except ImportError:
        name = entry.get("guessed_classnames", {}).get("1")
        return [name] if name else []
    names = parse_answer(entry["model_main_response"])
    return names[:1]


def load(name: str) -> tuple[list[list[str]], list[str]]:
    data = json.loads(answers_file(name).read_text())
    answers, truth = [], []
    for key in sorted(data):
        folder = key.split("/")[0]
        truth.append(folder.split(".", 1)[1].replace("_", " "))
        answers.append(parse(data[key]))
    return answers, truth


_VARIANTS = ["{}", "{} adult", "{} juvenile", "{} (male)", "{} female", "common {}"]


def singletons(seed: int = 0, classes: int = 60, per_class: int = 8) -> tuple[list, list]:
    """Synthetic 'mostly singletons' data: bird classes, 8 images each, ~2.5 names per class.

    Each image's label is a wording variant of its true name (70%) or of a sibling class's
    name (30%, the nearest class name by E), variants drawn so that the raw vocabulary has
    about 2.5 names per true class.
    """
    _, truth = load("birds")
    rng = np.random.default_rng(seed)
    names = sorted(set(truth))
    picked = [names[i] for i in sorted(rng.choice(len(names), classes, replace=False))]
    enc = encoder()
    emb = enc(picked)
    sim = emb @ emb.T
    np.fill_diagonal(sim, -1)
    sibling = {c: picked[int(np.argmax(sim[i]))] for i, c in enumerate(picked)}
    answers, true = [], []
    for c in picked:
        for _ in range(per_class):
            base = c if rng.random() < 0.7 else sibling[c]
            variant = _VARIANTS[int(rng.integers(0, 3))]
            answers.append([variant.format(base)])
            true.append(c)
    return answers, true


_ENCODER = None


def encoder():
    global _ENCODER
    if _ENCODER is None:
        from near_core.metrics import minilm_encoder

        base = minilm_encoder("cpu")
        cache: dict[str, np.ndarray] = {}

        def enc(names: list[str]) -> np.ndarray:
            missing = [n for n in dict.fromkeys(names) if n not in cache]
            if missing:
                for n, v in zip(missing, base(missing), strict=True):
                    cache[n] = v
            return np.stack([cache[n] for n in names]).astype(np.float32)

        _ENCODER = enc
    return _ENCODER


def _name_noise(name: str, dim: int, seed: int) -> np.ndarray:
    h = int(hashlib.sha256(f"{seed}:{name}".encode()).hexdigest()[:12], 16)
    return np.random.default_rng(h).standard_normal(dim).astype(np.float32)


def make_embeddings(truth: list[str], sigma: float | None, seed: int = 0):
    """Image embeddings ``(N, D)`` and the matching text encoder; ``sigma=None``: random
    geometry (both pure noise of E's dimension, no class information)."""
    enc = encoder()
    base = enc(truth)
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(base.shape).astype(np.float32)
    x = normalize(noise if sigma is None else base + sigma * noise)

    def text_encoder(names: list[str]) -> np.ndarray:
        noise = np.stack([_name_noise(n, base.shape[1], seed + 1) for n in names])
        return normalize(noise if sigma is None else enc(list(names)) + sigma * noise)

    return x, text_encoder


def purity_1nn(x: np.ndarray, truth: list[str]) -> float:
    from near_core.knn import knn

    idx = knn(x, 1).indices[:, 0]
    t = np.asarray(truth)
    return float(np.mean(t[idx] == t))


def clustering(x: np.ndarray, truth: list[str]) -> list[int]:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=len(set(truth)), metric="cosine", linkage="average"
    )
    return model.fit_predict(x).tolist()


def score(pred: list, truth: list[str], *, names: bool = True) -> dict:
    from near_core.metrics import cacc, sacc

    out = {"cacc": cacc(pred, truth), "vocab": len({p for p in pred if p is not None})}
    out["sacc"] = sacc(pred, truth, encoder=encoder()) if names else float("nan")
    return out


def run(dataset: str, sigma: float | None, ks: list[int], seed: int, options: dict) -> list[dict]:
    answers, truth = singletons(seed) if dataset == "singletons" else load(dataset)
    x, text_encoder = make_embeddings(truth, sigma, seed)
    rows = []
    base = {"dataset": dataset, "sigma": sigma, "purity": purity_1nn(x, truth),
            "classes": len(set(truth)), "raw_vocab": None}
    raw = raw_top_label(answers)
    base["raw_vocab"] = len({r for r in raw if r is not None})
    rows.append(base | {"method": "raw", "k": None} | score(raw, truth))
    rows.append(base | {"method": "majority(1+3NN)", "k": 3} | score(majority_vote(answers, x, k=3), truth))
    rows.append(base | {"method": "CE on raw", "k": None} | score(ce_on_raw(answers, x, text_encoder=text_encoder), truth))
    rows.append(base | {"method": "clustering (told C)", "k": None} | score(clustering(x, truth), truth, names=False))
    for k in ks:
        t0 = time.perf_counter()
        res = refine_labels(answers, x, text_encoder=text_encoder, **({"k": k} | options))
        row = base | {"method": "NeaR", "k": k} | score(res.labels, truth)
        row |= {"agreement": round(res.agreement, 3), "trust": round(res.trust, 2)}
        row["seconds"] = round(time.perf_counter() - t0, 2)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", nargs="+", default=["birds", "dogs", "singletons"])
    ap.add_argument("--sigmas", nargs="+", type=float, default=[0.06, 0.08, 0.10])
    ap.add_argument("--k", nargs="+", type=int, default=None,
                    help="K values for NeaR (default: the default K, plus a sweep at sigma 0.08)")
    ap.add_argument("--random-geometry", nargs="*", default=["birds", "dogs"],
                    metavar="DATASET", help="datasets also run with pure-noise embeddings")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", nargs="*", default=[], metavar="OPTION=VALUE",
                    help="extra refine_labels options, e.g. own_weight=0.3")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = ap.parse_args(argv)
    from near_core.near import RefineOptions

    options = {}
    for item in args.set:
        key, _, value = item.partition("=")
        options[key] = type(getattr(RefineOptions(), key))(value)
    all_rows = []
    print("| dataset | sigma | 1-NN purity | method | K | cACC | sACC | vocab (true) "
          "| agreement / trust |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    runs = [(d, s) for d in args.datasets for s in args.sigmas]
    runs += [(d, None) for d in args.random_geometry]
    for dataset, sigma in runs:
        ks = args.k or ([5, 10, 20] if sigma == 0.08 else [RefineOptions().k])
        rows = run(dataset, sigma, ks, args.seed, options)
        all_rows += rows
        for r in rows:
            trust = f"{r['agreement']:.3f} / {r['trust']:.2f}" if "trust" in r else "-"
            print(
                f"| {r['dataset']} | {'random' if sigma is None else format(sigma, '.2f')} | "
                f"{r['purity']:.2f} | {r['method']} | "
                f"{r['k'] if r['k'] is not None else '-'} | {r['cacc']:.3f} | "
                f"{'-' if r['sacc'] != r['sacc'] else format(r['sacc'], '.3f')} | "
                f"{r['vocab']} ({r['classes']}) | {trust} |",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(all_rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
