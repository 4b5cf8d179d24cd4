#!/usr/bin/env bash
# Create (or reuse) the project's Python environment.
#
#   bash scripts/setup.sh [VENV_DIR]        default: .venv in the repository
#
# torch and torchvision are installed first (NEAR_TORCH, default torch==2.14.1 torchvision==0.29.1;
# pip takes them from this machine's disk where they lie there), then the project in editable mode
# with the extras in NEAR_EXTRAS (default cpu,metrics,dev; use gpu,metrics,dev on a CUDA box).
# A venv whose stamp matches pyproject.toml, this script and those settings is reused as is;
# the project is always (re)installed in editable mode so the venv points at this checkout.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${1:-${NEAR_VENV:-$repo/.venv}}
torch_spec=${NEAR_TORCH:-"torch==2.14.1 torchvision==0.29.1"}
extras=${NEAR_EXTRAS:-cpu,metrics,dev}
python=${NEAR_BASE_PYTHON:-python3}

stamp_value=$( { cat "$repo/pyproject.toml" "${BASH_SOURCE[0]}"; echo "$torch_spec $extras"; } \
    | sha256sum | cut -d' ' -f1)
stamp="$venv/.near-env.stamp"
log() { echo "setup: $*" >&2; }

if [[ -f "$stamp" && "$(cat "$stamp")" == "$stamp_value" && -x "$venv/bin/python" ]]; then
    log "reusing complete environment $venv"
else
    log "building environment $venv (torch first: a few minutes)"
    rm -f "$stamp"
    "$python" -m venv "$venv"
    pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
    # shellcheck disable=SC2086
    "${pip[@]}" install $torch_spec
    "${pip[@]}" install -e "$repo[$extras]"
    echo "$stamp_value" > "$stamp"
fi
"$venv/bin/python" -m pip --disable-pip-version-check -q install --no-deps --no-build-isolation \
    -e "$repo" 2>&1 | grep -v "^WARNING: Location" >&2 || true
"$venv/bin/python" -c "import near_core, open_clip, prefect, faiss" \
    || { log "environment $venv is incomplete; delete it and rerun"; exit 1; }
log "ready: source $venv/bin/activate"
