#include "core/boundary_iou.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"

namespace seglab {
namespace {

// Erodes `n` samples `step` apart by a window of 2 * radius + 1 with the outside
// as background: a sample stays only if it and `radius` samples on each side
// are set. Counting the run of set samples from each side is linear in n
// whatever the radius, where w iterations of a 3x3 erosion would be n * w.
void erode_line(uint8_t* line, int n, size_t step, int radius, std::vector<int>& run_from_left) {
  run_from_left.resize(n);
  int run = 0;
  for (int i = 0; i < n; ++i) run_from_left[i] = run = line[i * step] ? run + 1 : 0;
  run = 0;
  for (int i = n - 1; i >= 0; --i) {
    run = line[i * step] ? run + 1 : 0;
    line[i * step] = std::min(run_from_left[i], run) > radius ? 1 : 0;
  }
}

// The mask's pixels within Chebyshev distance `band` of the background or the
// image border: the mask minus its erosion by a (2 band + 1) square, which is
// separable into a row and a column erosion.
std::vector<uint8_t> inner_band(const uint8_t* mask, int h, int w, int band) {
  const size_t n = static_cast<size_t>(h) * w;
  std::vector<uint8_t> eroded(n);
  for (size_t i = 0; i < n; ++i) eroded[i] = mask[i] ? 1 : 0;
  std::vector<int> runs;
  for (int y = 0; y < h; ++y) erode_line(eroded.data() + static_cast<size_t>(y) * w, w, 1, band, runs);
  for (int x = 0; x < w; ++x) erode_line(eroded.data() + x, h, static_cast<size_t>(w), band, runs);
  for (size_t i = 0; i < n; ++i) eroded[i] = mask[i] && !eroded[i];
  return eroded;
}

}  // namespace

int boundary_band_width(int height, int width, double dilation_ratio) {
  if (!(dilation_ratio > 0) || !std::isfinite(dilation_ratio))
    throw Error("the Boundary IoU dilation ratio must be a number > 0");
  const double diagonal = std::sqrt(static_cast<double>(height) * height + static_cast<double>(width) * width);
  // nearbyint rounds half to even in the default rounding mode, as Python's round().
  const double band = std::nearbyint(dilation_ratio * diagonal);
  // Any band of the image's height + width erodes all of it; the cap keeps it an int.
  return band < 1 ? 1 : band > height + width ? height + width : static_cast<int>(band);
}

double boundary_iou(const uint8_t* predicted, const uint8_t* target, int height, int width, double dilation_ratio) {
  if (height <= 0 || width <= 0) throw Error("Boundary IoU needs a non-empty image");
  const int band = boundary_band_width(height, width, dilation_ratio);
  const std::vector<uint8_t> p = inner_band(predicted, height, width, band);
  const std::vector<uint8_t> t = inner_band(target, height, width, band);
  size_t intersection = 0, union_ = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    intersection += p[i] & t[i];
    union_ += p[i] | t[i];
  }
  if (union_ == 0) return 1.0;  // both masks empty
  return static_cast<double>(intersection) / static_cast<double>(union_);
}

}  // namespace seglab
