#!/usr/bin/env bash
# Configures and builds seglab into ./build (Release, Ninja, ccache when present).
#   scripts/build.sh [extra cmake -D options]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${SEGLAB_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-Release} "$@"
cmake --build "$build_dir" --parallel "${SEGLAB_JOBS:-$(nproc)}"
