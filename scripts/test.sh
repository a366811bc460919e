#!/usr/bin/env bash
# Installs what is missing (test references included), builds, and runs the whole
# suite; then each libFuzzer target for SEGLAB_FUZZ_SECONDS (default 60) s
# (scripts/fuzz.sh). The suite under ASan + UBSan (scripts/sanitize.sh) is not
# part of it yet: it has not passed whole (see README, Sanitizers and fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
scripts/build.sh
(cd "${SEGLAB_BUILD_DIR:-build}" && ctest --output-on-failure --timeout 900 -j "${SEGLAB_TEST_JOBS:-$(nproc)}")
scripts/fuzz.sh "${SEGLAB_FUZZ_SECONDS:-60}"
