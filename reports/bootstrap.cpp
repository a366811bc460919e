#include "reports/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "core/rng.h"
#include "reports/statistics.h"

namespace seglab {
namespace {

void fill_resample(uint64_t seed, size_t b, std::vector<size_t>& indices) {
  Rng rng = Rng(seed).fork(static_cast<uint64_t>(b));
  for (auto& i : indices) i = static_cast<size_t>(rng.uniform_int(indices.size()));
}

}  // namespace

std::vector<size_t> bootstrap_resample(uint64_t seed, size_t b, size_t n) {
  std::vector<size_t> indices(n);
  if (n > 0) fill_resample(seed, b, indices);
  return indices;
}

void check_bootstrap_input(size_t n, const BootstrapOptions& options, const char* what) {
  if (options.resamples == 0)
    throw DataError("a bootstrap needs at least one resample", what, "use 10000 resamples or more");
  if (!(options.confidence > 0 && options.confidence < 1))
    throw DataError("confidence level " + std::to_string(options.confidence) + " is not between 0 and 1", what,
                    "use 0.95 for a 95 % interval");
  if (n < 2)
    throw DataError("a bootstrap interval needs at least 2 values, got " + std::to_string(n), what,
                    "score more images (NaN scores do not count)");
}

void for_each_resample(size_t n, const BootstrapOptions& options, const ResampleVisitor& visit) {
  std::vector<size_t> indices(n);
  for (size_t b = 0; b < options.resamples; ++b) {
    if (n > 0) fill_resample(options.seed, b, indices);
    visit(indices);
  }
}

std::vector<double> bootstrap_replicates(size_t n, const BootstrapOptions& options, const ResampleStatistic& statistic) {
  std::vector<double> replicates;
  replicates.reserve(options.resamples);
  for_each_resample(n, options, [&](const std::vector<size_t>& indices) { replicates.push_back(statistic(indices)); });
  return replicates;
}

Interval percentile_interval(std::vector<double> replicates, double confidence) {
  if (replicates.empty()) throw DataError("no bootstrap replicates to take an interval of");
  if (!(confidence > 0 && confidence < 1))
    throw DataError("confidence level " + std::to_string(confidence) + " is not between 0 and 1");
  if (std::any_of(replicates.begin(), replicates.end(), [](double v) { return std::isnan(v); }))
    throw DataError("a bootstrap replicate is NaN", "", "leave NaN scores out before resampling");
  std::sort(replicates.begin(), replicates.end());
  const double alpha = 1 - confidence;
  return {quantile_sorted(replicates, alpha / 2), quantile_sorted(replicates, 1 - alpha / 2)};
}

}  // namespace seglab
