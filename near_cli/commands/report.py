"""`near report`: write the HTML report of a run (lands with issue #6)."""

from near_cli.common import add_config_args, add_run_arg, not_implemented


def register(sub) -> None:
    p = sub.add_parser("report", help="write the HTML report of a run", description="write the HTML report of a run")
    add_run_arg(p, required=False)
    add_config_args(p)
    p.set_defaults(func=not_implemented("report", 6))
