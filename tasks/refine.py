"""Refine task: vocabulary, NeaR candidate sets and refined labels (near_core.refine).

Cache key: the MLLM answers' content (which images, which names), the embeddings' encoder,
the refine config, the source of the refine algorithm's modules (an upgraded algorithm
refines again) and the run directory. Images added to the run without answers do not change
it: the training set is the MLLM-labeled sample, and new images are labeled by CLIP at
relabel time instead of retraining. Deterministic: no retries.
"""

from __future__ import annotations

from typing import Any

from prefect import task

import near_core.candidates
import near_core.knn
import near_core.near
import near_core.objective
import near_core.refine
import near_core.sparse_targets
import near_core.vocabulary
import near_core.vote
from near_core.config import NearConfig
from near_core.refine import refine_run
from near_core.store import RunStore
from tasks.caching import code_digest, key_fn, section_params, table_digest
from tasks.summaries import summary_dict

#: the modules whose code decides the refined labels (candidates, the head, the clump test)
_ALGORITHM = (near_core.refine, near_core.near, near_core.vote, near_core.candidates,
              near_core.objective, near_core.sparse_targets, near_core.vocabulary, near_core.knn)


def _refine_key(p: dict[str, Any]) -> list[Any]:
    # the answers, not the embeddings: images added later (no answer) go to CLIP only, so
    # they neither refine nor retrain anything
    answers = table_digest(RunStore(p["run_dir"]), "answers")
    held = p["config"].train  # the validation slice refine leaves out (near_core.refine)
    return [p["encoder"], answers, section_params(p["config"], "refine"),
            [held.seed, held.validation_fraction, held.validation_min], code_digest(*_ALGORITHM)]


@task(name="refine", cache_key_fn=key_fn("refine", _refine_key))
def refine_task(run_dir: str, encoder: str, config: NearConfig) -> dict:
    """Refine the run's answers over its embeddings from ``encoder`` (a model id). Writes the vocabulary, candidates and labels tables; returns
    the stage summary (``images``, ``answered``, ``vocabulary``, ``final_vocabulary``,
    ``unlabeled``, ``encoder``, ...)."""
    # the whole config: the run's train section chooses the validation slice refine leaves
    # out, its clip section the text tower (the refine section alone would mean the defaults)
    cfg = config.model_copy(update={"refine": config.refine.model_copy(update={"encoder": encoder})})
    summary, _ = refine_run(RunStore(run_dir), config=cfg)
    return summary_dict(summary)
