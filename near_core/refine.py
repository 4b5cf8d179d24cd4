"""The refine stage over a run directory: answers + embeddings -> vocabulary, candidates, labels.

Reads the ``answers`` table (rows with status ok; the parsed ``label``, else the first of
``candidates``; an image's n samples form its answer list) and the ``embeddings`` table (one
encoder: ``refine.encoder``, else the one ``near embed`` remembered, else the only one), runs
:func:`near_core.near.refine_labels` over the images that have an embedding, and replaces the
``vocabulary``, ``candidates`` and ``labels`` tables atomically.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from near_core.candidates import candidates_rows
from near_core.config import RefineConfig
from near_core.embed import STATE_KEY, load_embeddings
from near_core.errors import NearError
from near_core.near import RefineResult, TextEncoder, refine_labels
from near_core.store import RunStore


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

    def line(self) -> str:
        return (
            f"{self.images} images ({self.answered} answered, {self.skipped_no_embedding} "
            f"answered without embedding skipped), vocabulary {self.vocabulary} -> "
            f"{self.final_vocabulary} names, {self.unlabeled} unlabeled, encoder {self.encoder}"
        )


def run_answers(store: RunStore) -> dict[str, list[str]]:
    """image_id -> its ok answers' labels (label, else first candidate), by sample order."""
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


def refine_run(
    store: RunStore, *, config: RefineConfig | None = None, text_encoder: TextEncoder | None = None
) -> tuple[RefineSummary, RefineResult]:
    """Run the refine stage on ``store`` and write its three tables."""
    cfg = config or RefineConfig()
    answers = run_answers(store)
    encoder = choose_encoder(store, cfg)
    ids, vectors = load_embeddings(store, encoder)
    options = cfg.model_dump(exclude={"encoder"})
    result = refine_labels(
        [answers.get(i, []) for i in ids], vectors, text_encoder=text_encoder, **options
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
