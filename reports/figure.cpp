#include "reports/figure.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace seglab {

double integer_tick_step(const Figure& figure) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const auto& s : figure.series)
    for (double x : s.x)
      if (std::isfinite(x)) low = std::min(low, x), high = std::max(high, x);
  const double span = high > low ? high - low : 0;
  for (double decade = 1;; decade *= 10)
    for (double m : {1.0, 2.0, 5.0})
      if (span / (m * decade) <= 8) return m * decade;
}

std::pair<double, double> zero_inclusive_y_range(const Figure& figure) {
  if (!figure.zero_line || figure.kind != FigureKind::boxes) return {NAN, NAN};
  double low = 0, high = 0;
  const auto take = [&](double v) {
    if (std::isfinite(v)) low = std::min(low, v), high = std::max(high, v);
  };
  for (const auto& s : figure.series) {
    for (const auto& b : s.boxes) {
      take(b.lower_whisker), take(b.upper_whisker), take(b.mean);
      for (double o : b.outliers) take(o);
    }
    for (double v : s.low) take(v);
    for (double v : s.high) take(v);
  }
  const double pad = high > low ? 0.05 * (high - low) : 0.5;
  return {low - pad, high + pad};
}

int heatmap_label_points(const Figure& figure) {
  // About 62 % of the figure's width is the matrix (the rest: row labels and
  // the colour box); a label of 6 characters is about 3.3 font sizes wide,
  // and should fill at most 80 % of its cell.
  const double columns = static_cast<double>(std::max<size_t>(1, figure.categories.size()));
  const double cell_pt = figure.size.width_in * 72 * 0.62 / columns;
  return std::clamp(static_cast<int>(std::floor(0.8 * cell_pt / 3.3)), 4, 7);
}

}  // namespace seglab
