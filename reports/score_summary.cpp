#include "reports/score_summary.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "reports/statistics.h"

namespace seglab {

double mean_at(const std::vector<double>& values, const std::vector<size_t>& indices) {
  double sum = 0;
  for (size_t i : indices) sum += values[i];
  return sum / static_cast<double>(indices.size());
}

namespace {

// The scores without their NaNs; throws DataError for an infinite one.
std::vector<double> finite_scores(const std::vector<double>& scores) {
  std::vector<double> kept;
  kept.reserve(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) continue;
    // An infinite score would make the mean and every interval infinite;
    // seglab's metrics are finite by definition, so one is a bug upstream.
    if (std::isinf(scores[i]))
      throw DataError("score " + std::to_string(i) + " is infinite", "per-image scores",
                      "check the metric that produced it");
    kept.push_back(scores[i]);
  }
  return kept;
}

}  // namespace

ScoreSummary summarize_scores(const std::vector<double>& scores, const BootstrapOptions& options) {
  const std::vector<double> kept = finite_scores(scores);
  check_bootstrap_input(kept.size(), options, "per-image scores");
  ScoreSummary s;
  s.n = kept.size();
  s.n_nan = scores.size() - kept.size();
  const MeanStd ms = mean_std(kept);
  s.mean = ms.mean;
  s.std = ms.std;
  std::vector<double> sorted = kept;
  std::sort(sorted.begin(), sorted.end());
  s.median = quantile_sorted(sorted, 0.5);
  const auto replicates =
      bootstrap_replicates(kept.size(), options, [&](const std::vector<size_t>& idx) { return mean_at(kept, idx); });
  s.mean_ci = percentile_interval(replicates, options.confidence);
  s.bootstrap = options;
  return s;
}

}  // namespace seglab
