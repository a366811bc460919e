#pragma once
// One variant's scores over images, summarized as a results table states
// them: mean, sample standard deviation, median, and the 95 % percentile
// bootstrap interval of the mean (reports/bootstrap.h).
#include <cstddef>
#include <vector>

#include "reports/bootstrap.h"

namespace seglab {

struct ScoreSummary {
  size_t n = 0;        // images whose score counted
  size_t n_nan = 0;    // images left out because their score is NaN
  double mean = 0;
  double std = 0;      // sample standard deviation (n - 1)
  double median = 0;   // linearly interpolated, as numpy.median
  Interval mean_ci;    // percentile bootstrap interval of the mean
  BootstrapOptions bootstrap;  // what the interval was drawn with
};

// NaN scores (an image a metric is undefined on) are left out and counted in
// n_nan; the bootstrap resamples the remaining n scores. Throws DataError
// when fewer than 2 scores remain, for an infinite score, or for bad options.
ScoreSummary summarize_scores(const std::vector<double>& scores, const BootstrapOptions& options = {});

// The mean of values[i] over the given indices (a bootstrap resample).
double mean_at(const std::vector<double>& values, const std::vector<size_t>& indices);

}  // namespace seglab
