"""Training samples from the run store: the MLLM-named images, their targets and the
held-out validation slice.

Only images the MLLM named train (the images whose label the run paid for); every other
image is labeled by the trained classifier at relabel time. A seeded slice of them
(``train.validation_fraction``) is held out of training and scores every stage against the
MLLM's own label (:mod:`near_core.train.validation`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from near_core.config import NearConfig
from near_core.ingest import run_items
from near_core.store import RunStore
from near_core.train.checkpoint import TrainError
from near_core.vocabulary import Vocabulary, canonical_key


@dataclass
class TrainData:
    """The named images: ``n_train`` training images first, then ``n_val`` held-out ones.

    ``image_ids``/``paths`` have N = n_train + n_val entries; ``names``/``label_ids`` C
    entries (the vocabulary, in column order). ``answers`` / ``refine`` (n_train, C) float32,
    rows summing to 1: the image's own MLLM answers, and refine's candidate weights pulled
    towards refine's label by its confidence (``(1 - c) * w_i + c * onehot``; the answers
    where refine has nothing). ``raw`` (N,) long: the MLLM's own label column of each image;
    ``refined`` (N,) long: refine's label column (-1: none).
    """

    image_ids: list[str]
    paths: list[str]
    names: list[str]
    label_ids: list[int]
    answers: Tensor
    refine: Tensor
    raw: Tensor
    refined: Tensor
    n_train: int
    seed: int

    @property
    def n_val(self) -> int:
        return len(self.image_ids) - self.n_train

    def targets(self, raw_weight: float) -> Tensor:
        """(n_train, C) training targets ``raw_weight * answers + (1 - raw_weight) * refine``:
        the MLLM's word keeps its share whatever refinement did; the candidate set S_i (the
        non-zero entries) is the union of both, within which the NeaR objective re-weights."""
        return raw_weight * self.answers + (1.0 - raw_weight) * self.refine


def validation_size(named: int, *, fraction: float, minimum: int) -> int:
    """Held-out images among ``named``: ``round(fraction * named)``, at least ``minimum``,
    never more than half (0 when ``fraction`` is 0 or fewer than 2 images are named)."""
    if fraction <= 0 or named < 2:
        return 0
    return int(min(max(round(fraction * named), minimum), named // 2))


#: named images of a name that always stay in training: the slice never takes a name away
HELD_OUT_KEEP = 2


def held_out_ids(store: RunStore, cfg: NearConfig, *,
                 named: list[str] | None = None) -> set[str]:
    """The validation slice: a seeded sample (``train.seed``) of the named images -- those
    with an ok MLLM answer (``named`` when given) -- of :func:`validation_size`. An image is
    held out only while its top answer's name keeps at least :data:`HELD_OUT_KEEP` other named
    images in training, so the slice never removes a name the MLLM gave from training (a name
    the MLLM gave to one or two images stays whole). The refine stage leaves the slice's
    answers out too, so that no stage has seen them."""
    from near_core.refine import run_answers

    top: dict[str, str] = {}
    if named is None:
        if not store.exists("answers"):
            return set()
        answers = run_answers(store)
        named = list(answers)
        strip = cfg.refine.strip_words
        top = {iid: canonical_key(Counter(labels).most_common(1)[0][0], strip_words=strip)
               for iid, labels in answers.items()}
    named = sorted(named)
    n_val = validation_size(len(named), fraction=cfg.train.validation_fraction,
                            minimum=cfg.train.validation_min)
    order = np.random.default_rng(cfg.train.seed).permutation(len(named))
    left = Counter(top.values())
    held: set[str] = set()
    for i in order.tolist():
        if len(held) == n_val:
            break
        key = top.get(named[i])
        if key is not None:
            if left[key] - 1 < HELD_OUT_KEEP:
                continue
            left[key] -= 1
        held.add(named[i])
    return held


def _raw_distributions(store: RunStore, cfg: NearConfig, vocab_table,
                       column: dict[int, int]) -> dict[str, np.ndarray]:
    """image_id -> (C,) distribution of the image's own MLLM answers over the vocabulary."""
    from near_core.refine import run_answers

    if not store.exists("answers"):
        return {}
    vocab = Vocabulary.from_table(vocab_table, strip_words=cfg.refine.strip_words)
    out = {}
    for iid, labels in run_answers(store).items():
        ids = Counter(vocab.id_of(lab) for lab in labels)
        ids.pop(None, None)
        if ids:
            row = np.zeros(len(column), dtype=np.float32)
            for lid, n in ids.items():
                row[column[lid]] = n
            out[iid] = row / row.sum()
    return out


def load_train_data(store: RunStore, cfg: NearConfig) -> TrainData:
    """The named images, their answers and refine's targets (see :class:`TrainData`).

    Runs without an answers table (candidate sets written directly) treat every image with a
    candidate set as named, its candidate weights as the MLLM's answers.
    """
    vocab = store.read("vocabulary")
    cands = store.read("candidates")
    if vocab.num_rows == 0 or cands.num_rows == 0:
        raise TrainError(
            f"run {store.root} has no vocabulary/candidates tables: run `near refine` first"
        )
    vocab = vocab.sort_by("label_id")
    label_ids = [int(i) for i in vocab["label_id"].to_pylist()]
    column = {lid: c for c, lid in enumerate(label_ids)}
    n_cls = len(label_ids)
    refined = {
        r["image_id"]: (column.get(r["label_id"], -1), r["confidence"])
        for r in store.read("labels", columns=["image_id", "label_id", "confidence"]).to_pylist()
        if r["label_id"] is not None
    }
    raw_of = _raw_distributions(store, cfg, vocab, column)
    path_of = dict(run_items(store, cands["image_id"].to_pylist()))  # the named images only
    ids, answers, rows, raws = [], [], [], []
    for iid, lids, ws in zip(cands["image_id"].to_pylist(), cands["label_ids"].to_pylist(),
                             cands["weights"].to_pylist(), strict=True):
        if iid not in path_of:
            continue
        row = np.zeros(n_cls, dtype=np.float32)
        for lid, w in zip(lids or [], ws or [1.0] * len(lids or []), strict=True):
            if lid not in column:
                raise TrainError(f"candidates of image {iid} name unknown label_id {lid}")
            row[column[lid]] += max(float(w), 0.0)
        if row.sum() > 0:
            row /= row.sum()
        q = raw_of.get(iid) if raw_of else (row if row.sum() > 0 else None)
        if q is None:
            continue  # not named by the MLLM: labeled by the classifier at relabel time
        col, conf = refined.get(iid, (-1, 0.0))
        if col >= 0:
            c = 1.0 if row.sum() == 0 else min(max(float(conf or 0.0), 0.0), 1.0)
            row *= 1.0 - c
            row[col] += c
        ids.append(iid)
        answers.append(q)
        rows.append(row / row.sum() if row.sum() > 0 else q)
        raws.append(int(np.argmax(q)))
    if not ids:
        raise TrainError(f"run {store.root}: no ok image named by the MLLM has a candidate set")
    seed = cfg.train.seed
    held = held_out_ids(store, cfg) if raw_of else held_out_ids(store, cfg, named=ids)
    val = {k for k, iid in enumerate(ids) if iid in held}
    if len(val) >= len(ids):
        val = set()
    n_val = len(val)
    keep = [i for i in range(len(ids)) if i not in val] + sorted(val)
    ordered = [ids[i] for i in keep]
    return TrainData(
        image_ids=ordered,
        paths=[path_of[i] for i in ordered],
        names=vocab["name"].to_pylist(),
        label_ids=label_ids,
        answers=torch.from_numpy(np.stack([answers[i] for i in keep[: len(ids) - n_val]])),
        refine=torch.from_numpy(np.stack([rows[i] for i in keep[: len(ids) - n_val]])),
        raw=torch.tensor([raws[i] for i in keep], dtype=torch.long),
        refined=torch.tensor([refined.get(i, (-1, 0))[0] for i in ordered], dtype=torch.long),
        n_train=len(ids) - n_val,
        seed=seed,
    )
