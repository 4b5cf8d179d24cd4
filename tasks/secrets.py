"""Secrets the tasks read from Prefect blocks (one place for every task that calls the MLLM)."""

from __future__ import annotations

from near_core.config import NearConfig


def mllm_api_key(cfg: NearConfig) -> str | None:
    """The MLLM API key from the Prefect Secret block ``mllm.api_key_secret`` when one is
    named (else None: the labeler reads the ``mllm.api_key_env`` variable)."""
    if not cfg.mllm.api_key_secret:
        return None
    from prefect.blocks.system import Secret

    return Secret.load(cfg.mllm.api_key_secret).get()
