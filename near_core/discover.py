"""Discovery: relabel a batch that may hold classes the classifier has never seen.

:func:`discover_batch` runs on a batch of a run's images (e.g. the ok images of a new inbox
folder) with the run's current classifier bundle:

1. **Coverage.** Every batch image is scored by its similarity to the run's images of the known
   classes: the cosine to its ``k``-th nearest calibration image in the head's centred,
   normalised feature space (far from every known class). The calibration images are the
   run's own images the bundle was trained on (a hash sample of at most
   ``calibration_images`` of the ``labels`` table and of the images earlier discoveries
   named, where the bundle's prediction agrees with the label); the score's
   ``quantile`` over them (leave-one-out, so a calibration image is scored as a fresh one
   would be) is the threshold, and an image below it is *uncovered*. Not the cosine to the
   head's class vectors: a head trained briefly on noisy names can score unseen classes
   higher than its own, while the features still tell them apart. The top class
   probability is no trigger either: the head was fit on the calibration images, so fresh
   images of known classes score lower than they do (a grown bundle put 3 of 24 known-class
   images under its 2% quantile with the shipped ``synthetic`` encoder: a known batch spent
   the budget), and an image between two known siblings is ambiguous, not new. Such *low
   confidence* covered images (top probability under its ``quantile``) are asked about once
   a batch triggers, after the uncovered ones.
   A batch of known classes leaves about the calibrated rate of its images uncovered by
   chance (:func:`false_alarm_rate`: the quantile's order statistic among the calibration
   images); discovery starts only when clearly more are (:func:`novelty_expected`), so such
   a batch costs no MLLM request and no training.
2. **Queries.** At most ``budget`` images go to the MLLM with the run's open naming prompt
   (not constrained to known names): the uncovered ones spread over their k-means clusters
   (round robin, nearest to each centre first: :func:`spread_sample`), then the low
   confidence ones (least confident first). Budget left over buys a hash sample of the other
   (covered) images: the known-class check of step 5.
3. **Names.** The answers go through the label stage's parsing (answers table), then
   :func:`near_core.near.refine_labels` over the uncovered and low-confidence images
   (canonicalisation, kNN candidate sets, refinement). A refined name whose canonical key is
   not one of the bundle's and that labels at least ``min_images`` images is a new class;
   names the bundle knows stay what they are (same names, same label ids).
4. **Warm start.** The new head keeps the bundle's class vectors (rows, names and label ids in
   place) and appends one vector per new class, the prototype (mean centred feature) of its
   images; then ``epochs`` full-batch steps of cross-entropy (the train stage's head model
   and optimizer, :func:`warm_start`) train every vector on the batch (named images -> their
   refined class, new or known; the others -> the bundle's own prediction) and the
   calibration images (-> the bundle's prediction), so known classes keep their decisions. The
   image tower, centre and scale are the parent's (a parent that votes with its named images,
   :mod:`near_core.vote`, gives the class means of its voters: the grown bundle is a cosine
   head, since the new classes have no voters of their own). A new bundle is written with its lineage
   (``parent_version``, ``classes_added``) and becomes the run's current classifier (run.json
   ``discovered``).
5. **Record.** ``RUN/discovery/<model_version>.json`` (:data:`SCHEMA`): classes added, MLLM
   requests, example images per new class, and the known-class accuracy before and after:
   over the other batch images the MLLM answered (the audit sample of step 2) with a name
   the parent knows, the share the parent (before) / the new bundle (after) predicts as that
   name: agreement with the MLLM, so its noise bounds it below 1 for both; null when no such
   image (no budget left for the audit); ``members``: the named images the new bundle was
   taught a class for (new or known name; calibration images of later batches).
   ``stability`` (the share of the other batch images whose prediction did not change) is in
   the summary, not the record.

Cached: each batch (its image ids) is recorded in run.json with the bundle it was checked
with and the bundle that resulted; rerunning on the same batch, with either bundle current,
sends no MLLM request and trains nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from near_core.bundle import Bundle, save_bundle
from near_core.config import NearConfig
from near_core.embed import ImageDataset, image_size, make_loader
from near_core.errors import NearError
from near_core.ingest import current_images
from near_core.knn import knn
from near_core.mllm.labeler import STATE_CATEGORY, LabelSummary, sample_for_labeling
from near_core.near import refine_labels
from near_core.relabel import STATE_DISCOVERED
from near_core.store import RunStore, atomic_write_bytes
from near_core.train.validation import centred
from near_core.vocabulary import canonical_key

log = logging.getLogger(__name__)

#: run.json key of the batches discovery has examined
STATE_KEY = "discovery"
#: version of the RUN/discovery/<model_version>.json files
SCHEMA = 1
#: example images kept per new class
EXAMPLES = 6

LabelFn = Callable[[list[str]], LabelSummary]


class DiscoveryError(NearError):
    """Discovery cannot run (no batch, no calibration images, bad options)."""


@dataclass(frozen=True)
class DiscoverOptions:
    """Knobs of :func:`discover_batch` (see the module docstring)."""

    budget: int = 30  #: MLLM requests at most (images asked, plus category inference if any)
    quantile: float = 0.02  #: false-alarm rate of the coverage score on the run's own images
    k: int = 3  #: the neighbour score is the cosine to the k-th nearest calibration image
    min_images: int = 3  #: images a new name must label to become a class
    calibration_images: int = 512  #: run images scored to calibrate the thresholds
    epochs: int = 100  #: full-batch steps of the warm-start training
    lr: float = 0.01  #: AdamW learning rate of the class vectors
    audit: bool = True  #: spend budget left over on covered images (known-class accuracy)
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self) -> None:
        if self.budget < 0:
            raise DiscoveryError(f"discovery label budget must be >= 0, got {self.budget}")
        if not 0.0 < self.quantile < 0.5:
            raise DiscoveryError(f"discovery quantile must be in (0, 0.5), got {self.quantile}")


@dataclass
class Coverage:
    """Scores of N images under a bundle: ``features`` (N, D) head-space (centred, normalised),
    ``probs`` (N, C), ``pred`` (N,) argmax, ``knn`` (N,) neighbour score (set by
    :func:`neighbour_scores`; NaN until then)."""

    ids: list[str]
    features: np.ndarray
    probs: np.ndarray
    pred: np.ndarray
    raw: torch.Tensor  #: (N, D) image-tower outputs (the head's input)
    knn: np.ndarray


@dataclass
class DiscoverySummary:
    """What one :func:`discover_batch` call did (``record`` is the JSON record, or None when
    nothing new was found)."""

    parent_version: str
    model_version: str
    images: int = 0
    uncovered: int = 0
    low_confidence: int = 0  #: covered images of low top probability (asked after the uncovered)
    expected_uncovered: float = 0.0
    triggered: bool = False
    mllm_requests: int = 0
    queried: list[str] = field(default_factory=list)
    classes_added: list[str] = field(default_factory=list)
    bundle: str | None = None
    record_path: str | None = None
    stability: float | None = None  #: share of covered batch images whose prediction is unchanged
    before: float | None = None
    after: float | None = None
    cached: bool = False
    failed: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        if self.cached:
            return (f"batch of {self.images} images already examined: 0 MLLM requests, no "
                    f"training; model {self.parent_version} -> {self.model_version}")
        if not self.triggered:
            head = "no new class"
        else:
            head = f"{len(self.classes_added)} new class(es) {self.classes_added}"
        known = ("n/a" if self.before is None else
                 f"{self.before:.3f} -> {'n/a' if self.after is None else f'{self.after:.3f}'}")
        return (f"{head}: {self.images} images, {self.uncovered} uncovered (about "
                f"{self.expected_uncovered:.1f} expected by chance; {self.low_confidence} more "
                f"of low confidence), {self.mllm_requests} MLLM "
                f"requests, known-class accuracy {known}; model {self.parent_version} -> "
                f"{self.model_version}")


# -- scoring ------------------------------------------------------------------------------
@torch.no_grad()
def score_images(bundle: Bundle, items: Sequence[tuple[str, str]], *, batch_size: int = 64,
                 workers: int = 0) -> tuple[Coverage, list[tuple[str, str]]]:
    """Coverage of ``(image_id, path)`` items under ``bundle``; unreadable files are returned
    as ``(image_id, reason)`` instead of raised."""
    ds = ImageDataset(items, bundle.preprocess, image_size(bundle.preprocess_cfg))
    ids, feats, failed = [], [], []
    for images, idx, errors in make_loader(ds, bundle.runtime, batch_size=batch_size,
                                           workers=workers):
        ok = [j for j, e in enumerate(errors) if not e]
        failed += [(items[int(idx[j])][0], errors[j]) for j, e in enumerate(errors) if e]
        if ok:
            feats.append(bundle.features(images[ok]))
            ids += [items[int(idx[j])][0] for j in ok]
    head = bundle.classifier.head.cpu()
    dim = head.weight.shape[1]
    raw = torch.cat(feats) if feats else torch.zeros(0, dim)
    return coverage(ids, raw, head.weight.detach(), head.center, float(head.scale)), failed


def coverage(ids: list[str], raw: torch.Tensor, class_vectors: torch.Tensor,
             center: torch.Tensor, scale: float) -> Coverage:
    """Coverage of ``(N, D)`` image-tower outputs under a cosine head (``(C, D)`` vectors)."""
    z = centred(raw, center)
    probs = torch.softmax(scale * z @ F.normalize(class_vectors.float(), dim=-1).T, dim=-1)
    pred = probs.argmax(dim=1).numpy() if len(ids) else np.zeros(0, np.int64)
    return Coverage(ids, z.numpy(), probs.numpy(), pred, raw, np.full(len(ids), np.nan))


def neighbour_scores(queries: np.ndarray, reference: np.ndarray, k: int, *,
                     same: bool = False) -> np.ndarray:
    """``(N,)`` cosine of each of the ``(N, D)`` normalised ``queries`` to its ``k``-th nearest
    row of ``(M, D)`` ``reference`` (``same``: queries are the reference, self excluded)."""
    kk = min(k, reference.shape[0] - int(same))
    if kk < 1 or len(queries) == 0:
        return np.full(len(queries), -1.0, dtype=np.float32)
    found = knn(reference, kk, queries=None if same else queries, exclude_self=same)
    return found.similarities[:, kk - 1].astype(np.float32)


def threshold(scores: np.ndarray, quantile: float) -> float:
    """The ``quantile`` of the ``(M,)`` calibration images' ``scores``."""
    if len(scores) < 2:
        raise DiscoveryError("fewer than 2 calibration images: the run has no images the "
                             "bundle covers to compare a batch with")
    return float(np.quantile(scores, quantile))


def uncovered_mask(cov: Coverage, knn_t: float) -> np.ndarray:
    """``(N,)`` bool: neighbour score below the threshold."""
    return cov.knn < knn_t


def false_alarm_rate(n_calib: int, quantile: float) -> float:
    """Chance that a fresh image of a known class falls under the ``quantile`` threshold of
    ``n_calib`` exchangeable calibration scores: at most ``(floor(q (n - 1)) + 2) / (n + 1)``
    (the threshold lies below the order statistic after :func:`numpy.quantile`'s position;
    e.g. 0.042 for 47 calibration images, 0.023 for 512, against ``quantile`` 0.02)."""
    n = max(int(n_calib), 1)
    return min((math.floor(quantile * (n - 1)) + 2) / (n + 1), 1.0)


def novelty_expected(n: int, rate: float) -> float:
    """Uncovered images a batch of ``n`` known-class images shows by chance, plus three
    standard deviations (binomial with the :func:`false_alarm_rate` ``rate``)."""
    rate = min(max(rate, 0.0), 1.0)
    return n * rate + 3.0 * math.sqrt(n * rate * (1 - rate))


# -- choosing what to ask -------------------------------------------------------------------
def kmeans(x: np.ndarray, k: int, *, seed: int = 0, iterations: int = 25) -> np.ndarray:
    """``(N,)`` cluster ids of ``(N, D)`` normalised rows: spherical k-means, k-means++
    seeding from ``seed`` (deterministic)."""
    n = len(x)
    k = max(1, min(k, n))
    rng = np.random.default_rng(seed)
    centres = [x[rng.integers(n)]]
    for _ in range(1, k):
        d = np.clip(1 - np.max(x @ np.stack(centres).T, axis=1), 0, None)
        p = d / d.sum() if d.sum() > 0 else np.full(n, 1 / n)
        centres.append(x[rng.choice(n, p=p)])
    c = np.stack(centres)
    assign = np.zeros(n, dtype=np.int64)
    for _ in range(iterations):
        new = np.argmax(x @ c.T, axis=1)
        if _ and np.array_equal(new, assign):
            break
        assign = new
        for j in range(k):
            members = x[assign == j]
            if len(members):
                m = members.sum(0)
                c[j] = m / (np.linalg.norm(m) or 1.0)
    return assign


def spread_sample(ids: Sequence[str], x: np.ndarray, budget: int, *, seed: int = 0) -> list[str]:
    """At most ``budget`` of ``ids`` spread over the k-means clusters of their ``(N, D)``
    features (k = ceil(sqrt(N)), at most ``budget``): round robin over the clusters, each
    giving its images nearest its centre first. All ids when ``budget >= N``."""
    ids = list(ids)
    if budget >= len(ids):
        return sorted(ids)
    if budget <= 0:
        return []
    k = min(budget, max(1, math.ceil(math.sqrt(len(ids)))))
    assign = kmeans(x, k, seed=seed)
    queues = []
    for j in sorted(set(assign.tolist()), key=lambda j: -(assign == j).sum()):
        members = np.flatnonzero(assign == j)
        centre = x[members].mean(0)
        order = members[np.argsort(-(x[members] @ centre), kind="stable")]
        queues.append([ids[i] for i in order])
    chosen: list[str] = []
    while len(chosen) < budget:
        for q in queues:
            if q and len(chosen) < budget:
                chosen.append(q.pop(0))
    return sorted(chosen)


# -- names ----------------------------------------------------------------------------------
@dataclass
class NewClasses:
    """Refined names of the uncovered images: ``labels[i]`` (None: none), the new class names
    (support >= min_images, not known to the bundle), their prototypes ``(K, D)``."""

    labels: list[str | None]
    names: list[str]
    prototypes: np.ndarray


def name_new_classes(answers: Sequence[Sequence[str]], features: np.ndarray,
                     known: Sequence[str], *, min_images: int,
                     refine: dict[str, Any]) -> NewClasses:
    """Refine the open answers of the uncovered images (``answers[i]``: image i's parsed
    names, empty when not asked) over their head-space ``features`` (N, D); map refined names
    that canonicalise like a known class to that class's name."""
    strip = tuple(refine.get("strip_words") or ())
    known_key = {canonical_key(n, strip_words=strip): n for n in known}
    dim = features.shape[1] if features.ndim == 2 else 0
    if not any(answers):
        return NewClasses([None] * len(answers), [], np.zeros((0, dim), np.float32))
    result = refine_labels(answers, features, **refine)
    labels = []
    for lab in result.labels:
        if lab is None:
            labels.append(None)
            continue
        labels.append(known_key.get(canonical_key(lab, strip_words=strip), lab))
    counts: dict[str, int] = {}
    for lab in labels:
        if lab is not None and lab not in known:
            counts[lab] = counts.get(lab, 0) + 1
    names = sorted((n for n, c in counts.items() if c >= min_images), key=lambda n: (-counts[n], n))
    protos = [F.normalize(torch.from_numpy(features[[lab == n for lab in labels]]).mean(0),
                          dim=0).numpy() for n in names]
    return NewClasses(labels, names, np.stack(protos) if protos else np.zeros((0, dim), np.float32))


# -- warm start -----------------------------------------------------------------------------
def warm_start(head: torch.nn.Module, new_vectors: torch.Tensor, raw: torch.Tensor,
               targets: torch.Tensor, *, config: NearConfig, epochs: int, lr: float,
               seed: int = 0) -> torch.Tensor:
    """Train the class vectors of a cosine ``head`` extended by ``new_vectors`` (K, D).

    ``raw`` (N, D) image-tower outputs with ``targets`` (N,) column indices into the extended
    vocabulary (old classes first). The train stage's head mode does the steps
    (:class:`near_core.train.model.TrainModel` without towers, :class:`~near_core.train.model.Optim`:
    AdamW at peak ``lr``, ``config.train``'s warm-up, cosine schedule and gradient clipping):
    ``epochs`` full-batch cross-entropy steps; the centre and scale stay the head's. Returns
    the ``(C + K, D)`` trained vectors."""
    from near_core.clip import Runtime
    from near_core.objective import CosineHead
    from near_core.train.model import Optim, TrainModel

    torch.manual_seed(seed)
    vectors = torch.cat([head.weight.detach().float().cpu(), new_vectors.float()])
    model = TrainModel(None, CosineHead(vectors, scale=float(head.scale),
                                        center=head.center.detach().cpu()))
    cfg = config.model_copy(update={"train": config.train.model_copy(update={"lr": lr})})
    optim = Optim.build(model, cfg, epochs, Runtime(torch.device("cpu")))
    model.train()
    for _ in range(epochs):
        optim.step(F.cross_entropy(model(raw.float()), targets), cfg.train.grad_clip)
    return model.head.weight.detach()


# -- the run-level entry point ----------------------------------------------------------------
def batch_ids(store: RunStore, source: str | Path) -> list[str]:
    """The ok images of the run found at ``source`` (a folder or a path-list file), sorted."""
    from near_core.ingest import discover as scan

    paths = {str(p) for p in scan(source)}
    images = current_images(store)
    return sorted(i for i, ps, p in zip(images["image_id"].to_pylist(),
                                        images["paths"].to_pylist(),
                                        images["path"].to_pylist(), strict=True)
                  if paths & set(ps or [p]))


def batch_digest(image_ids: Sequence[str]) -> str:
    h = hashlib.sha256()
    for i in sorted(set(image_ids)):
        h.update(i.encode() + b"\n")
    return h.hexdigest()


def _calibration_ids(store: RunStore, exclude: set[str], n: int, seed: int) -> dict[str, str | None]:
    """``{image_id: label}`` of at most ``n`` (a hash sample) of the run's refined images and
    the uncovered images earlier discoveries named (their records' ``members``), outside the
    batch: a later batch of a discovered class is then covered, not new again."""
    labels = store.read("labels", columns=["image_id", "label"]).to_pylist()
    label_of = {r["image_id"]: r["label"] for r in labels}
    for rec in (store.state().get(STATE_KEY) or {}).get("batches", []):
        path = rec.get("record")
        if path and Path(path).is_file():
            label_of |= json.loads(Path(path).read_text(encoding="utf-8")).get("members", {})
    label_of = {i: lab for i, lab in label_of.items() if i not in exclude}
    chosen = sample_for_labeling(label_of, n, seed=seed)
    return {i: label_of[i] for i in chosen}


def _known_accuracy(answers: dict[str, list[str]], cov: Coverage, names: Sequence[str],
                    known: Sequence[str], strip: tuple[str, ...]) -> tuple[float | None, list[str]]:
    """Share of images whose first answer canonicalises to a ``known`` name that ``cov``
    predicts as that name (``names``: cov's columns); None without such an image."""
    key = {canonical_key(n, strip_words=strip): n for n in known}
    pos = {i: k for k, i in enumerate(cov.ids)}
    hits, used = [], []
    for iid, ans in sorted(answers.items()):
        truth = key.get(canonical_key(ans[0], strip_words=strip)) if ans else None
        if truth is None or iid not in pos:
            continue
        used.append(iid)
        hits.append(names[int(cov.pred[pos[iid]])] == truth)
    return (float(np.mean(hits)) if hits else None), used


def discover_batch(
    store: RunStore,
    bundle: Bundle,
    image_ids: Sequence[str],
    *,
    config: NearConfig,
    options: DiscoverOptions,
    label: LabelFn,
    workers: int = 0,
) -> DiscoverySummary:
    """Examine the batch ``image_ids`` (ok images of the run) with ``bundle``; see the module
    docstring. ``label(ids)`` sends ids to the MLLM with the open prompt and stores the answers
    (e.g. :func:`near_core.mllm.labeler.label_images` with ``image_ids``)."""
    from near_core.refine import run_answers

    digest = batch_digest(image_ids)
    state = store.state().get(STATE_KEY) or {}
    key = {"batch": digest, "options": asdict(options)}
    for rec in state.get("batches", []):
        if rec.get("key") == key and bundle.model_version in (rec["parent_version"],
                                                              rec["model_version"]):
            return DiscoverySummary(rec["parent_version"], rec["model_version"],
                                    images=len(image_ids), classes_added=rec["classes_added"],
                                    bundle=rec.get("bundle"), cached=True,
                                    record_path=rec.get("record"))
    images = current_images(store)
    path_of = dict(zip(images["image_id"].to_pylist(), images["path"].to_pylist(), strict=True))
    unknown = sorted(set(image_ids) - set(path_of))
    if unknown:
        raise DiscoveryError(f"{len(unknown)} batch image(s) are not ok images of {store.root}, "
                             f"e.g. {unknown[0]}")
    summary = DiscoverySummary(bundle.model_version, bundle.model_version, images=len(image_ids))
    score = lambda ids: score_images(bundle, [(i, path_of[i]) for i in ids],  # noqa: E731
                                     batch_size=options.batch_size, workers=workers)
    cov, summary.failed = score(sorted(set(image_ids)))
    calib_labels = _calibration_ids(store, set(image_ids), options.calibration_images,
                                    options.seed)
    calib, _ = score(sorted(calib_labels))
    agree = np.array([bundle.names[int(p)] == calib_labels[i] for i, p in zip(calib.ids, calib.pred,
                                                                               strict=True)])
    covered_calib = _subset(calib, agree) if agree.sum() >= 2 else calib
    ref = covered_calib.features
    covered_calib.knn = neighbour_scores(ref, ref, options.k, same=True)
    cov.knn = neighbour_scores(cov.features, ref, options.k)
    knn_t = threshold(covered_calib.knn, options.quantile)
    unc = uncovered_mask(cov, knn_t)
    # low confidence: asked about once the batch triggers, never a trigger (see docstring)
    low = ~unc & (cov.probs.max(axis=1) < threshold(covered_calib.probs.max(axis=1),
                                                    options.quantile))
    summary.uncovered, summary.low_confidence = int(unc.sum()), int(low.sum())
    summary.expected_uncovered = novelty_expected(
        len(cov.ids), false_alarm_rate(len(covered_calib.ids), options.quantile))
    summary.triggered = (summary.uncovered > summary.expected_uncovered
                         and summary.uncovered >= options.min_images and options.budget > 0)
    log.info("discovery: %d of %d images uncovered (%.1f expected by chance; threshold: "
             "neighbour cosine %.3f over %d calibration images)", summary.uncovered,
             len(cov.ids), summary.expected_uncovered, knn_t, len(covered_calib.ids))
    if summary.triggered:
        _grow(store, bundle, cov, unc, low, covered_calib, summary, config=config, options=options,
              label=label, run_answers=run_answers, digest=digest)
    rec = {"key": key, "parent_version": summary.parent_version,
           "model_version": summary.model_version, "classes_added": summary.classes_added,
           "mllm_requests": summary.mllm_requests, "bundle": summary.bundle,
           "record": summary.record_path}
    batches = [r for r in state.get("batches", []) if r.get("key") != key] + [rec]
    store.update_state(**{STATE_KEY: {"batches": batches[-200:]}})
    return summary


def _subset(cov: Coverage, mask: np.ndarray) -> Coverage:
    idx = np.flatnonzero(mask)
    return Coverage([cov.ids[i] for i in idx], cov.features[idx], cov.probs[idx],
                    cov.pred[idx], cov.raw[torch.from_numpy(idx)], cov.knn[idx])


def _grow(store: RunStore, bundle: Bundle, cov: Coverage, unc: np.ndarray, low: np.ndarray,
          calib: Coverage,
          summary: DiscoverySummary, *, config: NearConfig, options: DiscoverOptions,
          label: LabelFn, run_answers: Callable, digest: str) -> None:
    """Steps 2-5 of the module docstring for a triggered batch (fills ``summary``)."""
    # without a known category the label stage first asks category_images images for it
    meta = 0 if config.mllm.category or store.state().get(STATE_CATEGORY) else (
        config.mllm.category_images)
    budget = max(options.budget - meta, 0)
    novel = _subset(cov, unc)
    ask = spread_sample(novel.ids, novel.features, budget, seed=options.seed)
    least_sure = np.flatnonzero(low)[np.argsort(cov.probs.max(axis=1)[low], kind="stable")]
    ask += [cov.ids[i] for i in least_sure[: max(budget - len(ask), 0)]]
    named = unc | low  # the images named from their answers (the others keep the parent's)
    if options.audit and budget > len(ask):
        covered = [i for i, u in zip(cov.ids, named, strict=True) if not u]
        ask += sample_for_labeling(covered, budget - len(ask), seed=options.seed)
    unc_cov = _subset(cov, named)
    result = label(sorted(ask)) if ask else LabelSummary()
    summary.queried = sorted(ask)
    summary.mllm_requests = result.requests_sent + (meta if result.requests_sent else 0)
    all_answers = run_answers(store)
    answers = {i: all_answers.get(i, []) for i in ask}
    refine = config.refine.model_dump(exclude={"encoder", "text_init"})
    found = name_new_classes([answers.get(i, []) for i in unc_cov.ids], unc_cov.features,
                             bundle.names, min_images=options.min_images, refine=refine)
    strip = tuple(config.refine.strip_words)
    audited = {i: a for i, a in answers.items() if i not in set(unc_cov.ids)}
    summary.before, _ = _known_accuracy(audited, cov, bundle.names, bundle.names, strip)
    if not found.names:
        summary.triggered = True
        return
    names = [*bundle.names, *found.names]
    col = {n: c for c, n in enumerate(names)}
    # targets: new-class images -> their class; everything else -> the parent's decision
    targets = cov.pred.copy()
    pos = {i: k for k, i in enumerate(cov.ids)}
    for iid, lab in zip(unc_cov.ids, found.labels, strict=True):
        if lab in col:  # a refined name too rare to be a class keeps the parent's decision
            targets[pos[iid]] = col[lab]
    raw = torch.cat([cov.raw, calib.raw])
    y = torch.from_numpy(np.concatenate([targets, calib.pred]).astype(np.int64))
    head = bundle.classifier.head
    vectors = warm_start(head, torch.from_numpy(found.prototypes), raw, y, config=config,
                         epochs=options.epochs, lr=options.lr, seed=options.seed)
    vocab = store.read("vocabulary", columns=["label_id"])["label_id"].to_pylist()
    next_id = max([*bundle.label_ids, *vocab, -1]) + 1
    out = store.root / "discovery" / "bundles" / f"{bundle.model_version}-{digest[:10]}"
    save_bundle(
        out, model_name=bundle.config["model_name"],
        weights_source=bundle.config.get("weights_source", ""),
        visual=bundle.classifier.visual, class_vectors=vectors, log_scale=head.log_scale,
        center=head.center, names=names,
        label_ids=[*bundle.label_ids, *range(next_id, next_id + len(found.names))],
        preprocess_cfg=bundle.preprocess_cfg, train_config=bundle.config.get("train") or {},
        parent_version=bundle.model_version, classes_added=found.names,
    )
    from near_core.bundle import load_bundle

    child = load_bundle(out, device="cpu")
    after = coverage(cov.ids, cov.raw, child.classifier.head.weight.detach(),
                     child.classifier.head.center, float(child.classifier.head.scale))
    summary.after, _ = _known_accuracy(audited, after, child.names, bundle.names, strip)
    covered = ~named
    if covered.any():
        summary.stability = float((after.pred[covered] == cov.pred[covered]).mean())
    summary.model_version, summary.bundle = child.model_version, str(out)
    summary.classes_added = list(found.names)
    examples = {}
    for c, n in enumerate(found.names, start=len(bundle.names)):
        rows = np.flatnonzero(after.pred == c)
        rows = rows[np.argsort(-after.probs[rows, c], kind="stable")][:EXAMPLES]
        examples[n] = [cov.ids[i] for i in rows]
    record = {
        "schema": SCHEMA, "parent_version": bundle.model_version,
        "model_version": child.model_version, "classes_added": list(found.names),
        "mllm_requests": summary.mllm_requests, "images": len(cov.ids),
        "before": {"known_accuracy": summary.before}, "after": {"known_accuracy": summary.after},
        "examples": examples,
        "members": {i: lab for i, lab in zip(unc_cov.ids, found.labels, strict=True)
                    if lab in col},
    }
    path = store.root / "discovery" / f"{child.model_version}.json"
    atomic_write_bytes(path, (json.dumps(record, indent=2) + "\n").encode())
    summary.record_path = str(path)
    trained = store.state().get("train") or {}
    store.update_state(**{STATE_DISCOVERED: {"bundle": str(out),
                                             "model_version": child.model_version,
                                             "train_version": trained.get("model_version")}})


def run_discovery(
    store: RunStore,
    image_ids: Sequence[str],
    *,
    config: NearConfig,
    options: DiscoverOptions,
    api_key: str | None = None,
    progress: bool = False,
) -> DiscoverySummary:
    """:func:`discover_batch` with the run's current bundle (``relabel.bundle``, else the
    discovered or trained one) and the label stage as the MLLM (``config.mllm``, open prompt).
    Afterwards :func:`near_core.relabel.bundle_path` names the bundle to relabel with."""
    from near_core.bundle import load_bundle
    from near_core.mllm.labeler import label_images
    from near_core.relabel import bundle_path

    if not image_ids:
        raise DiscoveryError(f"discovery needs a batch: no ok image of {store.root} was given")
    bundle = load_bundle(bundle_path(store, config.relabel), device=config.clip.device,
                         precision=config.clip.precision)

    def label(ids: list[str]) -> LabelSummary:
        return label_images(store, config.mllm, seed=config.seed, api_key=api_key,
                            image_ids=ids, progress=progress)

    return discover_batch(store, bundle, image_ids, config=config, options=options, label=label,
                          workers=config.clip.workers)
