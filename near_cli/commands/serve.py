"""`near serve`: start services: the vLLM MLLM server, Prefect deployments (lands with issue #3)."""

from near_cli.common import add_config_args, add_run_arg, not_implemented


def register(sub) -> None:
    p = sub.add_parser("serve", help="start services: the vLLM MLLM server, Prefect deployments", description="start services: the vLLM MLLM server, Prefect deployments")
    add_run_arg(p, required=False)
    add_config_args(p)
    p.set_defaults(func=not_implemented("serve", 3))
