"""The refine stage over a run directory: answers + embeddings -> vocabulary, candidates, labels.

The *stage*: this module (:func:`refine_run`, run by ``near refine``, tasks/refine.py and
flows/refine.py like every other stage module: ingest, embed, relabel); the *algorithm* it runs
is :mod:`near_core.near` (:func:`~near_core.near.refine_labels`); one refinement *step* of the
targets is :meth:`near_core.objective.NearObjective.refine_targets`.

Reads the ``answers`` table (rows with status ok; the parsed ``label``, else the first of
``candidates``; an image's n samples form its answer list) and the ``embeddings`` table (one
encoder: ``refine.encoder``, else the one ``near embed`` remembered, else the only one), runs
:func:`near_core.near.refine_labels` over the images that have an embedding, and replaces the
``vocabulary``, ``candidates`` and ``labels`` tables atomically. With ``refine.text_init``
and embeddings from the run's CLIP (the one ``near embed`` remembered), that CLIP's text tower
(``clip.templates``) supplies the class vectors and text-matched candidates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from near_core.candidates import candidates_rows
from near_core.clip import ClipError, text_encoder
from near_core.config import NearConfig, RefineConfig
from near_core.embed import STATE_KEY, load_embeddings, load_run_clip
from near_core.errors import NearError
from near_core.near import RefineResult, TextEncoder, refine_labels
from near_core.store import RunStore
from near_core.train.data import held_out_ids


class RefineStageError(NearError):
    """The run lacks what the refine stage needs (the message says which stage to run)."""


@dataclass(frozen=True)
class RefineSummary:
    images: int  #: images refined (with an embedding)
    answered: int  #: of which with at least one ok answer
    skipped_no_embedding: int  #: answered images without an embedding (left out)
    vocabulary: int  #: canonical names in the answers
    final_vocabulary: int  #: names predicted for at least one image
    unlabeled: int  #: images without a refined label
    encoder: str
    text: str  #: where the class text vectors came from ("none: <why>" when not used)
    agreement: float  #: neighbour/label agreement (kappa minus its error margin)
    trust: float  #: how far the geometry is trusted, in [0, 1] (0: labels left as answered)
    text_trust: float = 0.0  #: how far the text tower is trusted, in [0, 1] (0: not used)
    strength: float = 1.0  #: multiple of the logit scale and support prior used (0: answers)
    #: images scored against class vectors without their own share (chosen on held-out answers)
    leave_own_out: bool = False
    #: :func:`~near_core.vote.clump_test` of the refined labels (None: not run)
    clumps: dict[str, float | int | bool] | None = None
    voted: bool = False  #: answered images' labels are the kNN vote of the answers (clumped)
    vote_rest: bool = False  #: the other images' labels are the vote of the answered ones'

    def line(self) -> str:
        voted = ""
        if self.voted and self.clumps:
            rest = "their vote" if self.vote_rest else "their class means"
            voted = (f"; classes clumped (left out, a vote of the neighbours' answers predicts "
                     f"{self.clumps['vote']:.1%} of the answers, the refined class means "
                     f"{self.clumps['means']:.1%}): answered images take the kNN vote of the "
                     f"answers, the others {rest}")
        return (
            f"{self.images} images ({self.answered} answered, {self.skipped_no_embedding} "
            f"answered without embedding skipped), vocabulary {self.vocabulary} -> "
            f"{self.final_vocabulary} names, {self.unlabeled} unlabeled, encoder {self.encoder}, "
            f"text {self.text} (trust {self.text_trust:.2f}), neighbour agreement "
            f"{self.agreement:.3f} -> trust {self.trust:.2f}, strength {self.strength:.2f}"
            f"{', own share left out' if self.leave_own_out else ''}{voted}"
        )


def run_answers(store: RunStore) -> dict[str, list[str]]:
    """image_id -> its ok answers' labels (label, else first candidate), by sample order.

    Every ok row of an image counts (all models / prompt versions in the table)."""
    t = store.read("answers", columns=["image_id", "status", "label", "candidates", "sample_idx"])
    if t.num_rows == 0:
        raise RefineStageError(
            f"run {store.root} has no answers table ({store.path('answers')}): run `near label` "
            "first"
        )
    t = t.filter(pc.equal(t["status"], "ok"))
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in t.to_pylist():
        label = row["label"] or next(iter(row["candidates"] or []), None)
        if label:
            out[row["image_id"]].append((row["sample_idx"], label))
    if not out:
        raise RefineStageError(
            f"run {store.root}: the answers table has no ok answer with a label; rerun `near "
            "label` (failed rows are retried)"
        )
    return {k: [lab for _, lab in sorted(v)] for k, v in out.items()}


def choose_encoder(store: RunStore, config: RefineConfig) -> str:
    """The embeddings encoder to use (see the module docstring)."""
    t = store.read("embeddings", columns=["encoder"])
    if t.num_rows == 0:
        raise RefineStageError(
            f"run {store.root} has no embeddings table ({store.path('embeddings')}): run "
            "`near embed` first"
        )
    encoders = sorted(set(t["encoder"].to_pylist()))
    wanted = config.encoder or (store.state().get(STATE_KEY) or {}).get("encoder")
    if wanted is not None:
        if wanted not in encoders:
            raise RefineStageError(
                f"run {store.root}: no embeddings from encoder {wanted!r}; found {encoders}"
            )
        return wanted
    if len(encoders) > 1:
        raise RefineStageError(
            f"run {store.root} holds embeddings of several encoders {encoders}; choose one "
            "with --set refine.encoder=..."
        )
    return encoders[0]


def run_text_encoder(
    store: RunStore, config: NearConfig, encoder: str
) -> tuple[TextEncoder | None, str]:
    """``(text encoder, description)``: the run's CLIP text tower when ``refine.text_init`` is
    on and ``encoder`` is that CLIP's id, else ``(None, "none: <why>")``."""
    if not config.refine.text_init:
        return None, "none: refine.text_init is off"
    remembered = (store.state().get(STATE_KEY) or {}).get("encoder")
    if remembered != encoder:
        return None, f"none: embeddings encoder {encoder!r} is not the run's CLIP"
    try:
        clip = load_run_clip(store, config.clip, seed=config.seed)
    except ClipError as exc:
        return None, f"none: the run's CLIP cannot be loaded ({exc})"
    if clip.model_id != encoder:
        return None, f"none: the run's CLIP is now {clip.model_id!r}, embeddings are {encoder!r}"
    return text_encoder(clip, config.clip.templates), f"CLIP {clip.model_id}"


def refine_run(
    store: RunStore, *, config: NearConfig | RefineConfig | None = None
) -> tuple[RefineSummary, RefineResult]:
    """Run the refine stage on ``store`` and write its three tables.

    The answers of training's held-out validation slice
    (:func:`near_core.train.data.held_out_ids`) are withheld, so that the in-run validation
    scores refinement on images it never learnt from; those images' own labels still weigh
    their answers (``withheld_answers`` of :func:`~near_core.near.refine_labels`).

    ``config``: the whole config (``refine``, plus ``clip`` for the text tower and ``train``
    for the validation slice) or just its ``refine`` section (the other sections are then the
    defaults: the text tower follows the run's remembered CLIP choice, and the slice is that
    of the default ``train`` settings, whatever the run's training uses).
    """
    full = NearConfig(refine=config) if isinstance(config, RefineConfig) else config or NearConfig()
    cfg = full.refine
    answers = run_answers(store)
    held = held_out_ids(store, full)  # training's validation slice: never learnt from
    withheld = {i: a for i, a in answers.items() if i in held}
    answers = {i: a for i, a in answers.items() if i not in held}
    encoder = choose_encoder(store, cfg)
    ids, vectors = load_embeddings(store, encoder)
    encode_text, text = run_text_encoder(store, full, encoder)
    options = cfg.model_dump(exclude={"encoder", "text_init"})
    result = refine_labels(
        [answers.get(i, []) for i in ids], vectors, text_encoder=encode_text,
        withheld_answers=[withheld.get(i, []) for i in ids], **options
    )
    store.write("vocabulary", result.vocabulary.to_rows())
    store.write("candidates", candidates_rows(ids, result.candidates))
    store.write("labels", labels_table(ids, result))
    with_emb = set(ids)
    summary = RefineSummary(
        images=len(ids),
        answered=sum(1 for i in ids if answers.get(i)),
        skipped_no_embedding=sum(1 for i in answers if i not in with_emb),
        vocabulary=len(result.vocabulary),
        final_vocabulary=len(result.final_label_ids),
        unlabeled=sum(1 for lab in result.labels if lab is None),
        encoder=encoder,
        text=text,
        agreement=result.agreement,
        trust=result.trust,
        text_trust=result.text_trust,
        strength=result.strength,
        leave_own_out=result.leave_own_out,
        clumps=None if result.clumps is None else result.clumps.to_json(),
        voted=result.voted,
        vote_rest=result.vote_rest,
    )
    store.update_state(refine={"encoder": encoder, "final_vocabulary": summary.final_vocabulary})
    return summary, result


def labels_table(image_ids: list[str], result: RefineResult) -> pa.Table:
    """The ``labels`` table: image_id, label_id (null when unlabeled), label, confidence,
    clean_prob."""
    ids = [int(i) if i >= 0 else None for i in result.label_ids]
    return pa.table(
        {
            "image_id": pa.array(image_ids, pa.string()),
            "label_id": pa.array(ids, pa.int32()),
            "label": pa.array(result.labels, pa.string()),
            "confidence": pa.array(result.confidence, pa.float32()),
            "clean_prob": pa.array(result.clean_prob, pa.float32()),
        }
    )
