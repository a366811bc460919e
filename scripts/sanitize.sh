#!/usr/bin/env bash
# Builds seglab and the whole test suite with AddressSanitizer and
# UndefinedBehaviorSanitizer (the `sanitize` preset of CMakePresets.json, into
# ./build-sanitize) and runs the suite; any sanitizer report fails its test.
# The sanitizer options (suppressions, leak checking) come from the preset's
# environment, which ctest passes on to every seglab process a test starts.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset sanitize
cmake --build --preset sanitize --parallel "${SEGLAB_JOBS:-$(nproc)}"
ctest --preset sanitize -j "${SEGLAB_TEST_JOBS:-$(nproc)}"
