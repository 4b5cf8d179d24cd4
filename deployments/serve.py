"""Serve the NeaR deployments against the Prefect API in PREFECT_API_URL.

``near serve deployments`` calls :func:`main`. Three deployments, served from this process
(the runner polls the server and starts each flow run in a subprocess):

- ``near-pipeline/pipeline``: the whole pipeline; parameters mirror ``near run`` (source,
  run_dir, mllm_url, model, clip_model, clip_pretrained, label_budget, ...), for runs
  triggered from the UI or the REST API.
- ``near-relabel/relabel-inbox``: relabels the images that arrived in an inbox folder since
  the last run with a trained run's CLIP classifier, on an interval or cron schedule (no
  schedule when no inbox is given: trigger it with parameters). At most one run at a time.
  With ``--discover`` (parameters ``discover``, ``label_budget``, ``mllm_url``, ``model``)
  each run first looks for classes the classifier has never seen (near_core.discover).
- ``near-label/label``: MLLM labeling only.

The GPU concurrency limit (``orchestration.gpu_limit``) is created at startup when missing.
``deployments/prefect.yaml`` describes the same deployments for ``prefect deploy`` to a work
pool.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from near_core.config import resolve
from near_core.errors import NearError


class ServeError(NearError):
    """The deployments cannot be served as asked (bad arguments; exit code 2)."""


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """Arguments of ``near serve deployments`` (added to ``parser`` when given)."""
    p = parser or argparse.ArgumentParser(prog="near serve deployments", description=__doc__)
    p.add_argument("--config", help="TOML config file passed to every flow run")
    p.add_argument("--inbox", help="folder the relabel deployment watches for new images")
    p.add_argument("--relabel-run", metavar="RUN_DIR",
                   help="trained run whose classifier relabels the inbox (required with --inbox)")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--interval", type=float, default=300.0,
                      help="seconds between relabel runs (default 300)")
    when.add_argument("--cron", help="cron expression for relabel runs (instead of --interval)")
    p.add_argument("--discover", action="store_true",
                   help="relabel deployment: look for new classes in each batch (discovery; "
                   "needs --mllm-url/--model or the config's mllm section)")
    p.add_argument("--label-budget", type=int, default=None,
                   help="relabel deployment with --discover: MLLM requests per batch at most")
    p.add_argument("--mllm-url", help="relabel deployment with --discover: MLLM server URL")
    p.add_argument("--model", help="relabel deployment with --discover: MLLM model name")
    p.add_argument("--limit", type=int, default=None,
                   help="at most this many flow runs at once in this process")
    return p


def build_deployments(args: argparse.Namespace) -> list:
    """The three RunnerDeployments, with the task runner the config asks for."""
    from flows.label import label_flow
    from flows.pipeline import pipeline_flow
    from flows.relabel import relabel_flow
    from flows.runner import make_task_runner

    if args.inbox and not args.relabel_run:
        raise ServeError("--inbox needs --relabel-run RUN_DIR (the trained run to relabel with)")
    runner = make_task_runner(resolve(args.config).orchestration)
    common = {"config_path": str(Path(args.config).resolve())} if args.config else {}
    relabel_params = dict(common)
    schedule: dict = {}
    if args.inbox:
        relabel_params |= {"inbox": str(Path(args.inbox).resolve()),
                           "run_dir": str(Path(args.relabel_run).resolve())}
        schedule = {"cron": args.cron} if args.cron else {"interval": args.interval}
    if getattr(args, "discover", False):
        relabel_params |= {"discover": True} | {
            k: v for k, v in (("label_budget", args.label_budget), ("mllm_url", args.mllm_url),
                              ("model", args.model)) if v is not None}
    return [
        pipeline_flow.with_options(task_runner=runner).to_deployment(
            name="pipeline", parameters=common, tags=["near"],
            description="Whole NeaR pipeline on a folder of images (parameters as `near run`).",
        ),
        relabel_flow.with_options(task_runner=runner).to_deployment(
            name="relabel-inbox", parameters=relabel_params, concurrency_limit=1, tags=["near"],
            description="Relabel new images of an inbox folder with a trained run's classifier.",
            **schedule,
        ),
        label_flow.with_options(task_runner=runner).to_deployment(
            name="label", parameters=common, tags=["near"],
            description="MLLM labeling of a run's images (cached, resumable).",
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until interrupted (SIGINT/SIGTERM). Raises PrefectUnavailable (exit code 3) when
    no Prefect API is configured or it does not answer."""
    args = build_parser().parse_args(argv)
    from prefect import serve

    from flows.runner import check_api
    from tasks.gpu import ensure_gpu_limit

    check_api(required=True)
    ensure_gpu_limit(resolve(args.config).orchestration)
    deployments = build_deployments(args)
    serve(*deployments, limit=args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
