#!/usr/bin/env bash
# Installs every Debian package seglab needs to build, run and test, and nothing
# that is already there. Safe to run again: a second run installs nothing.
#
#   scripts/setup.sh            build and run dependencies
#   scripts/setup.sh --tests    also the test-only references (torchvision, PIL, scipy, ...)
set -euo pipefail

want_tests=0
for arg in "$@"; do
  case "$arg" in
    --tests) want_tests=1 ;;
    *) echo "setup.sh: unknown argument '$arg' (use --tests)" >&2; exit 2 ;;
  esac
done

# Build tools and libraries. libopenblas0-pthread matters for speed: without it
# Debian's LibTorch runs transposed convolutions on the reference BLAS.
packages=(
  cmake ninja-build ccache g++ pkg-config git
  libtorch-dev libopenblas0-pthread
  libdnnl-dev ocl-icd-opencl-dev opencl-headers
  libopencv-dev
  libhdf5-dev hdf5-tools
  libsqlite3-dev sqlite3 libpq-dev
  libboost-program-options-dev
  nlohmann-json3-dev
  libssl-dev
  libzip-dev
  libgtest-dev libgmock-dev
  gnuplot-nox
  libcpp-httplib-dev libjs-chart.js
)
test_packages=(
  python3-numpy python3-scipy python3-pil python3-torchvision python3-opencv
  poppler-utils texlive-latex-base texlive-latex-recommended texlive-pictures texlive-fonts-recommended
  chromium
  postgresql
  clang libclang-rt-14-dev clang-format
  slurm-wlm munge
)
if [ "$want_tests" = 1 ]; then packages+=("${test_packages[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup.sh: all ${#packages[@]} packages present"
else
  echo "setup.sh: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -o DPkg::Lock::Timeout=600 -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi

# The web UI's browser test drives Debian's Chromium with puppeteer-core, from
# the npm registry at the version pinned in tests/reports/browser/package-lock.json
# (it downloads no browser of its own). Needs Node.js and npm.
if [ "$want_tests" = 1 ]; then
  browser_tests="$(cd "$(dirname "$0")/.." && pwd)/tests/reports/browser"
  if [ ! -d "$browser_tests/node_modules/puppeteer-core" ]; then
    if ! command -v npm >/dev/null; then
      echo "setup.sh: npm is missing; install Node.js 18 or newer for the browser test" >&2
      exit 1
    fi
    echo "setup.sh: installing puppeteer-core into tests/reports/browser"
    (cd "$browser_tests" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
