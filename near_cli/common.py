"""Shared CLI plumbing: config arguments, exit codes, errors."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from near_core.config import NearConfig, dump_config, load_config, parse_assignments

#: exit codes, documented in the README
EXIT_OK = 0
EXIT_PARTIAL = 1  # the stage finished but some items failed and were recorded for a rerun
EXIT_USAGE = 2  # bad arguments, config or input
EXIT_UNAVAILABLE = 3  # a required service (MLLM server, Prefect API) cannot be reached


def add_config_args(parser: argparse.ArgumentParser) -> None:
    """--config FILE and repeatable --set section.key=value."""
    parser.add_argument("--config", type=Path, help="TOML config file")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override one config value (repeatable), e.g. --set mllm.concurrency=32",
    )


def add_run_arg(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--run", dest="run_dir", type=Path, required=required, metavar="RUN_DIR",
                        help="run directory (created when missing)")


def resolve_config(args: argparse.Namespace, flags: Mapping[str, Any] | None = None) -> NearConfig:
    """Config from --config, the environment, --set and the command's own flags (highest).

    ``flags`` maps dotted config keys to flag values; None means the flag was not given.
    When the command has a run directory, the resolved config is dumped into it.
    """
    overrides = parse_assignments(args.overrides) | {
        k: v for k, v in (flags or {}).items() if v is not None
    }
    cfg = load_config(args.config, overrides)
    run_dir = getattr(args, "run_dir", None)
    if run_dir is not None:
        dump_config(cfg, run_dir)
    return cfg
