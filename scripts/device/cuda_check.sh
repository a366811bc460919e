#!/bin/bash
# The GPU check of seglab's CUDA path, as one command for the device tool
# (run from the repository root on the GPU machine, .device carried; see
# scripts/device/bundle.py): builds the CUDA binaries, runs the CUDA tests, the
# default experiment on CUDA in fp32 and fp16, and bench/gpu beside PyTorch.
# Logs go to $OUT (or ./device-out).
#   scripts/device/cuda_check.sh [tests,quickstart,bench] [bench arguments...]
set -uo pipefail
out=${OUT:-$PWD/device-out}
mkdir -p "$out"
steps=${1:-tests,quickstart,bench}
shift || true
start=$(date +%s)
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.txt"
scripts/device/link_on_device.sh .device 2>&1 | tee "$out/build.txt" || exit 1
# The test binaries were compiled with the checkout at /work/main (SEGLAB_BINARY).
[ -e /work/main ] || { mkdir -p /work && ln -s "$PWD" /work/main; }
echo "built in $(( $(date +%s) - start )) s"
if [[ $steps == *tests* ]]; then
  build/tests/cuda_tests 2>&1 | tee "$out/cuda_tests.txt" | grep -E "^\[ *(OK|FAILED|SKIPPED|PASSED|figures) *\]|Failure|error" 
fi
if [[ $steps == *quickstart* ]]; then
  for precision in fp32 fp16; do
    ( time build/seglab train experiments/quickstart.ini --store /tmp/qs-store --set backend.device=cuda \
        --set backend.precision=$precision ) >"$out/quickstart_$precision.txt" 2>&1
    tail -4 "$out/quickstart_$precision.txt"
  done
  build/seglab runs list --store /tmp/qs-store 2>&1 | tee "$out/runs.txt"
fi
if [[ $steps == *bench* ]]; then
  PYTHONUNBUFFERED=1 python3 bench/gpu/run_gpu_bench.py --seglab build/bench/bench_gpu --out "$out/gpu_bench.txt" "$@"
fi
echo "total $(( $(date +%s) - start )) s"
