#pragma once
// Two variants' scores on the same images, as the paired statistics
// (reports/wilcoxon.h, reports/paired_difference.h) take them.
#include <cstddef>
#include <vector>

namespace seglab {

struct PairedDifferences {
  std::vector<double> d;   // a[i] - b[i] over the pairs kept, in image order
  size_t n_nan_pairs = 0;  // pairs left out: a NaN on either side
};

// The differences of the pairs without a NaN. Throws DataError naming `what`
// when a and b differ in length (the variants were not scored on the same
// images) or for an infinite value (a bug in the metric upstream).
PairedDifferences paired_differences(const std::vector<double>& a, const std::vector<double>& b, const char* what);

}  // namespace seglab
