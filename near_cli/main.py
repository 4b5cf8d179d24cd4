"""Entry point of the `near` console script: ``near COMMAND [options]``.

``main(argv)`` takes the argument list, so tests call ``main(["ingest", ...])``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from near_cli import commands
from near_cli.common import EXIT_USAGE
from near_core import __version__
from near_core.errors import NearError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="near",
        description="NeaR pipeline: unlabeled images -> fine-grained classifier with named classes.",
    )
    parser.add_argument("--version", action="version", version=f"near-pipeline {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in commands.ALL:
        module.register(sub)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except NearError as exc:
        print(f"near {args.command}: error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", EXIT_USAGE)
    except KeyboardInterrupt:
        print(f"near {args.command}: interrupted; completed work is saved", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
