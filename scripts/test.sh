#!/usr/bin/env bash
# Installs what is missing (test references included), builds, and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
scripts/build.sh
cd "${SEGLAB_BUILD_DIR:-build}"
ctest --output-on-failure --timeout 900 -j "${SEGLAB_TEST_JOBS:-$(nproc)}"
