"""Refine task: vocabulary, NeaR candidate sets and refined labels (near_core.refine).

Cache key: the MLLM answers' content (which images, which names), the embeddings' encoder,
the refine config and the run directory. Images added to the run without answers do not
change it: the training set is the MLLM-labeled sample, and new images are labeled by CLIP
at relabel time instead of retraining. Deterministic: no retries.
"""

from __future__ import annotations

from typing import Any

from prefect import task

from near_core.config import NearConfig
from near_core.refine import refine_run
from near_core.store import RunStore
from tasks.caching import key_fn, section_params, table_digest
from tasks.summaries import summary_dict


def _refine_key(p: dict[str, Any]) -> list[Any]:
    # the answers, not the embeddings: images added later (no answer) go to CLIP only, so
    # they neither refine nor retrain anything
    answers = table_digest(RunStore(p["run_dir"]), "answers")
    held = p["config"].train  # the validation slice refine leaves out (near_core.refine)
    return [p["encoder"], answers, section_params(p["config"], "refine"),
            [held.seed, held.validation_fraction, held.validation_min]]


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
