"""`near run SOURCE --run RUN_DIR --mllm-url URL --model NAME ...`: the whole pipeline.

Runs the ``near-pipeline`` Prefect flow: on Prefect's local ephemeral API by default (no
server needed), on the Prefect server in PREFECT_API_URL when that is set.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from near_cli.common import EXIT_OK, add_config_args, add_run_arg, resolve_config
from near_core.config import NearConfig


def register(sub) -> None:
    p = sub.add_parser(
        "run",
        help="run the whole pipeline on a folder of images",
        description="Ingest SOURCE, name at most --label-budget images with the MLLM, refine "
        "the labels (NeaR), train CLIP, label every other image with CLIP, write the report. "
        "Cached: a rerun sends no MLLM request and recomputes nothing; new images in SOURCE "
        "are labeled by CLIP. Runs as the Prefect flow near-pipeline (ephemeral local API, or "
        "the server in PREFECT_API_URL).",
    )
    p.add_argument("source", help="folder or text file of image paths")
    add_run_arg(p)
    p.add_argument("--mllm-url", help="OpenAI-compatible MLLM server URL, e.g. http://gpu:8000/v1")
    p.add_argument("--model", help="MLLM model name served there")
    p.add_argument("--clip-model", help="open_clip model name (e.g. ViT-B-16, near-tiny)")
    p.add_argument("--clip-pretrained", metavar="TAG_OR_PATH",
                   help="open_clip pretrained tag or local checkpoint file")
    p.add_argument("--label-budget", type=int, help="at most N images sent to the MLLM")
    p.add_argument("--truth", metavar="folder|CSV",
                   help="ground truth for the report's metrics: 'folder' or a CSV path,label")
    add_config_args(p)
    p.set_defaults(func=run)


def run_pipeline(*, source: str, run_dir: Path, cfg: NearConfig, truth: str | None = None) -> dict:
    """Run the near-pipeline flow on the resolved config ``cfg``, with the task runner it asks
    for; returns its summary. Checks first that the Prefect API in PREFECT_API_URL answers
    (PrefectUnavailable, exit code 3, when it does not)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.pipeline import pipeline_flow
    from flows.runner import check_api, make_task_runner

    check_api()
    return pipeline_flow.with_options(task_runner=make_task_runner(cfg.orchestration))(
        source=str(Path(source).resolve()), run_dir=str(run_dir.resolve()), truth=truth,
        config=cfg,
    )


def print_summary(result: dict) -> None:
    label, relabel, report = result["label"], result["relabel"], result["report"]
    predicted = 0 if relabel["from_cache"] else relabel["predicted"]
    print(f"near run: {result['ingest']['summary']}")
    print(f"near run: MLLM: {label['requests_sent']} requests, {label['labeled']} of "
          f"{label['images']} budgeted images labeled ({label['cached']} from earlier runs); "
          f"CLIP: {predicted} images predicted this run, {relabel['total']} in all")
    print(f"near run: classifier bundle {result['train']['bundle']}")
    validation = result["train"].get("validation") or {}
    if validation.get("images"):
        stages = validation["stages"]
        print(f"near run: agreement with the MLLM on {validation['images']} held-out named "
              "images: " + ", ".join(f"{k} {v:.3f}" for k, v in stages.items() if v is not None))
    if validation.get("flag"):
        print(f"near run: {validation['flag']}")
    metrics = report.get("metrics")
    if metrics:
        print(f"near run: cACC {metrics['cacc']:.3f}  sACC {metrics['sacc']:.3f} "
              f"({metrics['sacc_encoder']})  NMI {metrics['nmi']:.3f}  vocabulary "
              f"{metrics['vocab_size']} names for {metrics['true_classes']} classes")
        for row in report.get("by_source", []):
            print(f"near run:   {row['labels']}: {row['images']} images, cACC {row['cACC']:.3f}, "
                  f"sACC {row['sACC']:.3f}, {row['names']} names")
    print(f"near run: report {report['path']}")


def run(args: argparse.Namespace) -> int:
    cfg = resolve_config(args, {"mllm.url": args.mllm_url, "mllm.model": args.model,
                                "clip.model": args.clip_model,
                                "clip.pretrained": args.clip_pretrained,
                                "mllm.label_budget": args.label_budget})
    from near_core.preflight import check_config

    check_config(cfg)  # fail fast, before any MLLM request: bad config, models, weights
    result = run_pipeline(source=args.source, run_dir=args.run_dir, cfg=cfg, truth=args.truth)
    print_summary(result)
    return EXIT_OK
