"""The NeaR algorithm (label refinement, head mode): a cosine classifier over cached embeddings.

The *algorithm*: this module; the *stage* that runs it over a run directory is
:mod:`near_core.refine` (:func:`~near_core.refine.refine_run`); one refinement *step* of the
targets is :meth:`near_core.objective.NearObjective.refine_targets`.

:func:`refine_labels` is the Python API: parsed MLLM answers + image embeddings in, refined
labels out. Steps: vocabulary and label distributions q_i (:mod:`near_core.vocabulary`), kNN
(:mod:`near_core.knn`) among the *answered* images, candidate sets
(:mod:`near_core.candidates`), neighbourhood-smoothed features, then :func:`refine_head`:
rounds of (class vectors from the current targets -> logits -> the NeaR refinement of
:mod:`near_core.objective`: GMM on the candidate-set loss, clean targets restricted to S_i,
noisy targets a sharpened prediction restricted to its ``noisy_topk`` names). Targets are
sparse and the logits are summarised in row chunks (:mod:`near_core.sparse_targets`), so
memory is linear in the images (no ``N x C`` array). Additions to the paper's recipe, each measured in
BENCHMARKS.md ("Refine"): a capped label-support prior, so that a name used by one image
yields to its neighbours' name (capped at half a typical class's support, estimated from the
groups of near-identical names, so that large classes cannot swallow small ones); the initial
label evidence as a logit term; near-identical variants of an image's own names (a year, one
extra word: :func:`~near_core.vocabulary.name_variants`) as extra candidates. A refined label
is the argmax of an image's refined targets; the final vocabulary is the set of labels given
to at least one image.

Only answered images are refined; the unanswered ones of the pool (the 95-99% a label budget
leaves) are labelled afterwards by the prototype classifier of the refined labels (the class
vectors, drawn toward the names' text embeddings as far as the text tower proves to know
them: :mod:`near_core.prototypes`), as unseen images are. Their number therefore changes
neither the support prior nor the candidate sets.

The geometry is trusted in proportion to the evidence that it follows the labels: the
chance-corrected agreement (kappa) of each answered image's answers with its ``agreement_k``
nearest answered neighbours' (:func:`~near_core.candidates.neighbour_agreement`, where two
near-identical names count as agreeing, so that drifting compound names such as "... Sedan
2010" / "... Sedan 2012" do not read as disagreement), less ``agreement_z`` standard errors,
gives ``trust = clip(agreement / agreement_full, 0, 1)``, and :func:`trusted_options` scales
the neighbours' share of the candidate weights, the feature smoothing, the cosine logit scale
and the support prior by it (the last two, which act on every name in every round, by the cube
of a ramp of the agreement taken as a share of the agreement the names allow, less
``agreement_z`` standard errors counted over the names,
:func:`~near_core.candidates.attained_agreement`: a kappa of 0.02 among hundreds of names of
five images each must not move answers, nor a share found on 15 of hundreds of names of one to
four images). The agreement counts how often neighbours share a name against the whole
vocabulary's chance rate, so it is high wherever the geometry finds *groups* of sibling names,
even when it cannot tell the siblings apart; the trust is therefore also at most the same ramp
of the names' separation (:func:`~near_core.candidates.name_separation`: each name of a class's
size against the name whose prototype is nearest, each image's answer against the nearer of
the two prototypes built without it, beyond chance). Embeddings that carry no class
information (agreement at chance), or that place sibling names' images interchangeably, leave
the MLLM's labels as they are instead of replacing them by random neighbours'; at high
agreement the options apply unchanged. Neither the class count nor ground truth is used.

Those statistics say whether the neighbourhoods follow the names, not whether a classifier
refined on them labels better than the answers: with siblings the geometry separates but
weakly (a share of 0.1-0.3 of what the names allow), the full-strength rounds moved right
answers and lost to the raw answers and to a kNN vote. The strength is therefore checked on
held-out answers (:func:`_held_out_setting`, option ``holdout``): a fifth of the answered
images (drawn from their embeddings) lose their answers, the rest are refined at
0, 0.1 and 1 times the statistics' strength (over three disjoint fifths where full
strength does not clearly beat the answers), and the factor whose class means best predict
the held-out answers is used (a stronger one within ``holdout_z`` standard errors of it is
kept; with classes of fewer than about 5 answered images, which thinning distorts, full
strength yields only when clearly beaten).
In every round an image is scored against class vectors without its own share in them (an
out-of-sample prediction, as a noisy-label method needs: with three images a name, a third
of the name's vector is the image itself, its own answer wins and fragments of one class
under drifting names stay apart). Where the geometry is too weak to place an image, that
share is what holds its right answer in place; so the held-out check also tries full
strength with the share kept, and uses it where the held-out answers prefer it.

Class means assume each class is one clump. Where a class has two looks (male and female
plumage) the refined labels' means average them away and refinement moves right answers to
the sibling whose mean lies between; a kNN vote follows the clumps. So the refined labels
are checked with :func:`~near_core.vote.clump_test`: left out one at a time, is an answered
image's answer predicted clearly better (by the guard's one paired standard error) by the
vote of its ``k`` nearest answered neighbours' answers than by the class means of the
refined labels, and clearly above chance? Where it is, and the vote predicts at least half of the left-out answers (else an
image's own answer is the better guess: a random tower's neighbours, right on a third,
voted away right answers), each answered image takes the vote of its own and its ``k``
neighbours' answers (:func:`~near_core.vote.answer_vote`; ``result.voted``), and the class
vectors are the means of the voted labels. The other images take the vote of their ``k``
nearest answered images' labels (an image with withheld answers, of its own answers and
theirs) where the voted labels are clumped too (their own vote beats their means,
``result.vote_rest``), else the prototype classifier of the voted labels (BENCHMARKS.md
"Refine: a vote where classes are clumped").

The text tower is trusted the same way as the geometry, by the agreement of its zero-shot
naming (each answered image's closest name text) with the answers: a tower that does not know
the names (random or untuned weights) neither initialises the class vectors nor adds
candidates, where its random directions would decide which of two sibling clusters gets
which name. Refinement runs on centred embeddings (option ``centre``), as
training does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, make_dataclass, replace
from typing import Any, NamedTuple

import numpy as np
import torch
from pydantic import ValidationError
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from torch import Tensor

from near_core.candidates import (
    attained_agreement,
    build_candidates,
    name_separation,
    neighbour_agreement,
    text_agreement,
)
from near_core.config import RefineConfig
from near_core.errors import NearError
from near_core.knn import KnnResult, knn, normalize
from near_core.objective import NearObjective
from near_core.prototypes import posterior_class_means
from near_core.sparse_targets import (
    Shortlist,
    cosine_row_logits,
    own_share_left_out,
    refine_sparse,
    row_argmax,
    shortlist_row_logits,
    stored_in,
    weighted_sums,
)
from near_core.vocabulary import (
    Vocabulary,
    build_vocabulary,
    label_distribution,
    name_variants,
)
from near_core.vote import ClumpTest, answer_vote, clump_test, neighbour_vote

TextEncoder = Callable[[list[str]], Any]


class RefineError(NearError, ValueError):
    """Invalid input to label refinement (shapes, empty data, unknown option)."""


class _OptionsMethods:
    """Methods of :class:`RefineOptions` (its fields are generated from
    :class:`~near_core.config.RefineConfig`)."""

    @classmethod
    def from_kwargs(cls, **options: Any) -> RefineOptions:
        """Options from keyword arguments, validated by the ``refine`` config section's
        rules (ranges, types); unknown names raise :class:`RefineError`."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise RefineError(f"unknown refine option(s) {unknown}; known: {sorted(known)}")
        try:
            checked = RefineConfig(**options).model_dump(exclude=set(RefineConfig.STAGE_FIELDS))
        except ValidationError as exc:
            raise RefineError(f"invalid refine option(s): {exc}") from exc
        checked["strip_words"] = tuple(checked["strip_words"])
        checked["holdout_factors"] = tuple(checked["holdout_factors"])
        return cls(**checked)

    def objective(self) -> NearObjective:
        opt: Any = self
        return NearObjective(
            threshold=opt.threshold,
            temperature=opt.temperature,
            noisy_weight=opt.noisy_weight,
            momentum=opt.momentum,
        )


def _option_fields() -> list[tuple[str, Any, Any]]:
    out = []
    for name, info in RefineConfig.model_fields.items():
        if name in RefineConfig.STAGE_FIELDS:
            continue
        default = info.get_default(call_default_factory=True)
        if isinstance(default, list):
            default = tuple(default)
        out.append((name, Any, field(default=default, metadata={"doc": info.description})))
    return out


RefineOptions = make_dataclass(
    "RefineOptions", _option_fields(), bases=(_OptionsMethods,), frozen=True
)
RefineOptions.__module__ = __name__
RefineOptions.__doc__ = (
    "Every knob of head-mode NeaR: a frozen dataclass generated from the fields, defaults "
    "and docs of :class:`near_core.config.RefineConfig` (less its stage-only fields), the "
    "one place they are written. Fields::\n\n"
    + "\n".join(f"    {f.name} = {f.default!r}: {f.metadata['doc'] or ''}"
                for f in fields(RefineOptions))
)


class Setting(NamedTuple):
    """How strongly the geometry acts, as the held-out check chooses it
    (:func:`_held_out_setting`): ``factor`` times the statistics' strength (0: the images'
    own answers), with each image's own share left out of the class vectors it is scored
    against (``leave_own_out``, the default) or kept in them (:func:`refine_head`).
    Ordered weakest first: at one factor, keeping the own share is the weaker setting (an
    image's own share draws it to the names it holds)."""

    factor: float
    leave_own_out: bool = True


#: the setting where the held-out check does not run: full strength, the own share kept
#: (left out only where held-out answers show it labels better)
KEEP_OWN_SHARE = Setting(1.0, leave_own_out=False)


@dataclass
class HeadResult:
    """Output of :func:`refine_head` for N images, C names (top-k width ``k``).

    Attributes:
        weights: ``(N, C)`` CSR float32 final refined targets (stored entries: S_i and the
            names the targets gave weight to; rows sum to 1, empty for an empty S_i).
        label_ids: ``(N,)`` int64 argmax of each row of ``weights`` (-1 for an empty row).
        confidence: ``(N,)`` float32 model probability of ``label_ids`` (0 for -1).
        top_ids: ``(N, k)`` int64 the model's k most probable names per image, descending
            (-1 for an empty row); k = ``noisy_topk`` (C when None, or when C is smaller).
        top_probs: ``(N, k)`` float32 their probabilities.
        clean_prob: ``(N,)`` float32 P(clean) of each image's candidate set.
    """

    weights: sparse.csr_matrix
    label_ids: np.ndarray
    confidence: np.ndarray
    top_ids: np.ndarray
    top_probs: np.ndarray
    clean_prob: np.ndarray


@dataclass
class RefineResult:
    """Refined labels of N images.

    Attributes:
        labels: ``N`` refined canonical names (None when nothing can be said).
        label_ids: ``(N,)`` int64 ids into ``vocabulary`` (-1 for None).
        confidence: ``(N,)`` float32 model probability of the refined label (0 for None).
            An image with an empty candidate set (no answer, no answered neighbour, no text
            match) gets None.
        clean_prob: ``(N,)`` float32 P(clean) of each image's candidate set at the end.
        vocabulary: the full canonical vocabulary of the answers.
        final_label_ids: ids given to at least one image (the final vocabulary).
        candidates: ``(N, C)`` CSR initial candidate weights (stored entries = S_i).
        class_vectors: ``(C, D)`` the prototype classifier of the refined labels in the space
            of the given embeddings: the means of the L2-normalised answered embeddings under
            the final refined targets, drawn toward the names' text embeddings as far as the
            data say the text tower knows them (:func:`~near_core.prototypes.
            posterior_class_means`; the plain means without a trusted text tower),
            normalised; rows of ``vocabulary``. Refinement itself runs on centred
            embeddings (option ``centre``).
        options: the options given (the neighbour-scaled ones derive from them and
            ``trust``).
        agreement: kappa of the images' labels with their ``agreement_k`` nearest
            neighbours' labels, less ``agreement_z`` standard errors (0 without neighbours).
        trust: ``clip(min(agreement, separation) / agreement_full, 0, 1)``: the share of
            the neighbours' influence the statistics allow (1 = the options as given); none
            is used when the held-out check chose ``factor`` 0.
        answered: ``(N,)`` bool, images with a usable answer (refined by NeaR); the others
            are labelled by the prototype classifier of the refined labels and have empty
            candidate rows and clean_prob 0.
        text_trust: the share of the text tower's influence used (class vector
            initialisation, text-matched candidates): its zero-shot naming's kappa with the
            answers (:func:`~near_core.candidates.text_agreement`) less ``agreement_z``
            standard errors, over ``agreement_full``; 0 without a text encoder.
        separation: how much the embeddings separate each name from its closest name
            (:func:`~near_core.candidates.name_separation`); ``trust`` is at most
            ``clip(separation / agreement_full, 0, 1)``.
        strength: the multiple of ``scale`` and ``support_power`` used (the statistics'
            ramp times ``factor``; 0: the images' own answers).
        setting: the :class:`Setting` chosen on held-out answers (:func:`_held_out_setting`;
            ``Setting(1.0)`` when the check did not run): ``factor``, the multiple of the
            statistics' strength, and ``leave_own_out``, whether each image was scored
            against class vectors without its own share (:func:`refine_head`).
        held_out: ``{Setting: mean probability the setting's class means give the held-out
            answers}`` (empty when the check did not run). Each is scored on the names every
            labelling compared with it keeps: the factors together, the full strength with the
            own share left out against it kept alone (so those two numbers differ in basis).
        clumps: the clump test of the refined labels (:func:`~near_core.vote.clump_test`
            of a vote of the answers against the refined labels' class means; None without
            neighbours).
        voted: whether the answered images' labels are the kNN vote of the answers instead
            of the refined ones (``clumps.clumped``; see the module docstring).
        vote_rest: whether the other images are labelled by the vote of the answered
            images' labels (the voted labels are clumped too) instead of their class means.
    """

    labels: list[str | None]
    label_ids: np.ndarray
    confidence: np.ndarray
    clean_prob: np.ndarray
    vocabulary: Vocabulary
    final_label_ids: np.ndarray
    candidates: sparse.csr_matrix
    class_vectors: np.ndarray
    options: RefineOptions
    agreement: float
    trust: float
    answered: np.ndarray
    text_trust: float = 0.0
    separation: float = 1.0
    strength: float = 0.0
    setting: Setting = KEEP_OWN_SHARE
    held_out: dict[Setting, float] = field(default_factory=dict)
    clumps: ClumpTest | None = None
    voted: bool = False
    vote_rest: bool = False

    @property
    def factor(self) -> float:
        return self.setting.factor

    @property
    def leave_own_out(self) -> bool:
        return self.setting.leave_own_out

    @property
    def final_vocabulary(self) -> list[str]:
        return [self.vocabulary.names[i] for i in self.final_label_ids]


def class_means(features: np.ndarray, weights: sparse.csr_matrix | np.ndarray) -> np.ndarray:
    """``(C, D)`` weighted means ``sum_i w_ic x_i`` (normalised) of ``(N, D)`` features, summed
    in float64 (:func:`~near_core.sparse_targets.weighted_sums`)."""
    return normalize(weighted_sums(sparse.csr_matrix(weights, dtype=np.float32), features))


def centred(x: np.ndarray) -> np.ndarray:
    """``normalize(x - mean(x))`` of ``(N, D)`` normalised vectors: the common component
    of an embedding cone removed (zero rows when N = 1)."""
    return normalize(x - x.mean(axis=0, keepdims=True))


def smooth_features(
    x: np.ndarray,
    neighbours: np.ndarray,
    smooth_k: int,
    *,
    weight: float = 1.0,
    rows: np.ndarray | None = None,
    shares: np.ndarray | None = None,
) -> np.ndarray:
    """``normalize(x_i + weight * s_i * mean of its smooth_k nearest neighbours)`` for the
    images ``rows`` (default all): ``(len(rows), D)``; ``s_i`` = ``shares[i]`` (1 when
    None), a per-image multiple in [0, 1] (:func:`self_match_shares`).

    Averaging over the neighbourhood removes per-image noise along the class structure
    (``neighbours`` is the ``(len(rows), K)`` kNN index array into ``x``; its first columns
    are used).
    """
    own = x if rows is None else x[rows]
    if smooth_k <= 0 or neighbours.shape[1] == 0 or weight <= 0:
        return normalize(own)
    mean = x[neighbours[:, :smooth_k]].mean(axis=1)
    if shares is not None:
        mean *= shares[:, None]
    return normalize(own + weight * mean)


def self_match_shares(q: sparse.csr_matrix, x: np.ndarray, *, power: float) -> np.ndarray:
    """``(M,)`` float32 per-image smoothing multiple ``sum_c q_ic min(1, r_c) ** power``.

    ``r_c = sum_i q_ic^2 / sum_{i != j} q_ic q_jc x_i . x_j`` for the ``(M, C)`` answer
    distributions ``q`` and ``(M, D)`` normalised features ``x``: how much a name's images
    match their own share of the name's class vector against how much they match the rest
    of it (one answer per image: ``1 / ((n_c - 1) * mean cosine of the name's images)``; 1
    where the rest does not match at all). The smoothing is there to keep an image's own
    share from deciding its label (3 images a class: r of 1.5-3 on the real answer files at
    sigma 0.08-0.10); where the rest of its name outweighs that share (5-10 images a class
    of separated siblings: r 0.3-0.6), averaging an image with its 2 nearest images only
    mixes in siblings. Its cost: a name that two sibling classes share, in pure
    neighbourhoods, has a low r as well and loses smoothing it needs (BENCHMARKS.md
    "Refine: a per-name smoothing weight (branch vote2)")."""
    q = sparse.csr_matrix(q, dtype=np.float32)
    own = np.asarray(q.multiply(q).sum(axis=0), dtype=np.float64).ravel()
    sums = weighted_sums(q, x).astype(np.float64)
    others = (sums * sums).sum(axis=1) - own
    ratio = np.where(others > 1e-9, own / np.maximum(others, 1e-9), 1.0)
    per_name = np.minimum(1.0, ratio) ** power
    return np.asarray(q @ per_name, dtype=np.float32).ravel()


def neighbour_trust(agreement: float, agreement_full: float) -> float:
    """``clip(agreement / agreement_full, 0, 1)``; 1 when ``agreement_full <= 0``."""
    if agreement_full <= 0:
        return 1.0
    return float(np.clip(agreement / agreement_full, 0.0, 1.0))


def trusted_options(opt: RefineOptions, trust: float, *, attained: float | None = None,
                    factor: float = 1.0) -> RefineOptions:
    """The options with the geometry's influence scaled by ``trust`` in [0, 1].

    The neighbours' share of the initial weights becomes ``(1 - own_weight) * trust``
    (feature smoothing, ``weight=trust`` of :func:`smooth_features`, is applied by the
    caller); the cosine logit scale ``s`` and the support prior ``beta`` are multiplied by
    ``min(1, 2 * attained) ** 3``, ``attained`` (default ``trust``) being the trust of the
    agreement as a share of the agreement the names allow, less ``agreement_z`` standard
    errors over the names (:func:`~near_core.candidates.attained_agreement`). At trust 0 the
    labels are the images' own answers (a classifier fitted to embeddings that do not follow
    the labels learns a random partition, and the support prior would hand rare names to
    random neighbours); the global terms reach full strength at half the agreement, so names shared
    by several images stay more credible than singletons where neighbourhoods are only partly
    reliable (measured in BENCHMARKS.md, "Refine").

    Below that they fall off with the cube: they act on every name of every image in every
    round, and the rounds feed the targets they move back into the class vectors, so a weak
    geometry's influence compounds. With many sibling names of a few images each, a kappa of
    0.02-0.03 (neighbours share the name 2-3% of the time) at the linear ramp's 20-30%
    strength moved a third of the answers, nearly all right ones, to other groups' names
    (BENCHMARKS.md "Refine with many classes of few images"). Measured against what the
    names allow, a geometry that follows names of one to three images each (where even a
    perfect kNN graph scores a low kappa) keeps its full strength. Only names of two or more
    images can show that share, and one name's edges are not independent, so its error is
    counted over the names: at 10k images / 1,000 classes / 500 named (294 names of one
    image, 94 of two to four) a share of 0.076 found on 15 names, taken as 0.054 with the
    edges' error, gave 0.157 strength and moved 46 answers, 32 of them right ones,
    to other groups' names (BENCHMARKS.md "Names of a few images whose neighbours rarely
    agree")."""
    strength = factor * min(1.0, 2.0 * (trust if attained is None else attained)) ** 3
    return replace(
        opt,
        own_weight=1.0 - (1.0 - opt.own_weight) * trust,
        scale=opt.scale * strength,
        support_power=opt.support_power * strength,
    )


def default_support_cap(images: int, groups: int, *, floor: float) -> float:
    """``max(floor, 0.75 * images / groups)``: the support cap when ``support_cap`` is None.

    ``groups`` estimates the class count from the names: the groups of near-identical names
    (:func:`~near_core.vocabulary.name_variants`), so ``images / groups`` is about a typical
    class's share of the answered images. A name with three quarters of that is as credible
    as any (classes somewhat smaller than average, as random sampling makes them, are not
    swallowed by a sibling), and no name gains from growing beyond it; below ``floor``
    (``support_cap_min``) a name of fewer images still yields to a name of more."""
    return max(floor, 0.75 * images / max(groups, 1))


def support_prior(support: Tensor, *, power: float, cap: float) -> Tensor:
    """``power * log(min(n_c, cap))``: ``(C,)`` log-prior of each name from its support n_c
    (the refined target mass). Names held by fewer than ``cap`` images are less credible
    (a name used once yields to its neighbours'); above ``cap`` all names are equal, so large
    classes cannot swallow small ones."""
    return power * torch.log(support.clamp(min=1e-6, max=cap))


def refine_head(
    features: np.ndarray,
    weights: sparse.csr_matrix | np.ndarray,
    class_init: np.ndarray | None = None,
    *,
    options: RefineOptions | None = None,
    leave_own_out: bool = True,
) -> HeadResult:
    """Head-mode NeaR on fixed features: a cosine classifier refined with the NeaR objective.

    Each round: class vectors t_c = normalised target-weighted mean of the features (the
    closed-form cosine head for the current targets; ``class_init`` is added to them in
    the first round), logits ``s * cos(x_i, t_c) + gamma * log(w0_i(c) + floor)
    + beta * log min(n_c, cap)`` (geometry, the initial label evidence, and the support prior
    of :func:`support_prior`), then the NeaR refinement step
    (:func:`~near_core.sparse_targets.refine_sparse`): 2-component GMM on the candidate-set
    loss -> P(clean); clean targets ``∝ p(c|x)·1[c∈S_i]``, noisy targets a sharpened
    prediction over its ``noisy_topk`` most probable names with a lower weight.
    Deterministic (no random state).

    Memory and time are linear in N: targets are sparse (S_i plus the names they give weight
    to), and the ``(N, C)`` logits are computed in row chunks of bounded size, keeping per
    image its softmax normaliser, the logits at its stored target entries and its top k
    (:func:`~near_core.sparse_targets.cosine_row_logits`). With more names than
    ``shortlist``, only every ``full_pass_every``-th round scores every name; the rounds
    between score each image on its shortlist (:class:`~near_core.sparse_targets.Shortlist`),
    so that their cost does not grow with C. With ``noisy_topk=None, shortlist=None`` this
    is the dense method.

    Args:
        features: ``(N, D)`` image embeddings (smoothed or not).
        weights: ``(N, C)`` initial candidate weights; stored/non-zero entries are S_i.
        class_init: optional ``(C, D)`` vectors added, as given, to the first round's
            normalised class vectors (normalised text embeddings scaled by the trust in the
            text tower, in :func:`refine_labels`).
        options: hyperparameters (defaults: :class:`RefineOptions`).
        leave_own_out: score each image against its names' class vectors without its own
            share ``a_ic x_i`` in them (a_ic: its target weight times its sample weight;
            :func:`~near_core.sparse_targets.own_share_left_out`; not in a round whose
            vectors take ``class_init``): an out-of-sample prediction, as a noisy-label
            method needs. Kept, a name of three images is a third the image itself, so that
            its own answer wins, fragments of one class under several names stay apart, and
            more so where the image is smoothed with unnamed images (which sit in no class
            vector). Kept, the share also holds an answer in place where the geometry is too
            weak to move it well; :func:`_held_out_setting` chooses.
    Returns:
        :class:`HeadResult`; rows with an empty S_i keep empty targets and take no part.
    """
    opt = options or RefineOptions()
    x = normalize(features)
    w0 = sparse.csr_matrix(weights, dtype=np.float32)
    w0.eliminate_zeros()
    w0.sort_indices()
    n, c = w0.shape
    active = np.flatnonzero(np.diff(w0.indptr) > 0)
    names = int((np.asarray(w0.sum(axis=0)).ravel() >= 0.5).sum())
    cap = float(opt.support_cap or default_support_cap(
        len(active), names, floor=opt.support_cap_min))
    xa, cand = x[active], w0[active]
    w, sample_weight = cand.copy(), np.ones(len(active), dtype=np.float32)
    clean_prob = np.ones(len(active), dtype=np.float32)
    objective = opt.objective()
    init = None if class_init is None else np.ascontiguousarray(class_init, dtype=np.float32)
    unanimous = np.diff(cand.indptr) == 1
    evidence = cand.copy()
    evidence.data = opt.evidence_power * np.log(cand.data + opt.evidence_floor)
    top_k = c if opt.noisy_topk is None else min(opt.noisy_topk, c)
    width = max(opt.shortlist or c, top_k)
    shortlist, logits = None, None
    default = float(opt.evidence_power * np.log(opt.evidence_floor))
    for round_ in range(opt.iterations):
        share = w.copy()
        share.data *= np.repeat(sample_weight, np.diff(w.indptr))
        sums = weighted_sums(share, xa)
        protos = normalize(sums)
        # each image's evidence, and its names' logits without its own share in their
        # class vectors (on the targets' pattern, which holds S_i)
        evidence_now = w.copy()
        evidence_now.data = np.full(w.nnz, default, dtype=np.float32)
        evidence_now.data[stored_in(w, cand)] = evidence.data
        if round_ == 0 and init is not None:
            protos = normalize(protos + init)
        elif leave_own_out:
            with_own, without = own_share_left_out(xa, sums, share)
            # a name that only this image holds says nothing of it either way: a typical
            # image's cosine with its names' vectors (with 0, such names lost their images
            # and the held-out check kept the own share on flowers at sigma 0.08, 0.889
            # where leaving it out labels 0.918)
            alone = np.isnan(without)
            if alone.any():
                typical = share.data * ~alone
                without[alone] = (np.average(without[~alone], weights=typical[~alone])
                                  if typical.sum() > 0 else 0.0)
            evidence_now.data += opt.scale * (without - with_own)
        prior = support_prior(_column_sums(w), power=opt.support_power, cap=cap)
        terms = dict(scale=opt.scale, bias=prior.numpy(), evidence=evidence_now,
                     evidence_default=default)
        if shortlist is not None and round_ % opt.full_pass_every:
            logits = shortlist_row_logits(xa, protos, **terms, shortlist=shortlist, support=w,
                                          top_k=top_k)
        else:
            logits = cosine_row_logits(xa, protos, **terms, support=w, top_k=width)
            shortlist = Shortlist.from_full(logits) if width < c else None
            logits = logits.top(top_k)
        w, sample_weight, clean_prob = refine_sparse(objective, logits, cand, w)
        # unanimous evidence (|S_i| = 1: own answers and all neighbours agree) is kept
        _keep_candidate(w, cand, unanimous)
        sample_weight[unanimous], clean_prob[unanimous] = 1.0, 1.0
    label = row_argmax(w)
    out = HeadResult(
        weights=_expand_rows(w, active, n),
        label_ids=np.full(n, -1, dtype=np.int64),
        confidence=np.zeros(n, dtype=np.float32),
        top_ids=np.full((n, top_k), -1, dtype=np.int64),
        top_probs=np.zeros((n, top_k), dtype=np.float32),
        clean_prob=np.zeros(n, dtype=np.float32),
    )
    if logits is not None:
        out.label_ids[active], out.confidence[active] = label, logits.probs_at(label)
        out.top_ids[active] = logits.top_ids
        out.top_probs[active] = np.exp(logits.top_logits - logits.lse[:, None])
        out.clean_prob[active] = clean_prob
    return out


def _column_sums(w: sparse.csr_matrix) -> Tensor:
    """``(C,)`` float32 tensor of the column sums of ``w``."""
    return torch.from_numpy(np.asarray(w.sum(axis=0), dtype=np.float32).ravel())


def _keep_candidate(w: sparse.csr_matrix, cand: sparse.csr_matrix, rows: np.ndarray) -> None:
    """In place: the rows ``rows`` (bool ``(M,)``) of ``w`` become one on their candidate
    entries (stored in ``w``) and zero elsewhere."""
    entry_rows = np.repeat(rows, np.diff(w.indptr))
    w.data[entry_rows] = stored_in(w, cand)[entry_rows].astype(np.float32)


def refine_labels(
    answers: Sequence[Sequence[str | None]],
    embeddings: np.ndarray,
    *,
    text_encoder: TextEncoder | None = None,
    withheld_answers: Sequence[Sequence[str | None]] | None = None,
    **options: Any,
) -> RefineResult:
    """Refine open-ended MLLM labels with NeaR (head mode).

    Refinement runs on the *answered* images (those with at least one usable name): their
    candidate sets, neighbour agreement and support prior are computed among them, so the
    prior's cap (answered images / names) does not grow with a large unanswered pool, and
    the features are smoothed with each image's nearest images of the whole pool. Every
    unanswered image then gets the refined class whose vector is closest
    (``class_vectors[final_label_ids]``, the prototype classifier of the refined labels) with
    its softmax probability as the confidence.

    Args:
        answers: ``answers[i]`` = the parsed label strings of image i (its n samples; may be
            empty).
        embeddings: ``(N, D)`` image embeddings (CLIP image tower in real runs).
        text_encoder: optional callable: list of M names -> ``(M, D)`` array in the same space
            as ``embeddings`` (CLIP's text tower); initialises class vectors and adds the
            ``text_k`` closest names to each candidate set. Without it class vectors start at
            the candidate-weighted class means.
        withheld_answers: optional, ``withheld_answers[i]`` = answers of image i that
            refinement must not learn from (a validation slice; empty for every other image
            and wherever ``answers[i]`` is not). They shape neither the vocabulary, the
            statistics nor the class vectors, so a score on these images stays a held-out
            one; only the image's own label weighs them, at ``1 - result.strength``, against
            the prototype classifier's probabilities: as for a named image, a geometry that
            says nothing (strength 0) leaves what the MLLM said, a fully trusted one decides.
        **options: fields of :class:`RefineOptions`.
    Returns:
        :class:`RefineResult`. An answered image whose own answers and all K answered
        neighbours agree (a single candidate, no text match) keeps that label. The
        neighbours' influence is scaled by ``trust`` (``result.agreement``, ``result.trust``;
        see the module docstring): where the embeddings do not follow the labels, the labels
        stay the images' own answers. Labels are None only when no image is answered.
    """
    opt = RefineOptions.from_kwargs(**options)
    embeddings = np.asarray(embeddings)
    if embeddings.ndim != 2 or embeddings.shape[0] != len(answers):
        raise RefineError(
            f"embeddings must be (N, D) with N = len(answers) = {len(answers)}, "
            f"got shape {embeddings.shape}"
        )
    if withheld_answers is not None:
        if len(withheld_answers) != len(answers):
            raise RefineError(
                f"withheld_answers has {len(withheld_answers)} rows, answers {len(answers)}"
            )
        both = [i for i, (a, w) in enumerate(zip(answers, withheld_answers, strict=True))
                if any(a) and any(w)]
        if both:
            raise RefineError(f"image {both[0]} has both answers and withheld answers")
    encoder = None if text_encoder is None else _memoised(text_encoder)
    return _refine_labels(answers, embeddings, encoder, opt, setting=None,
                          withheld=withheld_answers)


def _memoised(text_encoder: TextEncoder) -> TextEncoder:
    """``text_encoder`` that encodes each name once (the held-out check refines again)."""
    cache: dict[str, np.ndarray] = {}

    def encode(names: list[str]) -> Any:
        missing = [name for name in dict.fromkeys(names) if name not in cache]
        if missing:
            out = np.asarray(text_encoder(missing), dtype=np.float32)
            if out.ndim != 2 or len(out) != len(missing):
                return out  # the caller reports the shape
            cache.update(zip(missing, out, strict=True))
        return np.stack([cache[name] for name in names])

    return encode


def _refine_labels(
    answers: Sequence[Sequence[str | None]],
    embeddings: np.ndarray,
    text_encoder: TextEncoder | None,
    opt: RefineOptions,
    *,
    setting: Setting | None,
    pool_of: np.ndarray | None = None,
    withheld: Sequence[Sequence[str | None]] | None = None,
) -> RefineResult:
    """:func:`refine_labels` at the :class:`Setting` ``setting`` (its factor 0: the images'
    own answers); ``setting=None`` chooses it by :func:`_held_out_setting`.
    ``withheld``: :func:`refine_labels`'s ``withheld_answers``.
    ``pool_of``: ``(N, smooth_k)`` each image's nearest answered images, from the held-out
    check (they do not depend on the answers); with it the unanswered images are left
    unlabelled (the check reads only the answered images' labels)."""
    vocab = build_vocabulary(answers, strip_words=opt.strip_words)
    n = len(answers)
    if n == 0 or len(vocab) == 0:
        return _empty_result(n, vocab, embeddings.shape[1] if embeddings.ndim == 2 else 0, opt)
    inputs = normalize(embeddings)
    x = centred(inputs) if opt.centre else inputs
    q_all = label_distribution(answers, vocab)
    answered = np.diff(q_all.indptr) > 0
    rows = np.flatnonzero(answered)
    m = len(rows)
    xa, q = x[rows], q_all[rows]
    k = min(opt.k, m - 1)
    variants = name_variants(vocab.keys)
    groups = connected_components(variants, directed=False)[0]
    cap = opt.support_cap or default_support_cap(m, groups, floor=opt.support_cap_min)
    neighbours, agreement, attained, separation = None, 0.0, 0.0, 1.0
    if k >= 1:
        found = knn(xa, min(max(opt.k, opt.agreement_k), m - 1))
        neighbours = KnnResult(found.similarities[:, :k], found.indices[:, :k])
        kappa, error = neighbour_agreement(
            q, found.indices[:, : opt.agreement_k], related=variants
        )
        agreement = kappa - opt.agreement_z * error
        share, error = attained_agreement(
            q, found.indices[:, : opt.agreement_k], related=variants)
        attained = share - opt.agreement_z * error
        # the point estimate: + agreement_z errors let a random tower's geometry through
        # (named labels below the answers), - agreement_z kept 60%-right answers of
        # separated siblings (BENCHMARKS.md, "Refine: separation by prototype votes")
        separation, _ = name_separation(q, xa, min_support=cap)
    text_vecs = text_inputs = None
    if text_encoder is not None:
        text_vecs = normalize(np.asarray(text_encoder(list(vocab.names)), dtype=np.float32))
        text_inputs = text_vecs
        if text_vecs.shape != (len(vocab), x.shape[1]):
            raise RefineError(
                f"text_encoder returned shape {text_vecs.shape}, expected "
                f"{(len(vocab), x.shape[1])} (one row per name, embedding dimension)"
            )
        if opt.centre and len(vocab) > 1:
            text_vecs = centred(text_vecs)
    text_matches, text_trust = None, 0.0
    if text_vecs is not None:
        text_matches = knn(text_vecs, min(max(opt.text_k, 1), len(vocab)), queries=xa)
        kappa, error = text_agreement(q, text_matches.indices[:, 0], related=variants)
        text_trust = neighbour_trust(kappa - opt.agreement_z * error, opt.agreement_full)
        if opt.text_k == 0 or text_trust == 0.0:
            text_matches = None
    separated = neighbour_trust(separation, opt.agreement_full)
    trust = min(neighbour_trust(agreement, opt.agreement_full), separated)
    attained_trust = min(neighbour_trust(attained, opt.agreement_full), separated)
    pool, smooth_k = None, min(opt.smooth_k, n - 1)
    if smooth_k > 0:
        if pool_of is not None and pool_of.shape[1] >= smooth_k:
            pool = pool_of[rows][:, :smooth_k]
        elif m == n and neighbours is not None and found.indices.shape[1] >= smooth_k:
            pool = found.indices[:, :smooth_k]
        else:
            # each answered image's nearest other images of the whole pool
            pool = knn(x, smooth_k, queries=x[rows], query_ids=rows).indices
    scores: dict[Setting, float] = {}
    if setting is None:
        setting = KEEP_OWN_SHARE
        if trust > 0 and attained_trust > 0:
            # on the answered images alone, each smoothed with its nearest answered images
            # (beside unnamed images that sit in no class vector, the check chose to leave
            # the own share out where the images alone keep it, and both their labels and
            # the unnamed images' lost: dogs at sigma 0.10, 0.825 -> 0.788 and 0.792 -> 0.751)
            pool_answered = found.indices[:, :smooth_k if pool is not None else 0]
            setting, scores = _held_out_setting(
                [answers[i] for i in rows], embeddings[rows], text_encoder, opt, q, vocab,
                x[rows], pool_answered, cap)
    factor = setting.factor
    # factor 0: the images' own answers (no neighbour votes, no smoothing either)
    used = trust if factor > 0 else 0.0
    scaled = replace(trusted_options(opt, used, attained=attained_trust, factor=factor),
                     support_cap=cap)
    if neighbours is None:
        weights = sparse.csr_matrix(q)
    else:
        weights = build_candidates(
            q, neighbours, own_weight=scaled.own_weight, text_matches=text_matches,
            text_weight=opt.text_weight * text_trust, variants=variants,
            variant_weight=opt.variant_weight,
        )
    smoothed = xa
    if pool is not None:
        shares = None
        if opt.smooth_self_power > 0 and used > 0:
            # with the strength: 0.1 x keeps (nearly) the full smoothing, a soft vote there
            shares = self_match_shares(q, xa, power=opt.smooth_self_power * factor)
        smoothed = smooth_features(x, pool, pool.shape[1], weight=used, rows=rows,
                                   shares=shares)
    strength = scaled.scale / opt.scale
    class_init = None if text_vecs is None or text_trust == 0.0 else text_trust * text_vecs
    head = refine_head(smoothed, weights, class_init, options=scaled,
                       leave_own_out=setting.leave_own_out)
    best, targets, confidence_rows = head.label_ids, head.weights, head.confidence
    clumps, voted, vote_rest = None, False, False
    if pool_of is None and neighbours is not None:  # (the held-out check's inner runs: not)
        raw = torch.from_numpy(row_argmax(q))
        xt, nb = torch.from_numpy(xa), torch.from_numpy(neighbours.indices)
        clumps = clump_test(xt, torch.from_numpy(best), k=k, targets=raw, vote_labels=raw,
                            neighbours=nb)
        # the class means average a clumped class away, a vote does not; it overrules an
        # image's own answer only where it predicts most left-out answers (a random tower's
        # neighbours, right on a third of them, voted away right answers: 0.811 -> 0.784; a
        # scale run's 389 names of 500 images, the vote right on 2%, led the means by 1.3
        # errors). The guard's bar of one error: with 100 of 2,000 images named, two looks a
        # class, a bar of two missed 5 seeds of 10 (refine labelled 0.58 - 0.69 there against
        # answers right on 0.76 - 0.83); the vote led by 1.0 - 1.7 errors in 4 of them
        voted = clumps.clumped and clumps.vote >= 0.5
    if voted:
        best, confidence_rows = answer_vote(q, neighbours.indices)
        targets = sparse.csr_matrix((np.ones(m, dtype=np.float32), (np.arange(m), best)),
                                    shape=q.shape)
        # the rest by the vote where the voted classes are clumped too, else by their means
        # (siblings of 60%-right answers under a weak geometry: the vote labelled 0.59, the
        # means 0.88)
        vote_rest = clump_test(xt, torch.from_numpy(best), k=k, targets=raw,
                               neighbours=nb).clumped
    label_ids = np.full(n, -1, dtype=np.int64)
    confidence = np.zeros(n, dtype=np.float32)
    label_ids[rows] = best
    confidence[rows] = confidence_rows
    final = np.unique(best)
    if m < n and pool_of is None:  # (the held-out check reads the answered images' labels)
        # their classifier: the class means of the features refined (smoothed, unless the
        # vote decided), drawn toward the names' text as far as it knows them
        # (:mod:`near_core.prototypes`)
        vectors = posterior_class_means(xa if voted else smoothed, targets,
                                        text_vecs if text_trust > 0 else None)
        own = None if withheld is None else label_distribution(withheld, vocab)[:, final]
        vote = (xa, np.searchsorted(final, best), q[:, final], k) if vote_rest else None
        ids, prob = _label_the_rest(x, answered, own, vectors[final], scale=scaled.scale,
                                    own_weight=1.0 - strength, vote=vote)
        label_ids[~answered], confidence[~answered] = final[ids], prob
    clean_prob = np.zeros(n, dtype=np.float32)
    clean_prob[rows] = head.clean_prob
    return RefineResult(
        labels=[vocab.names[i] if i >= 0 else None for i in label_ids],
        label_ids=label_ids,
        confidence=confidence,
        clean_prob=clean_prob,
        vocabulary=vocab,
        final_label_ids=final,
        candidates=_expand_rows(weights, rows, n),
        class_vectors=posterior_class_means(inputs[rows], targets,
                                            text_inputs if text_trust > 0 else None),
        options=opt,
        agreement=agreement,
        trust=trust,
        answered=answered,
        text_trust=text_trust,
        separation=separation,
        strength=strength,
        setting=setting,
        held_out=scores,
        clumps=clumps,
        voted=voted,
        vote_rest=vote_rest,
    )


def _label_the_rest(
    x: np.ndarray,
    answered: np.ndarray,
    own: sparse.csr_matrix | None,
    class_vectors: np.ndarray,
    *,
    scale: float,
    own_weight: float,
    vote: tuple[np.ndarray, np.ndarray, sparse.csr_matrix, int] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Labels of the images without a usable answer (``~answered``, rows of ``x`` (N, D)):
    ``(U,)`` columns of ``class_vectors`` (C', D) (the final classes) and their confidence.

    By the prototype classifier of the labels (:func:`nearest_class`), images with
    withheld answers (``own`` (N, C'), their answer distributions) by
    :func:`with_own_answers` at ``own_weight``. Where the classes are clumped
    (``vote`` = ``(xa, columns, q, k)``: the answered images' (M, D) features, (M,)
    labels as columns of the final classes, (M, C') answer distributions over them, and the
    neighbours to count), by the vote of the ``k`` nearest answered images instead: of
    their labels (:func:`~near_core.vote.neighbour_vote`), or, for a withheld image, of its
    own and their answers (:func:`~near_core.vote.answer_vote`), as an answered image is
    labelled there."""
    rest = np.flatnonzero(~answered)
    if vote is None:
        ids, prob = nearest_class(x[rest], class_vectors, scale=scale)
    else:
        xa, columns, q, k = vote
        found = knn(xa, k, queries=x[rest]).indices
        won, share = neighbour_vote(torch.from_numpy(columns[found]))
        ids, prob = won.numpy(), share.numpy().astype(np.float32)
    named = np.zeros(0, dtype=np.int64) if own is None else np.flatnonzero(own[rest].getnnz(1))
    if not len(named):
        return ids, prob
    at, own_rows = rest[named], own[rest[named]]
    if vote is None:
        ids[named], prob[named] = with_own_answers(x[at], own_rows, class_vectors, scale=scale,
                                                   own_weight=own_weight)
    else:
        won, share = answer_vote(q, found[named], own=own_rows)
        keep = won >= 0  # (none: every vote was for a name no answered image kept)
        ids[named[keep]], prob[named[keep]] = won[keep], share[keep]
    return ids, prob


def _held_out_setting(
    answers: Sequence[Sequence[str | None]],
    embeddings: np.ndarray,
    text_encoder: TextEncoder | None,
    opt: RefineOptions,
    q: sparse.csr_matrix,
    vocab: Vocabulary,
    x: np.ndarray,
    pool_of: np.ndarray,
    cap: float,
) -> tuple[Setting, dict[Setting, float]]:
    """The :class:`Setting` refinement uses (the multiple of the ramp's strength, and whether
    an image's own share stays in the class vectors it is scored against), chosen on
    held-out answers.

    Run on the M answered images alone (``answers``, ``embeddings`` and ``x``, the
    refinement space, their rows; ``q`` their ``(M, C)`` answer distributions;
    ``pool_of`` ``(M, k)`` each one's nearest answered images, which the inner refinements
    smooth with). A share ``holdout`` of them (drawn from each image's embedding, so that
    the draw does not depend on the images' order) lose their answers; the rest are
    refined at each of ``holdout_factors`` times the strength their own statistics give (an inner
    :func:`_refine_labels`, with the support cap ``cap`` thinned as the images are), and at
    0 (their own answers). Each labelling's prototype classifier (normalised class means of
    ``x``, the refinement space, over the kept images; only the names every labelling keeps,
    since a class of one or two kept images that a refinement merges into a sibling has more
    images in the whole set) then predicts the held-out images: ``softmax(scale * cos)``,
    scored by the probability it gives to each held-out image's answers. Wrong answers are
    spread over siblings, so the labelling whose classes predict independent answers best is
    the more accurate one.

    The best mean score wins, except that a stronger factor within ``holdout_z`` standard
    errors of the paired difference is kept: where the classes are well separated, noisy
    and refined labels give nearly the same class means, and the ramp (the factor 1) is the
    measured default there. The weaker factors are refined only when the strongest does not
    beat the answers by ``agreement_z`` standard errors on the first share (a clear geometry
    costs one inner refinement); then every factor is compared over ``holdout_folds``
    disjoint held-out shares (the draw's [0, h), [h, 2 h), ...), whose paired scores are
    pooled: one share's standard error left the choice between 0.1 x and 1 x at signal 0.7
    to the draw.

    Where the support cap is below ``support_cap_min / (1 - holdout)``, i.e. classes of
    fewer than about 5 answered images at the defaults, full strength yields only to a
    factor that beats it by more than ``agreement_z`` standard errors, and the factors are
    compared over every held-out share (all ``1 / holdout``, not ``holdout_folds``: the
    higher bar needs the answers, and such sets are small): thinned, their names
    fall below the support a name needs and the kept images' refinement merges classes that
    the whole set keeps, which costs full strength on the held-out answers, not on the whole
    set (3 images per class, separated siblings at signal 2: the plain rule chose 0.1,
    refined 0.867 against 0.960 at full strength and kNN-3 0.866; the real answer files and
    the simulated domains of ``bench/refine_quality.py``, 3 a class, lead with 0.1 x or the
    answers by 0.1-1.5 standard errors where full strength labels best). Under a weak
    geometry the margin is clear (3 a class at signal 0.7: the answers lead full strength by
    2.4 standard errors, refined 0.766 -> 0.833 against raw 0.823).

    The factors are compared with each image's own share kept in the class vectors it is
    scored against (``Setting(f, leave_own_out=False)``). Where full strength wins, it is
    then refined once more with the share left out (:func:`refine_head`), on the same
    shares, and that labelling is used unless the one that keeps the share beats it by more
    than ``holdout_z`` standard errors, scored on the names both keep. Left out, the images
    of the simulated domains with drifting compound names moved to their classes' main
    names (cars at sigma 0.08: 0.717 -> 0.819; named beside 10 unnamed images a class,
    0.493 -> 0.870), but where the geometry is too weak to place an image, its own share
    was what held a right answer in place: 39 of the 54 right answers that dogs at sigma
    0.10 lost went to a name of one of the two images it is smoothed with (0.816 -> 0.747),
    and the held-out answers said so. Left out in the factors' comparison, the share cost
    the thinned sets most (names of one or two kept images), and the answers beat full
    strength clearly where it labels best (3 a class at signal 2: 0.97 refined, 0.79 the
    answers) (BENCHMARKS.md "Refine: class vectors without the image's own share").

    Where one share holds fewer than ``holdout_min`` answers, the factor stays 1 and only
    the own share is decided so, over every share (pets at sigma 0.10, 111 images:
    0.766 -> 0.847); with fewer answered images than ``holdout_min`` in all, nothing is
    decided and the share is kept (16 answered images on an untrained tower: left out,
    the one image named "puffin" of its class went to a sibling's name).

    Returns ``(setting, {setting: mean score})`` (the settings tried; the one that leaves
    the own share out scored on the names both full-strength labellings keep);
    ``(KEEP_OWN_SHARE, {})`` when the check cannot run.
    """
    draw = _uniform_of(embeddings)
    if opt.holdout <= 0 or len(draw) < opt.holdout_min or (draw >= opt.holdout).sum() == 0:
        return KEEP_OWN_SHARE, {}
    shares = int(1.0 / opt.holdout + 1e-9)
    # the kept images are a thinned copy of the set: a class's support shrinks with them
    inner_opt = replace(opt, support_cap=cap * (1.0 - opt.holdout))
    cache: dict[tuple[int, Setting], sparse.csr_matrix] = {}

    def fold_scores(j: int, settings: list[Setting]) -> dict[Setting, np.ndarray]:
        """Fold ``j`` (the images of draw in [j h, (j + 1) h) held out): per held-out image,
        the probability each labelling's class means give its answers, over the names
        every labelling keeps (a class of one or two kept images that a labelling merges
        into a sibling exists in the whole set with more)."""
        pick = (draw >= j * opt.holdout) & (draw < (j + 1) * opt.holdout)
        held, kept = np.flatnonzero(pick), np.flatnonzero(~pick)
        for f in settings:
            if (j, f) in cache:
                continue
            if f.factor == 0.0:
                ids = row_argmax(q[kept])
            else:
                masked = list(answers)
                for i in held:
                    masked[i] = []
                inner = _refine_labels(masked, embeddings, text_encoder, inner_opt, setting=f,
                                       pool_of=pool_of)
                # the held-out answers' names are left out of the inner vocabulary: by name
                ids = np.array([_id_or(vocab, inner.labels[i], -1) for i in kept])
            has = ids >= 0
            cache[j, f] = sparse.csr_matrix(
                (np.ones(has.sum()), (np.flatnonzero(has), ids[has])),
                shape=(len(kept), len(vocab)))
        common = np.logical_and.reduce(
            [np.asarray(cache[j, f].sum(axis=0)).ravel() > 0 for f in settings])
        q_held, out = q[held], {}
        for f in settings:
            logits = opt.scale * (x[held] @ class_means(x[kept], cache[j, f]).T)
            logits[:, ~common] = -np.inf
            prob = np.exp(logits - logits.max(axis=1, keepdims=True))
            prob /= prob.sum(axis=1, keepdims=True)
            out[f] = np.asarray(q_held.multiply(prob).sum(axis=1)).ravel()
        return out

    settings = [Setting(f, leave_own_out=False) for f in sorted({0.0, *opt.holdout_factors})]
    if (draw < opt.holdout).sum() < opt.holdout_min:
        # too few answers in a share to choose the factor (full strength, as the statistics
        # say); every share decides whether the own share is left out
        return _leave_own_out_unless_beaten(settings[-1], list(range(shares)), fold_scores,
                                            {}, z=opt.holdout_z)
    used = [0]
    scores = fold_scores(0, [settings[0], settings[-1]])
    # classes of fewer than support_cap_min / (1 - holdout) images (the cap at its floor):
    # thinned, they fall below the support a name needs, and the refinement of the kept
    # images merges classes that the whole set keeps, which costs full strength on the
    # held-out answers (not the whole set's labels); there it yields only when clearly
    # beaten, over every share (such sets are small: the real answer files have 3 a class)
    thin = cap < opt.support_cap_min / (1.0 - opt.holdout) - 1e-9
    # the strongest factor clearly beats the answers: the weaker ones are not tried;
    # otherwise every factor on up to holdout_folds disjoint held-out shares
    if _margin(scores[settings[-1]], scores[settings[0]]) <= opt.agreement_z and len(settings) > 2:
        used = list(range(shares if thin else min(opt.holdout_folds, shares)))
        folds = [fold_scores(j, settings) for j in used]
        scores = {f: np.concatenate([fold[f] for fold in folds]) for f in settings}
    best = max(scores, key=lambda f: scores[f].mean())
    if thin and _margin(scores[best], scores[settings[-1]]) <= opt.agreement_z:
        best = settings[-1]
    chosen = max(f for f in scores
                 if f >= best and _margin(scores[best], scores[f]) <= opt.holdout_z)
    means = {f: float(scores[f].mean()) for f in sorted(scores)}
    if chosen != settings[-1]:
        return chosen, means
    return _leave_own_out_unless_beaten(chosen, used, fold_scores, means, z=opt.holdout_z)


def _leave_own_out_unless_beaten(
    kept: Setting,
    folds: list[int],
    fold_scores: Callable[[int, list[Setting]], dict[Setting, np.ndarray]],
    means: dict[Setting, float],
    *,
    z: float,
) -> tuple[Setting, dict[Setting, float]]:
    """``kept`` (a full-strength setting that keeps the own share) or the same with the own
    share left out, whose score over the held-out shares ``folds`` (``fold_scores``, on the
    names both labellings keep) it must beat by more than ``z`` standard errors to be used.
    ``means`` gains both scores (the one of ``kept`` unless it holds it)."""
    left_out = kept._replace(leave_own_out=True)
    scored = [fold_scores(j, [kept, left_out]) for j in folds]
    pair = {f: np.concatenate([fold[f] for fold in scored]) for f in (kept, left_out)}
    means.setdefault(kept, float(pair[kept].mean()))
    means[left_out] = float(pair[left_out].mean())
    return (kept if _margin(pair[kept], pair[left_out]) > z else left_out), means


def _margin(a: np.ndarray, b: np.ndarray) -> float:
    """mean(a - b) in standard errors of the paired difference."""
    gap = a - b
    return float(gap.mean() / max(gap.std() / np.sqrt(len(gap)), 1e-12))


def _uniform_of(x: np.ndarray) -> np.ndarray:
    """``(M,)`` numbers in [0, 1) that look uniform, each from its row of ``x`` ``(M, D)``
    alone: a seeded draw that does not depend on the images' order (permuting the images
    permutes the held-out set)."""
    w = np.random.default_rng(0).standard_normal(x.shape[1])
    return np.modf(np.abs((x.astype(np.float64) * w).sum(axis=1)) * 1e4)[0]


def _id_or(vocab: Vocabulary, name: str | None, default: int) -> int:
    found = vocab.id_of(name)
    return default if found is None else found


def nearest_class(
    x: np.ndarray, class_vectors: np.ndarray, *, scale: float, chunk: int = 16384
) -> tuple[np.ndarray, np.ndarray]:
    """The prototype classifier: for ``(Q, D)`` normalised ``x`` and ``(C, D)`` class
    vectors, ``(Q,)`` index of the most similar class and ``(Q,)`` its probability under
    ``softmax(scale * cos)``; computed in row chunks (memory ``chunk x C``)."""
    pick = np.zeros(len(x), dtype=np.int64)
    prob = np.zeros(len(x), dtype=np.float32)
    for s in range(0, len(x), chunk):
        cos = torch.from_numpy(x[s : s + chunk] @ class_vectors.T)
        j = cos.argmax(dim=-1)
        p = torch.softmax(scale * cos, dim=-1).gather(1, j[:, None])[:, 0]
        pick[s : s + chunk], prob[s : s + chunk] = j.numpy(), p.numpy()
    return pick, prob


def with_own_answers(
    x: np.ndarray, own: sparse.csr_matrix, class_vectors: np.ndarray, *, scale: float,
    own_weight: float, chunk: int = 4096,
) -> tuple[np.ndarray, np.ndarray]:
    """The prototype classifier told an image's own answers: for ``(Q, D)`` normalised ``x``,
    ``(Q, C)`` answer distributions ``own`` over the ``(C, D)`` class vectors' classes (a
    row without mass leaves the classifier alone), ``(Q,)`` index of the largest
    ``own_weight * own + (1 - own_weight) * softmax(scale * cos)`` and ``(Q,)`` its share of
    the row's sum; computed in row chunks (memory ``chunk x C``)."""
    pick = np.zeros(len(x), dtype=np.int64)
    prob = np.zeros(len(x), dtype=np.float32)
    for s in range(0, len(x), chunk):
        cos = torch.from_numpy(x[s : s + chunk] @ class_vectors.T)
        answers = torch.from_numpy(own[s : s + chunk].toarray()).to(cos.dtype)
        w = own_weight * (answers.sum(dim=-1, keepdim=True) > 0)  # (rows, 1)
        mix = (1.0 - w) * torch.softmax(scale * cos, dim=-1) + w * answers
        p, j = (mix / mix.sum(dim=-1, keepdim=True)).max(dim=-1)
        pick[s : s + chunk], prob[s : s + chunk] = j.numpy(), p.numpy()
    return pick, prob


def _expand_rows(w: sparse.csr_matrix, rows: np.ndarray, n: int) -> sparse.csr_matrix:
    """``(N, C)`` CSR with the rows of ``w`` ``(M, C)`` at ``rows`` and empty rows elsewhere."""
    w = sparse.csr_matrix(w).tocoo()
    out = sparse.csr_matrix((w.data, (rows[w.row], w.col)), shape=(n, w.shape[1]),
                            dtype=np.float32)
    out.sort_indices()
    return out


def _empty_result(n: int, vocab: Vocabulary, dim: int, opt: RefineOptions) -> RefineResult:
    return RefineResult(
        labels=[None] * n,
        label_ids=np.full(n, -1, dtype=np.int64),
        confidence=np.zeros(n, dtype=np.float32),
        clean_prob=np.zeros(n, dtype=np.float32),
        vocabulary=vocab,
        final_label_ids=np.zeros(0, dtype=np.int64),
        candidates=sparse.csr_matrix((n, len(vocab)), dtype=np.float32),
        class_vectors=np.zeros((len(vocab), dim), dtype=np.float32),
        options=opt,
        agreement=0.0,
        trust=0.0,
        answered=np.zeros(n, dtype=bool),
    )
