#!/usr/bin/env bash
# Builds seglab and tests with AddressSanitizer and UndefinedBehaviorSanitizer
# (the `sanitize` preset of CMakePresets.json, into ./build-sanitize) and runs
# them; any sanitizer report fails its test. The sanitizer options
# (suppressions, leak checking) come from the preset's environment, which
# ctest passes on to every seglab process a test starts.
#   scripts/sanitize.sh --subset   the tests labelled `sanitize` (what CI runs):
#                                  the parsers, the store, the data pipeline,
#                                  the .pth reader, the web request handling,
#                                  the malformed-input corpus. Builds only the
#                                  executables they live in, read from the
#                                  release build's test list (build it first).
#   scripts/sanitize.sh --all      the whole suite (scripts/test.sh --deep)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=""
for arg in "$@"; do
  case "$arg" in
    --subset | --all) mode=$arg ;;
    *) echo "sanitize.sh: unknown argument '$arg' (use --subset or --all)" >&2; exit 2 ;;
  esac
done
[ -n "$mode" ] || { echo "sanitize.sh: say --subset (the sanitize-labelled tests) or --all (the whole suite)" >&2; exit 2; }

# The executables that hold the labelled tests, plus seglab, which the corpus
# and web tests start as a child.
subset_targets() {
  local release=${SEGLAB_BUILD_DIR:-build}
  [ -f "$release/CTestTestfile.cmake" ] || {
    echo "sanitize.sh: --subset reads the test list of the release build in $release; run scripts/build.sh first" >&2
    exit 1
  }
  (cd "$release" && ctest -L sanitize --show-only=json-v1) | /usr/bin/python3 -c '
import json, os, sys
tests = json.load(sys.stdin)["tests"]
if not tests:
    sys.exit("sanitize.sh: no test carries the sanitize label (tests/labels.cmake)")
print("\n".join(sorted({os.path.basename(t["command"][0]) for t in tests} | {"seglab"})))'
}

cmake --preset sanitize
if [ "$mode" = --subset ]; then
  listed=$(subset_targets)  # a failure here stops the script (set -e); inside <(...) it would not
  mapfile -t targets <<<"$listed"
  echo "sanitize.sh: building ${targets[*]}"
  cmake --build --preset sanitize --parallel "${SEGLAB_JOBS:-$(nproc)}" --target "${targets[@]}"
  ctest --preset sanitize -L sanitize -j "${SEGLAB_TEST_JOBS:-$(nproc)}"
else
  cmake --build --preset sanitize --parallel "${SEGLAB_JOBS:-$(nproc)}"
  ctest --preset sanitize -j "${SEGLAB_TEST_JOBS:-$(nproc)}"
fi
