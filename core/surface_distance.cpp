#include "core/surface_distance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.h"

namespace seglab {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Pixels of the mask with a 4-neighbour outside it (or outside the image).
std::vector<uint8_t> surface_of(const uint8_t* mask, int h, int w) {
  std::vector<uint8_t> surface(static_cast<size_t>(h) * w, 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      if (!mask[i]) continue;
      const bool inner = y > 0 && y < h - 1 && x > 0 && x < w - 1 && mask[i - w] && mask[i + w] && mask[i - 1] &&
                         mask[i + 1];
      surface[i] = inner ? 0 : 1;
    }
  return surface;
}

// Where the parabolas rooted at samples p < q meet, in index units.
double intersection(const std::vector<double>& f, int p, int q, double s2) {
  return ((f[q] / s2 + static_cast<double>(q) * q) - (f[p] / s2 + static_cast<double>(p) * p)) / (2.0 * (q - p));
}

// Squared distance along one line of n samples `step` apart in memory and
// `spacing` apart in space: out[q] = min_p (spacing (q - p))^2 + f[p]
// (Felzenszwalb & Huttenlocher's lower envelope of parabolas). Infinite
// samples are skipped; a line without a finite sample stays infinite.
void distance_1d(double* f, int n, size_t step, double spacing, std::vector<double>& in, std::vector<int>& v,
                 std::vector<double>& z) {
  in.resize(n);
  for (int i = 0; i < n; ++i) in[i] = f[i * step];
  v.resize(n);
  z.resize(n + 1);
  const double s2 = spacing * spacing;
  int k = -1;
  for (int q = 0; q < n; ++q) {
    if (in[q] == kInfinity) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -kInfinity;
      z[1] = kInfinity;
      continue;
    }
    // z[0] is -infinity, so the search stops at k = 0 at the latest.
    double s = intersection(in, v[k], q, s2);
    while (s <= z[k]) s = intersection(in, v[--k], q, s2);
    ++k;
    v[k] = q;
    z[k] = s;
    z[k + 1] = kInfinity;
  }
  if (k < 0) return;  // no finite sample: every output stays infinite
  int j = 0;
  for (int q = 0; q < n; ++q) {
    while (z[j + 1] < q) ++j;
    const double d = spacing * (q - v[j]);
    f[q * step] = d * d + in[v[j]];
  }
}

// Squared Euclidean distance from every pixel to the nearest pixel set in `seeds`.
std::vector<double> squared_distance_to(const std::vector<uint8_t>& seeds, int h, int w, PixelSpacing spacing) {
  std::vector<double> d(seeds.size());
  for (size_t i = 0; i < seeds.size(); ++i) d[i] = seeds[i] ? 0.0 : kInfinity;
  std::vector<double> in, z;
  std::vector<int> v;
  for (int x = 0; x < w; ++x) distance_1d(d.data() + x, h, static_cast<size_t>(w), spacing.row, in, v, z);
  for (int y = 0; y < h; ++y) distance_1d(d.data() + static_cast<size_t>(y) * w, w, 1, spacing.col, in, v, z);
  return d;
}

// Distances from each surface pixel of `from` to the surface `to` (as squared distances).
std::vector<double> directed(const std::vector<uint8_t>& from, const std::vector<double>& to_squared) {
  std::vector<double> out;
  for (size_t i = 0; i < from.size(); ++i)
    if (from[i]) out.push_back(std::sqrt(to_squared[i]));
  return out;
}

// How many of `distances` are at most `tolerance`.
size_t within(const std::vector<double>& distances, double tolerance) {
  return static_cast<size_t>(std::count_if(distances.begin(), distances.end(), [&](double d) { return d <= tolerance; }));
}

// numpy.percentile(values, q) with linear interpolation; values non-empty.
double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double position = q / 100.0 * static_cast<double>(values.size() - 1);
  const size_t lower = static_cast<size_t>(std::floor(position));
  const size_t upper = std::min(lower + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(lower);
  return values[lower] + (values[upper] - values[lower]) * fraction;
}

}  // namespace

SurfaceDistances surface_distances(const uint8_t* predicted, const uint8_t* target, int height, int width,
                                   PixelSpacing spacing, std::optional<double> nsd_tolerance) {
  if (height <= 0 || width <= 0) throw Error("surface distances need a non-empty image");
  if (!(spacing.row > 0) || !(spacing.col > 0)) throw Error("pixel spacing must be positive");
  if (nsd_tolerance && !(*nsd_tolerance >= 0 && std::isfinite(*nsd_tolerance)))
    throw Error("the NSD tolerance must be a finite number >= 0");
  const size_t n = static_cast<size_t>(height) * width;
  const bool predicted_empty = std::none_of(predicted, predicted + n, [](uint8_t v) { return v != 0; });
  const bool target_empty = std::none_of(target, target + n, [](uint8_t v) { return v != 0; });
  SurfaceDistances out;
  if (predicted_empty && target_empty) {
    if (nsd_tolerance) out.nsd = 1.0;
    return out;  // HD95 and ASSD 0
  }
  if (predicted_empty || target_empty) {
    out.hd95 = out.assd = std::hypot(height * spacing.row, width * spacing.col);
    if (nsd_tolerance) out.nsd = 0.0;
    return out;
  }
  const std::vector<uint8_t> surface_p = surface_of(predicted, height, width);
  const std::vector<uint8_t> surface_t = surface_of(target, height, width);
  const std::vector<double> p_to_t = directed(surface_p, squared_distance_to(surface_t, height, width, spacing));
  const std::vector<double> t_to_p = directed(surface_t, squared_distance_to(surface_p, height, width, spacing));
  out.hd95 = std::max(percentile(p_to_t, 95.0), percentile(t_to_p, 95.0));
  double sum = 0;
  for (double d : p_to_t) sum += d;
  for (double d : t_to_p) sum += d;
  const double surface_pixels = static_cast<double>(p_to_t.size() + t_to_p.size());
  out.assd = sum / surface_pixels;
  // The same distances again: NSD costs a count, not another distance transform.
  if (nsd_tolerance)
    out.nsd = static_cast<double>(within(p_to_t, *nsd_tolerance) + within(t_to_p, *nsd_tolerance)) / surface_pixels;
  return out;
}

}  // namespace seglab
