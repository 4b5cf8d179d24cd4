"""Label task: one batch of images named by the MLLM (near_core.mllm.labeler).

Cache key: the batch's image ids, the MLLM settings that decide the answers (model, prompt
template version, category, samples, temperature, ...), the seed and the run directory.
Flaky work: retried as ``orchestration.retries`` says (exponential backoff, jitter); a batch that still has failed
requests after the last retry fails the task (and the flow) with :class:`LabelIncomplete`.
Every answer received is already in the run's ``answers`` table, so a rerun sends only the
missing requests.
"""

from __future__ import annotations

from typing import Any

from prefect import task

from near_core.config import NearConfig
from near_core.errors import PartialError
from near_core.mllm.labeler import label_images
from near_core.mllm.prompts import load_template
from near_core.store import RunStore
from tasks.caching import ids_digest, key_fn, mllm_params
from tasks.retries import FLAKY
from tasks.secrets import mllm_api_key
from tasks.summaries import summary_dict


class LabelIncomplete(PartialError):
    """Some images of a batch have no answer after every retry (exit code 1: partial)."""


def _label_key(p: dict[str, Any]) -> list[Any]:
    cfg: NearConfig = p["config"]
    return [ids_digest(p["image_ids"]), mllm_params(cfg), load_template(cfg.mllm.prompt).version,
            cfg.seed]


@task(name="label", cache_key_fn=key_fn("label", _label_key), **FLAKY)
def label_task(run_dir: str, image_ids: list[str], config: NearConfig) -> dict:
    """Ask the MLLM for the images ``image_ids`` of ``run_dir`` that lack answers.

    Returns the labeler's summary (near_core.mllm.labeler.LabelSummary) as a dict
    (``images``, ``cached``, ``labeled``, ``requests_sent``, ``prompt_tokens``,
    ``completion_tokens``, ``wall_s``, ``model``, ``prompt_version``, ``category``, ...). Raises LabelIncomplete when some images still failed.
    """
    s = label_images(RunStore(run_dir), config.mllm, seed=config.seed, api_key=mllm_api_key(config),
                     image_ids=image_ids)
    if not s.complete:
        errors = ", ".join(f"{k} x{v}" for k, v in s.errors.most_common(3)) or "see the log"
        raise LabelIncomplete(
            f"label: {s.images - s.labeled} of {s.images} images still have failed MLLM "
            f"requests at {config.mllm.url} ({errors}); the {s.labeled} answered are saved in "
            f"{run_dir}/answers and a rerun requests only the missing ones"
        )
    return summary_dict(s)
