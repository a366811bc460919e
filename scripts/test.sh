#!/usr/bin/env bash
# Installs what is missing (test references included), builds, and runs the whole
# suite; then the same suite under ASan + UBSan (scripts/sanitize.sh) and each
# libFuzzer target for SEGLAB_FUZZ_SECONDS (default 60) s (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
scripts/build.sh
(cd "${SEGLAB_BUILD_DIR:-build}" && ctest --output-on-failure --timeout 900 -j "${SEGLAB_TEST_JOBS:-$(nproc)}")
scripts/sanitize.sh
scripts/fuzz.sh "${SEGLAB_FUZZ_SECONDS:-60}"
