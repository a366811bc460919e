#pragma once
// How much one variant beats another on the same images: the median of the
// per-image differences a - b, with its percentile bootstrap interval
// (reports/bootstrap.h) from resampling the images, so each resample keeps
// an image's two scores together.
#include <cstddef>
#include <vector>

#include "reports/bootstrap.h"

namespace seglab {

struct PairedDifference {
  size_t n = 0;            // pairs used
  size_t n_nan_pairs = 0;  // pairs with a NaN on either side, left out
  double median = 0;       // median of a[i] - b[i], as numpy.median
  Interval median_ci;      // percentile bootstrap interval of that median
  BootstrapOptions bootstrap;
};

// Throws DataError when a and b differ in length, when fewer than 2 pairs
// without a NaN remain, for an infinite value, or for bad options.
PairedDifference median_paired_difference(const std::vector<double>& a, const std::vector<double>& b,
                                          const BootstrapOptions& options = {});

// The median (numpy.median) of values[i] over the given indices; `scratch`
// is reused between calls to spare an allocation per resample.
double median_at(const std::vector<double>& values, const std::vector<size_t>& indices, std::vector<double>& scratch);

}  // namespace seglab
