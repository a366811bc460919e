#!/usr/bin/env bash
# The README's test command and what CI (.ci/run) runs:
#   scripts/test.sh          install what is missing (test references
#                            included), build, run the whole release suite,
#                            each fuzzer for SEGLAB_FUZZ_SECONDS (default 60),
#                            then the `sanitize`-labelled tests under
#                            AddressSanitizer + UndefinedBehaviorSanitizer
#   scripts/test.sh --deep   the same, then the whole suite sanitized
# Each phase prints its wall-clock time. docs/testing.md says what runs where
# and how long each phase takes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

deep=0
for arg in "$@"; do
  case "$arg" in
    --deep) deep=1 ;;
    *) echo "test.sh: unknown argument '$arg' (use --deep)" >&2; exit 2 ;;
  esac
done

started=$SECONDS
phase() {
  local name=$1
  shift
  local phase_started=$SECONDS
  "$@"
  echo "test.sh: $name took $((SECONDS - phase_started)) s ($((SECONDS - started)) s so far)"
}

build_dir=${SEGLAB_BUILD_DIR:-build}
jobs=${SEGLAB_TEST_JOBS:-$(nproc)}
release_suite() { (cd "$build_dir" && ctest --output-on-failure --timeout 900 -j "$jobs"); }

phase setup scripts/setup.sh --tests
phase build scripts/build.sh
phase "release suite" release_suite
phase fuzzing scripts/fuzz.sh "${SEGLAB_FUZZ_SECONDS:-60}"
phase "sanitized subset" scripts/sanitize.sh --subset
if [ "$deep" = 1 ]; then
  phase "sanitized suite" scripts/sanitize.sh --all
fi
