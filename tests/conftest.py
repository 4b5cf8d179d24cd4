"""Shared test setup: offline, quiet, isolated Prefect home, small thread pools."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """An empty run directory."""
    d = tmp_path / "run"
    d.mkdir()
    return d


def pytest_configure(config: pytest.Config) -> None:
    """In CI (NEAR_REQUIRE_VLLM=1) the real-vLLM tests must run, never be skipped."""
    if os.environ.get("NEAR_REQUIRE_VLLM") == "1" and not (
        os.environ.get("NEAR_VLLM_PYTHON") and os.environ.get("NEAR_VLLM_MODEL")
    ):
        raise pytest.UsageError(
            "NEAR_REQUIRE_VLLM=1 but NEAR_VLLM_PYTHON / NEAR_VLLM_MODEL are unset: "
            "run scripts/setup_vllm.sh DIR and export what it prints"
        )


@pytest.fixture(scope="session")
def discovery_run(tmp_path_factory) -> Path:
    """A run trained on 6 synthetic classes with discovery batches next to it (built once per
    session: tests.discover_helpers.train_run). Copy it before changing it."""
    from tests.discover_helpers import train_run

    return train_run(tmp_path_factory.mktemp("discover"))
