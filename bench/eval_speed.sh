#!/usr/bin/env bash
# Eval speed goal (issue 8): scoring the validation split must not be slower
# than training one epoch on it. Trains a small U-Net on the PH2 images for one
# epoch, then times `seglab eval` on its validation split with the default
# options (original resolution, HD95/ASSD, masks and overlays written) and with
# d4 test-time augmentation, and prints seconds per image side by side.
#
#   bench/eval_speed.sh [image_size]      (default 128; run from the checkout after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-128}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/ph2.ini" <<INI
[experiment]
name = eval-speed
[data]
adapter = folder
root = $(cd ../shared/data/skin-lesions && pwd)
mask_suffix = _lesion
image_size = $size
val_ratio = 0.2
[model]
base_channels = 16
depth = 4
[backend]
device = auto
[train]
epochs = 1
batch_size = 8
INI
store="--store $work/store"
train_out=$(./build/seglab train "$work/ph2.ini" $store)
id=$(sed -n 's/^run \([0-9a-f]\{8\}\) .*/\1/p' <<<"$train_out" | head -1)
train_ips=$(grep -o '[0-9.]* img/s' <<<"$train_out" | tail -1 | cut -d' ' -f1)
seconds_of() { sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p' "$1"; }
./build/seglab eval "$id" $store >/dev/null
plain=$(seconds_of "$work/store/runs/$id/eval/val-best/summary.json")
./build/seglab eval "$id" --tta d4 $store >/dev/null
tta=$(seconds_of "$work/store/runs/$id/eval/val-best-tta_d4/summary.json")
images=$(sed -n 's/.*"images": \([0-9]*\).*/\1/p' "$work/store/runs/$id/eval/val-best/summary.json")
python3 - "$train_ips" "$plain" "$tta" "$images" "$size" <<'PY'
import sys
train_ips, plain, tta, images, size = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
train = 1.0 / train_ips
print(f"PH2 validation split: {images} images, model input {size}x{size}, scored at original resolution")
print(f"training one epoch      {train * 1000:8.1f} ms/image")
print(f"eval (defaults)         {plain / images * 1000:8.1f} ms/image   ratio to training {plain / images / train:.2f}  (goal <= 1)")
print(f"eval --tta d4           {tta / images * 1000:8.1f} ms/image   ratio to training {tta / images / train:.2f}")
PY
