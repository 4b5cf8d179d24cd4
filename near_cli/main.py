"""Entry point of the `near` console script: ``near COMMAND [options]``.

``main(argv)`` takes the argument list, so tests call ``main(["ingest", ...])``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from near_cli import commands
from near_core import __version__
from near_core.errors import EXIT_INTERRUPTED, NearError, UnavailableError


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
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"near {args.command}: interrupted; completed work is saved", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        lost = _connection_error(exc)
        if lost is None:
            raise
        err = UnavailableError(f"a service stopped answering: {_describe(lost)}; completed work "
                               "is saved, rerun the command once it answers")
        print(f"near {args.command}: error: {err}", file=sys.stderr)
        return err.exit_code


def _connection_error(exc: BaseException | None) -> BaseException | None:
    """The network failure (e.g. the Prefect API went away mid-run) that is ``exc`` or that
    ``exc`` was raised from; None when there is none."""
    import httpx

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (httpx.TransportError, ConnectionError)):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _describe(exc: BaseException) -> str:
    request = getattr(exc, "_request", None)  # httpx errors: where it was going
    where = f" ({request.method} {request.url})" if request is not None else ""
    return f"{type(exc).__name__}: {exc}{where}"


if __name__ == "__main__":
    sys.exit(main())
