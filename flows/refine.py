"""``near-refine``: CLIP embeddings of the run's images, then vocabulary and NeaR refinement.

:func:`embed_stage` (:func:`start_embed_stage`) and :func:`refine_stage` are shared with
``near-pipeline``.
"""

from __future__ import annotations

from prefect import flow
from prefect.futures import PrefectFutureList

from flows.runner import flow_config, map_shards, run_path, run_task, shard_outcomes
from near_core.config import NearConfig
from near_core.ingest import current_images
from near_core.store import RunStore
from tasks.embed import embed_task
from tasks.gpu import ensure_gpu_limit
from tasks.refine import refine_task


def embed_stage(run_dir: str, image_ids: list[str], cfg: NearConfig) -> dict:
    """Embed the images ``image_ids`` of the run with the run's CLIP, one task per shard
    (cached per shard and model); the summed counts (:func:`flows.runner.shard_outcomes`)."""
    return shard_outcomes(start_embed_stage(run_dir, image_ids, cfg))


def start_embed_stage(run_dir: str, image_ids: list[str],
                      cfg: NearConfig) -> PrefectFutureList:
    """:func:`embed_stage` started on the flow's task runner (``near-pipeline`` embeds while
    the MLLM labels): the shard futures; ``shard_outcomes(futures)`` is its dict."""
    return map_shards(embed_task, cfg, run_dir, image_ids)


def refine_stage(run_dir: str, encoder: str, cfg: NearConfig) -> dict:
    """Refine the run's answers over the embeddings of ``encoder``."""
    return run_task(refine_task, cfg, run_dir, encoder=encoder)


@flow(name="near-refine", log_prints=True)
def refine_flow(
    run_dir: str,
    clip_model: str | None = None,
    clip_pretrained: str | None = None,
    k: int | None = None,
    config_path: str | None = None,
    overrides: list[str] | None = None,
    config: NearConfig | None = None,
) -> dict:
    """Embed ``run_dir``'s ok images (cached per shard and model) and refine its MLLM answers
    with ``k`` neighbours; returns the refine summary plus ``embed`` (the embed counts).
    ``config``: the resolved configuration (the other settings are then ignored)."""
    run_dir = run_path(run_dir)
    cfg = flow_config(run_dir, config, config_path, overrides, {
        "clip.model": clip_model, "clip.pretrained": clip_pretrained, "refine.k": k})
    ensure_gpu_limit(cfg.orchestration)
    ok_ids = current_images(RunStore(run_dir))["image_id"].to_pylist()
    embed = embed_stage(run_dir, ok_ids, cfg)
    summary = refine_stage(run_dir, embed["encoder"], cfg)
    print(f"refine: vocabulary {summary['vocabulary']} -> {summary['final_vocabulary']} names "
          f"over {summary['images']} images")
    return summary | {"embed": embed}
