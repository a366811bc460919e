#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan, into
# ./build-fuzz) and runs each for a bounded time on a seed corpus made from
# real files: experiments/*.ini, ../shared/data/labelme, a few PH2 masks (read
# where they are, never copied into the repo) and the saved regressions.
#   scripts/fuzz.sh [seconds per target, default 60] [target...]
# A crash stops with the input saved under build-fuzz/crashes/<target>/; fix
# it, then copy the input into fuzz/regressions/<target>/ so every build's
# `fuzz_regressions.<target>` test replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(ini_reader labelme_reader mask_reader)
data=${SEGLAB_SHARED_DATA:-../shared/data}
for needed in "$data/labelme" "$data/skin-lesions/masks"; do
  [ -d "$needed" ] || { echo "fuzz.sh: $needed is missing (the real data the seeds come from)" >&2; exit 1; }
done

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --parallel "${SEGLAB_JOBS:-$(nproc)}"

work=build-fuzz/run
rm -rf "$work"
mkdir -p "$work"

# Small masks in the formats and value conventions the reader accepts (and a
# few it must refuse), cut from real PH2 masks so the shapes are real ones.
seed_masks() {
  local out=$1
  mkdir -p "$out"
  /usr/bin/python3 - "$data/skin-lesions/masks" "$out" <<'PY'
import os, sys
from PIL import Image
src, out = sys.argv[1], sys.argv[2]
names = sorted(os.listdir(src))[:3]
for i, name in enumerate(names):
    mask = Image.open(os.path.join(src, name)).convert("L")
    small = mask.resize((24, 18), Image.NEAREST)
    small.save(os.path.join(out, f"{i}_0_255.png"))
    small.point(lambda v: 1 if v else 0).save(os.path.join(out, f"{i}_0_1.png"))
    small.convert("1").save(os.path.join(out, f"{i}_1bit.bmp"))
    small.save(os.path.join(out, f"{i}.tif"))
    small.save(os.path.join(out, f"{i}_lossy.jpg"), quality=50)
    small.convert("RGB").save(os.path.join(out, f"{i}_rgb.png"))
PY
  # Three real masks as they are (1-bit BMP, 765x574).
  for name in $(ls "$data/skin-lesions/masks" | head -3); do ln -s "$(realpath "$data/skin-lesions/masks/$name")" "$out/real_$name"; done
}

# The LabelMe files above embed no small image; one made from them (every
# shape type of primitives.json scaled onto a 56x45 canvas, with a PH2 image
# cut to that size as imageData and the mask bitmap redrawn to fit) lets the
# fuzzer reach the imageData and mask decoders without 150 KB inputs.
seed_labelme() {
  local out=$1
  mkdir -p "$out"
  /usr/bin/python3 - "$data" "$out" <<'PY'
import base64, io, json, os, sys
from PIL import Image
data, out = sys.argv[1], sys.argv[2]
doc = json.load(open(os.path.join(data, "labelme/primitives/primitives.json")))
scale = 0.1
doc["imageWidth"], doc["imageHeight"] = round(doc["imageWidth"] * scale), round(doc["imageHeight"] * scale)
for shape in doc["shapes"]:
    shape["points"] = [[x * scale, y * scale] for x, y in shape["points"]]
    if shape.get("shape_type") == "mask":
        (x1, y1), (x2, y2) = shape["points"]
        bitmap = Image.new("1", (int(x2) - int(x1) + 1, int(y2) - int(y1) + 1), 1)
        buffer = io.BytesIO(); bitmap.save(buffer, format="PNG")
        shape["mask"] = base64.b64encode(buffer.getvalue()).decode()
images = os.path.join(data, "skin-lesions/images")
image = Image.open(os.path.join(images, sorted(os.listdir(images))[0])).convert("RGB")
buffer = io.BytesIO(); image.resize((doc["imageWidth"], doc["imageHeight"])).save(buffer, format="PNG")
doc["imageData"] = base64.b64encode(buffer.getvalue()).decode()
doc["imagePath"] = ""
json.dump(doc, open(os.path.join(out, "primitives_small.json"), "w"))
PY
}

seed_dirs() {
  case "$1" in
    ini_reader) echo experiments ;;
    labelme_reader) find "$data/labelme" -mindepth 1 -type d | sort
                    seed_labelme "$work/seeds/labelme_reader" && echo "$work/seeds/labelme_reader" ;;
    mask_reader) seed_masks "$work/seeds/mask_reader" && echo "$work/seeds/mask_reader" ;;
  esac
}

# Inputs are capped so that each run executes thousands of inputs, not
# hundreds: the two 150 KB LabelMe files and the 55 KB PH2 masks are read
# whole as seeds, then cut to this size for mutation.
max_len() {
  case "$1" in
    labelme_reader) echo 24576 ;;
    mask_reader) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  crashes="build-fuzz/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  mapfile -t seeds < <(seed_dirs "$target")
  [ -d "fuzz/regressions/$target" ] && seeds+=("fuzz/regressions/$target")
  echo "fuzz.sh: $target for ${seconds}s (seeds: ${seeds[*]})"
  # -rss_limit_mb: ASan's shadow memory plus a decoded image; a bigger
  # allocation is reported as a crash (a decompression bomb would be one).
  if ! build-fuzz/fuzz/${target}_fuzzer -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=3072 \
         -print_final_stats=1 -artifact_prefix="$crashes/" \
         "$corpus" "${seeds[@]}" >"$work/$target.log" 2>&1; then
    echo "fuzz.sh: $target FOUND A CRASH; input and log:" >&2
    ls "$crashes" >&2
    tail -60 "$work/$target.log" >&2
    status=1
  else
    grep -E "^stat::(number_of_executed_units|new_units_added)|cov:" "$work/$target.log" | tail -3
  fi
done
exit $status
