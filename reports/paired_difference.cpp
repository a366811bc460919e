#include "reports/paired_difference.h"

#include <algorithm>

#include "reports/paired_samples.h"

namespace seglab {
namespace {

// numpy.median: the middle value, or the mean of the two middle values.
double median_in_place(std::vector<double>& v) {
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return 0.5 * (lower + upper);
}

}  // namespace

double median_at(const std::vector<double>& values, const std::vector<size_t>& indices, std::vector<double>& scratch) {
  scratch.resize(indices.size());
  for (size_t k = 0; k < indices.size(); ++k) scratch[k] = values[indices[k]];
  return median_in_place(scratch);
}

PairedDifference median_paired_difference(const std::vector<double>& a, const std::vector<double>& b,
                                          const BootstrapOptions& options) {
  const PairedDifferences diff = paired_differences(a, b, "median paired difference");
  check_bootstrap_input(diff.d.size(), options, "median paired difference");
  PairedDifference r;
  r.n = diff.d.size();
  r.n_nan_pairs = diff.n_nan_pairs;
  std::vector<double> scratch = diff.d;
  r.median = median_in_place(scratch);
  // Resampling the differences is resampling the images with both scores.
  const auto replicates = bootstrap_replicates(
      r.n, options, [&](const std::vector<size_t>& idx) { return median_at(diff.d, idx, scratch); });
  r.median_ci = percentile_interval(replicates, options.confidence);
  r.bootstrap = options;
  return r;
}

}  // namespace seglab
