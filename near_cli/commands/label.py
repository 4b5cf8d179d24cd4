"""`near label`: name images with the MLLM server (lands with issue #3)."""

from near_cli.common import add_config_args, add_run_arg, not_implemented


def register(sub) -> None:
    p = sub.add_parser("label", help="name images with the MLLM server", description="name images with the MLLM server")
    add_run_arg(p, required=False)
    add_config_args(p)
    p.set_defaults(func=not_implemented("label", 3))
