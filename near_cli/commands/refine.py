"""`near refine`: build the vocabulary and refine labels (NeaR) (lands with issue #4)."""

from near_cli.common import add_config_args, add_run_arg, not_implemented


def register(sub) -> None:
    p = sub.add_parser("refine", help="build the vocabulary and refine labels (NeaR)", description="build the vocabulary and refine labels (NeaR)")
    add_run_arg(p, required=False)
    add_config_args(p)
    p.set_defaults(func=not_implemented("refine", 4))
