#!/usr/bin/env bash
# GPU check of the CLIP stages (bench/gpu_check.py) on a lent device; installs nothing from
# the network. open_clip and the few pure-Python packages the device image lacks travel as
# wheels in .whl/ (the device image already has torch, torchvision, timm, safetensors, pyarrow,
# pillow, regex, huggingface-hub).
#
#   1. here, once:     echo /.whl/ >> .git/info/exclude && bash bench/gpu_check.sh fetch
#   2. on the device:  run(command="bash bench/gpu_check.sh", carry=[".whl"], timeout_s=420)
#
# Extra arguments go to gpu_check.py (e.g. --batches 64,256 --model ViT-B-32).
# The table is printed and written to $OUT/gpu_check.md when OUT is set.
set -euo pipefail
cd "$(dirname "$0")/.."

WHEELS=(
  open_clip_torch==3.3.0 ftfy==6.3.1 wcwidth==0.9.4
  pydantic==2.14.4 pydantic_core==2.50.5 annotated-types==0.8.0 typing-inspection==0.4.5
  tomli_w==1.2.0
)

if [[ "${1:-}" == "fetch" ]]; then
  python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 \
    --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 --platform any -d .whl "${WHEELS[@]}"
  exit 0
fi

if ! ls .whl/open_clip_torch-*.whl >/dev/null 2>&1; then
  echo "gpu_check: no wheels in .whl/: run 'bash bench/gpu_check.sh fetch' here first" >&2
  exit 2
fi
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
  --target /tmp/near-site .whl/*.whl
export PYTHONPATH="/tmp/near-site:$PWD" PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 bench/gpu_check.py "$@" | tee "${OUT:-/tmp}/gpu_check.md"
