"""`near train`: fine-tune CLIP with the NeaR objective (lands with issue #5)."""

from near_cli.common import add_config_args, add_run_arg, not_implemented


def register(sub) -> None:
    p = sub.add_parser("train", help="fine-tune CLIP with the NeaR objective", description="fine-tune CLIP with the NeaR objective")
    add_run_arg(p, required=False)
    add_config_args(p)
    p.set_defaults(func=not_implemented("train", 5))
