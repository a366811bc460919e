#pragma once
// Summary statistics for reports: mean ± sample standard deviation over
// repeats, and the five numbers of a box plot.
#include <cstddef>
#include <vector>

namespace seglab {

struct MeanStd {
  double mean = 0;
  double std = 0;  // sample standard deviation (n - 1); 0 for one value
  size_t n = 0;
};
// NaN values (a metric a run lacks) are left out; n = 0 when none is left.
MeanStd mean_std(const std::vector<double>& values);

struct BoxStats {
  double lower_whisker = 0, lower_quartile = 0, median = 0, upper_quartile = 0, upper_whisker = 0;
  double mean = 0;
  std::vector<double> outliers;  // beyond 1.5 IQR from the quartiles
  size_t n = 0;
};
// Quartiles by linear interpolation (numpy's default); whiskers at the most
// extreme values within 1.5 IQR, as Tukey's box plot draws them.
BoxStats box_stats(std::vector<double> values);

// Linear-interpolated quantile of sorted values, q in [0, 1].
double quantile_sorted(const std::vector<double>& sorted, double q);

}  // namespace seglab
