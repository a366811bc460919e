#include "engine/test_time_augmentation.h"

#include "core/error.h"
#include "core/text.h"

namespace seglab {
namespace {

// Mirrors every plane left-right.
Tensor hflip(const Tensor& t) {
  const int64_t planes = t.dim(0) * t.dim(1), h = t.dim(2), w = t.dim(3);
  Tensor out(t.shape());
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t y = 0; y < h; ++y) {
      const float* in = t.data() + (p * h + y) * w;
      float* o = out.data() + (p * h + y) * w;
      for (int64_t x = 0; x < w; ++x) o[x] = in[w - 1 - x];
    }
  return out;
}

// One counter-clockwise quarter turn of every square plane (numpy.rot90).
Tensor rotate90(const Tensor& t) {
  const int64_t planes = t.dim(0) * t.dim(1), n = t.dim(2);
  Tensor out(t.shape());
  for (int64_t p = 0; p < planes; ++p) {
    const float* in = t.data() + p * n * n;
    float* o = out.data() + p * n * n;
    for (int64_t y = 0; y < n; ++y)
      for (int64_t x = 0; x < n; ++x) o[y * n + x] = in[x * n + (n - 1 - y)];
  }
  return out;
}

Tensor rotate(Tensor t, int quarter_turns) {
  if (quarter_turns % 4 == 0) return t;
  if (t.dim(2) != t.dim(3))
    throw Error("90-degree test-time rotations need square images, got " + shape_to_string(t.shape()));
  for (int i = 0; i < ((quarter_turns % 4) + 4) % 4; ++i) t = rotate90(t);
  return t;
}

}  // namespace

const std::vector<std::string>& tta_modes() {
  static const std::vector<std::string> modes = {"none", "flips", "rot90", "d4"};
  return modes;
}

std::vector<ImageTransform> tta_transforms(const std::string& mode) {
  if (mode == "none") return {{0, false}};
  // A vertical flip is a horizontal flip followed by a half turn.
  if (mode == "flips") return {{0, false}, {0, true}, {2, true}};
  if (mode == "rot90") return {{0, false}, {1, false}, {2, false}, {3, false}};
  if (mode == "d4") return {{0, false}, {1, false}, {2, false}, {3, false}, {0, true}, {1, true}, {2, true}, {3, true}};
  const std::string guess = closest_match(mode, tta_modes());
  throw UsageError("unknown test-time augmentation '" + mode + "'", "--tta",
                   (guess.empty() ? std::string() : "did you mean '" + guess + "'? ") + "use " + join(tta_modes(), ", "));
}

Tensor apply_transform(const Tensor& nchw, const ImageTransform& t) {
  return rotate(t.hflip ? hflip(nchw) : nchw, t.quarter_turns);
}

Tensor undo_transform(const Tensor& nchw, const ImageTransform& t) {
  const Tensor unrotated = rotate(nchw, 4 - t.quarter_turns % 4);
  return t.hflip ? hflip(unrotated) : unrotated;
}

Tensor predict_with_tta(Network& network, const Tensor& images, const std::string& mode) {
  const std::vector<ImageTransform> transforms = tta_transforms(mode);
  Tensor sum;
  for (const auto& t : transforms) {
    const Tensor p = undo_transform(network.predict(apply_transform(images, t)), t);
    if (sum.empty()) {
      sum = p;
      continue;
    }
    for (int64_t i = 0; i < sum.numel(); ++i) sum[i] += p[i];
  }
  if (transforms.size() > 1) {
    const float scale = 1.0f / static_cast<float>(transforms.size());
    for (auto& v : sum.values()) v *= scale;
  }
  return sum;
}

}  // namespace seglab
