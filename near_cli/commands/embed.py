"""`near embed`: embed images with CLIP (lands with issue #5)."""

from near_cli.common import add_config_args, add_run_arg, not_implemented


def register(sub) -> None:
    p = sub.add_parser("embed", help="embed images with CLIP", description="embed images with CLIP")
    add_run_arg(p, required=False)
    add_config_args(p)
    p.set_defaults(func=not_implemented("embed", 5))
