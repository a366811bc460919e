#!/bin/bash
# Builds seglab's CUDA binaries on a GPU machine from the bundle of
# scripts/device/bundle.py (run from the repository root there):
#   1. unpacks the objects and static libraries compiled on Debian 12, and the
#      Debian shared libraries they need;
#   2. compiles the LibTorch backend (backends/libtorch/*.cpp) against that
#      machine's PyTorch (its LibTorch, with CUDA), C++17, or C++20 where that
#      LibTorch requires it;
#   3. links every bundled target with that LibTorch, the CUDA part forced in,
#      with an RPATH (not RUNPATH: it also serves the libraries' own needs) to
#      the bundled libraries.
# Usage: scripts/device/link_on_device.sh [.device]
set -euo pipefail
out=${1:-.device}
PY=${PYTHON:-python3}
# TORCH_INCLUDE and TORCH_LIBS override where LibTorch is (a dry run of this
# script on Debian: TORCH_INCLUDE=/usr/include, TORCH_LIBS="-ltorch -ltorch_cpu -lc10").
TORCH=$($PY -c 'import os, torch; print(os.path.dirname(torch.__file__))')
ABI=$($PY -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
TORCH_INCLUDE=${TORCH_INCLUDE:-$TORCH/include}
echo "LibTorch: $TORCH ($($PY -c 'import torch; print(torch.__version__, torch.version.cuda)')), C++11 ABI $ABI; $(${CXX:-g++} --version | head -1)"
rm -rf "$out/x" && mkdir -p "$out/x"
$PY -c "import tarfile, sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$out/bundle.tar.xz" "$out/x"
BUNDLE=$PWD/$out/x/bundle
mkdir -p build && cp -r "$out/x/build/." build/

mkdir -p build/torch_backend_objects build/backends/libtorch
compile() {
  local std=$1 pids=()
  for src in backends/libtorch/*.cpp; do
    ${CXX:-g++} -std="$std" -O3 -DNDEBUG -fPIC -I"$PWD" -isystem "$TORCH_INCLUDE" \
      -isystem "$TORCH_INCLUDE/torch/csrc/api/include" -D_GLIBCXX_USE_CXX11_ABI="$ABI" \
      -c "$src" -o "build/torch_backend_objects/$(basename "$src").o" 2>"build/torch_backend_objects/$(basename "$src").log" &
    pids+=($!)
  done
  local failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  return $failed
}
if ! compile c++17; then
  echo "C++17 failed, trying C++20:"; head -5 build/torch_backend_objects/*.log
  compile c++20 || { cat build/torch_backend_objects/*.log | grep -m 30 -E "error|Error"; exit 1; }
fi
ar rcs build/backends/libtorch/libseglab_backend_libtorch.a build/torch_backend_objects/*.o

TORCH_LIBS=${TORCH_LIBS:-"-Wl,--no-as-needed $TORCH/lib/libtorch_cuda.so $TORCH/lib/libc10_cuda.so -Wl,--as-needed $TORCH/lib/libtorch.so $TORCH/lib/libtorch_cpu.so $TORCH/lib/libc10.so -Wl,-rpath,$TORCH/lib"}
while IFS='|' read -r target flags objects libs; do
  libs=${libs//@BUNDLE@/$BUNDLE}
  mkdir -p "build/$(dirname "$target")"
  # shellcheck disable=SC2086  # word lists from build.ninja
  (cd build && ${CXX:-g++} $flags $objects -o "$target" $libs $TORCH_LIBS -fopenmp -lpthread -ldl \
    -Wl,--disable-new-dtags -Wl,-rpath,"$BUNDLE/lib" -Wl,-rpath-link,"$BUNDLE/lib")
  echo "linked build/$target"
done <"$BUNDLE/link.txt"
