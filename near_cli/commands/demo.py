"""`near demo`: offline end-to-end demo on generated images (lands with issue #6)."""

from near_cli.common import add_config_args, add_run_arg, not_implemented


def register(sub) -> None:
    p = sub.add_parser("demo", help="offline end-to-end demo on generated images", description="offline end-to-end demo on generated images")
    add_run_arg(p, required=False)
    add_config_args(p)
    p.set_defaults(func=not_implemented("demo", 6))
