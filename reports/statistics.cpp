#include "reports/statistics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace seglab {

MeanStd mean_std(const std::vector<double>& values) {
  MeanStd r;
  double sum = 0;
  for (double v : values)
    if (!std::isnan(v)) sum += v, ++r.n;
  if (r.n == 0) {
    r.mean = r.std = NAN;
    return r;
  }
  r.mean = sum / static_cast<double>(r.n);
  if (r.n > 1) {
    double sq = 0;
    for (double v : values)
      if (!std::isnan(v)) sq += (v - r.mean) * (v - r.mean);
    r.std = std::sqrt(sq / static_cast<double>(r.n - 1));
  }
  return r;
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return NAN;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

BoxStats box_stats(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  BoxStats b;
  b.n = values.size();
  if (values.empty()) {
    b.lower_whisker = b.lower_quartile = b.median = b.upper_quartile = b.upper_whisker = b.mean = NAN;
    return b;
  }
  std::sort(values.begin(), values.end());
  b.lower_quartile = quantile_sorted(values, 0.25);
  b.median = quantile_sorted(values, 0.5);
  b.upper_quartile = quantile_sorted(values, 0.75);
  const double iqr = b.upper_quartile - b.lower_quartile;
  const double lo_fence = b.lower_quartile - 1.5 * iqr, hi_fence = b.upper_quartile + 1.5 * iqr;
  b.lower_whisker = b.upper_quartile;
  b.upper_whisker = b.lower_quartile;
  double sum = 0;
  for (double v : values) {
    sum += v;
    if (v < lo_fence || v > hi_fence) {
      b.outliers.push_back(v);
    } else {
      b.lower_whisker = std::min(b.lower_whisker, v);
      b.upper_whisker = std::max(b.upper_whisker, v);
    }
  }
  b.mean = sum / static_cast<double>(values.size());
  return b;
}

}  // namespace seglab
