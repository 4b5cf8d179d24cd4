"""Shared CLI plumbing: config arguments, exit codes, errors."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from near_core.config import NearConfig, dump_config, resolve
from near_core.errors import (  # noqa: F401 - re-exported for the commands
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_UNAVAILABLE,
    EXIT_USAGE,
)


def exit_status(*, partial: bool) -> int:
    """EXIT_PARTIAL when some items failed (saved as failed; a rerun retries them), else
    EXIT_OK: the end of every command that can half-succeed."""
    return EXIT_PARTIAL if partial else EXIT_OK


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
    """Config from --config, the environment, --set and the command's own flags (highest),
    resolved once by :func:`near_core.config.resolve`.

    ``flags`` maps dotted config keys to flag values; None means the flag was not given.
    When the command has a run directory, the resolved config is dumped into it.
    """
    cfg = resolve(args.config, args.overrides, flags=flags)
    run_dir = getattr(args, "run_dir", None)
    if run_dir is not None:
        dump_config(cfg, run_dir)
    return cfg
