"""One module per CLI command group; each exposes ``register(subparsers)``."""

from near_cli.commands import (
    demo,
    embed,
    ingest,
    label,
    refine,
    relabel,
    report,
    run,
    serve,
    train,
)

ALL = [ingest, label, embed, refine, train, relabel, run, report, serve, demo]
