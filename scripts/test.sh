#!/usr/bin/env bash
# Installs what is missing (test references included), builds, runs the whole
# suite (the fuzzers' saved regressions included), then each libFuzzer target
# for a bounded time (SEGLAB_FUZZ_SECONDS, default 60), then the whole suite
# again under AddressSanitizer + UndefinedBehaviorSanitizer (scripts/sanitize.sh,
# the `sanitize` preset, into ./build-sanitize; SEGLAB_SANITIZE=0 leaves it out).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
scripts/build.sh
(cd "${SEGLAB_BUILD_DIR:-build}" && ctest --output-on-failure --timeout 900 -j "${SEGLAB_TEST_JOBS:-$(nproc)}")
scripts/fuzz.sh "${SEGLAB_FUZZ_SECONDS:-60}"
if [ "${SEGLAB_SANITIZE:-1}" != 0 ]; then
  scripts/sanitize.sh
fi
