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
  libsqlite3-dev sqlite3
  libboost-program-options-dev
  nlohmann-json3-dev
  libssl-dev
  libgtest-dev libgmock-dev
)
test_packages=(
  python3-numpy python3-scipy python3-pil python3-torchvision
)
if [ "$want_tests" = 1 ]; then packages+=("${test_packages[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup.sh: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup.sh: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -o DPkg::Lock::Timeout=600 -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
