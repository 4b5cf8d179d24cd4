#!/usr/bin/env bash
# Run the test suite (offline). Extra arguments go to pytest.
#
#   bash scripts/test.sh [PYTEST_ARGS...]
#
# Uses NEAR_PYTHON, else .venv/bin/python, else the python on PATH. The real-vLLM tests run
# when NEAR_VLLM_PYTHON and NEAR_VLLM_MODEL are set (scripts/setup_vllm.sh prints them);
# with NEAR_REQUIRE_VLLM=1 (CI) they fail instead of being skipped.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
py=${NEAR_PYTHON:-}
if [[ -z "$py" ]]; then
    if [[ -x .venv/bin/python ]]; then py=.venv/bin/python; else py=python; fi
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PREFECT_SERVER_ANALYTICS_ENABLED=false
"$py" -m ruff check . || exit 1
"$py" -m pytest "$@"
rc=$?
if [[ $rc -eq 5 ]]; then
    echo "test.sh: pytest collected no tests: failing" >&2
    exit 1
fi
exit $rc
