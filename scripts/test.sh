#!/usr/bin/env bash
# Installs what is missing (test references included), builds, runs the whole
# suite (the fuzzers' saved regressions included), then each libFuzzer target
# for a bounded time (SEGLAB_FUZZ_SECONDS, default 60). Not part of it yet (see
# README, Sanitizers and fuzzing): the suite under ASan + UBSan
# (scripts/sanitize.sh), which has not passed whole and whose cold build alone
# takes about as long as CI allows on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
scripts/build.sh
(cd "${SEGLAB_BUILD_DIR:-build}" && ctest --output-on-failure --timeout 900 -j "${SEGLAB_TEST_JOBS:-$(nproc)}")
scripts/fuzz.sh "${SEGLAB_FUZZ_SECONDS:-60}"
