#pragma once
// Efron's nonparametric bootstrap over images (Efron 1979; Efron and
// Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13 for the
// percentile interval): resample the n images with replacement B times,
// compute the statistic on each resample, and take the alpha/2 and
// 1 - alpha/2 quantiles of the B replicates as the interval.
//
// Every resample comes from its own stream, Rng(seed).fork(b) (core/rng.h:
// xoshiro256** with its own integer distribution, the same numbers on every
// machine and compiler), so the same seed gives the same interval anywhere,
// and any one resample can be regenerated alone (the tests hand them to the
// numpy reference).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace seglab {

struct BootstrapOptions {
  size_t resamples = 10000;  // B; at least 10 000 for an interval a thesis reports
  double confidence = 0.95;  // of the two-sided percentile interval
  uint64_t seed = 0;
};

struct Interval {
  double low = 0;
  double high = 0;
};

// The indices of resample `b` of `n` items: n draws, uniform with
// replacement, from [0, n).
std::vector<size_t> bootstrap_resample(uint64_t seed, size_t b, size_t n);

// Calls `visit` with each of options.resamples resamples of n items, in the
// order b = 0, 1, ...
using ResampleVisitor = std::function<void(const std::vector<size_t>& indices)>;
void for_each_resample(size_t n, const BootstrapOptions& options, const ResampleVisitor& visit);

// The statistic on each resample, in the order b = 0, 1, ...
using ResampleStatistic = std::function<double(const std::vector<size_t>& indices)>;
std::vector<double> bootstrap_replicates(size_t n, const BootstrapOptions& options, const ResampleStatistic& statistic);

// The percentile interval of the replicates: their (1 - confidence) / 2 and
// (1 + confidence) / 2 quantiles, linearly interpolated as numpy.percentile
// (and so scipy.stats.bootstrap's method='percentile') does. Throws
// DataError for no replicates, a NaN among them or a confidence outside (0, 1).
Interval percentile_interval(std::vector<double> replicates, double confidence);

// Checks the options (at least one resample, confidence in (0, 1)) and that
// `n` items are enough to resample (at least 2); throws DataError naming
// `what` otherwise.
void check_bootstrap_input(size_t n, const BootstrapOptions& options, const char* what);

}  // namespace seglab
