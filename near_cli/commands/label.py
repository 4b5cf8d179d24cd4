"""`near label --run RUN_DIR`: name every ok image of the run with the MLLM server.

Exit codes: 0 every targeted image has all its answers; 1 (EXIT_PARTIAL) some requests failed
and were recorded as failed rows, which the next `near label` retries; 3 (EXIT_UNAVAILABLE) the
server cannot be reached (or stopped answering mid-run: what completed is saved); 2 bad
arguments, config, or a request the server rejects for every image (wrong model name, API key).

`--import FILE` and `--export-batch FILE` do not contact the server: they import answers made
elsewhere (batch output .jsonl or FiNDR-format .json), or write the pending requests as a
`vllm run-batch` input file, then exit. `--requery-low-confidence` asks again, constrained to the
classifier's class names, about the images `near relabel` flagged as low confidence; the
answers join the cache and count at the next `near refine`/`near train`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from near_cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    add_config_args,
    add_run_arg,
    exit_status,
    resolve_config,
)
from near_core.ingest import current_images
from near_core.mllm.batchio import export_batch, import_answers
from near_core.mllm.labeler import label_images
from near_core.relabel import low_confidence_requery
from near_core.store import RunStore


def register(sub) -> None:
    p = sub.add_parser(
        "label",
        help="name images with the MLLM server",
        description="Ask the MLLM server (OpenAI API, e.g. vLLM) to name every ok image of the "
        "run. Answers are cached in the run's answers table: a rerun sends only missing or "
        "failed requests. Exit codes: 0 all answered, 1 some failed (recorded, retried by the "
        "next run), 2 bad input or a request the server rejects, 3 server unreachable.",
    )
    add_run_arg(p)
    p.add_argument("--mllm-url", help="OpenAI base URL, e.g. http://127.0.0.1:8000/v1")
    p.add_argument("--model", help="served model name")
    p.add_argument("--samples", type=int, help="answers per image (n)")
    p.add_argument("--concurrency", type=int, help="requests in flight at most")
    p.add_argument("--timeout", type=float, help="seconds per request attempt")
    p.add_argument("--label-budget", type=int, help="label at most this many images (seeded sample)")
    p.add_argument("--category", help="what the images show, e.g. 'bird species'")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--import", dest="import_file", type=Path, metavar="FILE",
                        help="import answers (batch output .jsonl or FiNDR .json) and exit")
    action.add_argument("--export-batch", type=Path, metavar="FILE",
                        help="write pending requests as a `vllm run-batch` input file and exit")
    action.add_argument("--requery-low-confidence", action="store_true",
                        help="ask again about the images the CLIP classifier flagged as low "
                        "confidence, answers constrained to the classifier's class names")
    add_config_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = resolve_config(args, {
        "mllm.url": args.mllm_url, "mllm.model": args.model, "mllm.samples": args.samples,
        "mllm.concurrency": args.concurrency, "mllm.timeout_s": args.timeout,
        "mllm.label_budget": args.label_budget, "mllm.category": args.category,
    })
    store = RunStore(args.run_dir)
    if args.import_file is not None:
        imp = import_answers(store, args.import_file, model=cfg.mllm.model,
                             structured=cfg.mllm.structured_output)
        print(f"label: imported {imp.line()}")
        return exit_status(partial=bool(imp.unmatched or imp.failed))
    if args.export_batch is not None:
        count = export_batch(store, cfg.mllm, args.export_batch, seed=cfg.seed)
        print(f"label: {count} pending requests written to {args.export_batch}")
        return EXIT_OK
    if current_images(store).num_rows == 0:
        print(f"near label: {args.run_dir} has no ok images; run `near ingest SOURCE --run "
              f"{args.run_dir}` first", file=sys.stderr)
        return EXIT_USAGE
    image_ids = choices = None
    if args.requery_low_confidence:
        image_ids, choices = low_confidence_requery(store, cfg.relabel)
        if not image_ids:
            print("label: no low-confidence prediction to re-query")
            return EXIT_OK
    summary = label_images(store, cfg.mllm, seed=cfg.seed, progress=True,
                           image_ids=image_ids, choices=choices)
    print(f"label: {summary.line()}")
    if not summary.complete:
        print(f"label: {summary.images - summary.labeled} image(s) lack answers; they are "
              "recorded as failed and retried by the next `near label`")
    return exit_status(partial=not summary.complete)
