#include "reports/multiple_comparisons.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "core/error.h"

namespace seglab {

std::vector<double> holm_adjusted(const std::vector<double>& p_values) {
  for (size_t i = 0; i < p_values.size(); ++i)
    if (!(p_values[i] >= 0 && p_values[i] <= 1))
      throw DataError("p-value " + std::to_string(i) + " (" + std::to_string(p_values[i]) + ") is not in [0, 1]",
                      "Holm correction", "pass the p-values of the tests, NaN ones left out");
  const size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running_max = 0;  // the step-down keeps the adjusted values monotone
  for (size_t j = 0; j < m; ++j) {
    running_max = std::max(running_max, static_cast<double>(m - j) * p_values[order[j]]);
    adjusted[order[j]] = std::min(1.0, running_max);
  }
  return adjusted;
}

}  // namespace seglab
