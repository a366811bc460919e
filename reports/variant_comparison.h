#pragma once
// The statistics a report states for its variants on one metric, from the
// variants' per-image scores on the same images (reports/variant_scores.h):
//   - per variant: mean, std, median and the percentile bootstrap interval of
//     the mean (reports/score_summary.h);
//   - per pair: the two-sided Wilcoxon signed-rank test (reports/wilcoxon.h),
//     with Holm's correction over all K(K-1)/2 pairs of the metric
//     (reports/multiple_comparisons.h);
//   - per variant against a reference (the baseline, else the best mean): the
//     median paired difference with its bootstrap interval;
//   - bootstrap rank stability (reports/rank_stability.h).
// Every bootstrap uses the same options, so the same store and seed give the
// same intervals.
#include <cstdint>
#include <string>
#include <vector>

#include "reports/paired_difference.h"
#include "reports/rank_stability.h"
#include "reports/score_summary.h"
#include "reports/variant_scores.h"

namespace seglab {

// The seed of every bootstrap of a report unless --seed names another
// (docs/statistics.md states it, so a reader can redraw the intervals).
constexpr uint64_t kReportBootstrapSeed = 20240601;

struct ComparisonOptions {
  BootstrapOptions bootstrap{10000, 0.95, kReportBootstrapSeed};
  double alpha = 0.05;  // family-wise level of the Holm-corrected tests
  int baseline = -1;    // index of the baseline variant, -1 for none
};

struct MetricComparison {
  std::string metric;
  Better better = Better::higher;
  std::vector<std::string> image_ids;        // the images compared, sorted
  std::vector<std::vector<double>> scores;   // [variant][image]; NaN where a variant lacks the image's score
  std::vector<ScoreSummary> summaries;       // per variant
  std::vector<std::vector<double>> p_value;  // [v][w] raw two-sided Wilcoxon p; 1 on the diagonal
  std::vector<std::vector<double>> p_holm;   // [v][w] Holm-adjusted over all pairs; 1 on the diagonal
  int best = -1;                  // the best mean; -1 when two variants tie for it
  bool best_significant = false;  // the best is significantly better than every other variant
  std::vector<bool> worse_than_baseline;     // per variant (false without a baseline)
  int reference = -1;                        // the baseline, else the best mean
  std::vector<PairedDifference> to_reference;  // v - reference per image; n = 0 for the reference itself
  RankStability ranks;
};

// One variant gets its summaries only (nothing to compare). Throws DataError
// when a variant has fewer than 2 finite scores of the metric.
MetricComparison compare_variants(const std::vector<VariantScores>& variants, const std::string& metric,
                                  const ComparisonOptions& options);

// The index of the variant `name` names: its label, or the id (or unique id
// prefix) of one of its runs. Throws UsageError listing the variants when it
// names none.
int find_baseline(const std::vector<VariantScores>& variants, const std::string& name);

// Dice and the like: higher; distances and losses: lower.
Better metric_direction(const std::string& metric);

}  // namespace seglab
