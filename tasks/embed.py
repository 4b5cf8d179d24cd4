"""Embed task: CLIP image embeddings of the run's ok images (near_core.embed).

One task per shard of image ids (flows.runner.map_shards). Cache key: the shard's image ids,
the CLIP weights' identity (model, tag / checkpoint file / seed) and the run directory.
Deterministic: no retries. Holds a slot of the GPU limit while the model is loaded.
"""

from __future__ import annotations

from typing import Any

from prefect import task

from near_core.config import NearConfig
from near_core.embed import clip_choice, embed_run, load_run_clip
from near_core.store import RunStore
from tasks.caching import ids_digest, key_fn, weights_identity
from tasks.gpu import gpu_slot
from tasks.summaries import summary_dict


def _embed_key(p: dict[str, Any]) -> list[Any]:
    cfg: NearConfig = p["config"]
    name, pretrained = clip_choice(RunStore(p["run_dir"]), cfg.clip)
    return [ids_digest(p["image_ids"]), weights_identity(name, pretrained, cfg.seed)]


@task(name="embed", cache_key_fn=key_fn("embed", _embed_key))
def embed_task(run_dir: str, image_ids: list[str], config: NearConfig) -> dict:
    """Embed the ok images ``image_ids`` of ``run_dir`` (one shard of the run's ok images;
    they key the cache) that lack an embedding for the chosen CLIP model. Returns
    ``{"encoder", "total", "cached", "embedded", "failed": [[image_id, reason], ...]}``.
    """
    store = RunStore(run_dir)
    with gpu_slot(config.orchestration, what=f"CLIP {config.clip.model} (embed, {run_dir})"):
        clip = load_run_clip(store, config.clip, seed=config.seed)
        summary = embed_run(store, clip, config=config.clip, image_ids=image_ids)
    return summary_dict(summary)
