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

}  // namespace seglab
