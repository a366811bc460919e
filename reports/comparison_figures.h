#pragma once
// The figures of the statistics between variants on one metric
// (reports/variant_comparison.h): the Holm-adjusted p-values as a matrix,
// the per-image differences against the reference variant with the
// bootstrap interval of their median, the bootstrap rank stability, and the
// per-fold means beside the pooled ones.
#include <optional>
#include <string>
#include <vector>

#include "reports/figure.h"
#include "reports/variant_comparison.h"

namespace seglab {

// `labels`: the variants' labels, in the comparison's order.
Figure p_value_figure(const MetricComparison& c, const std::vector<std::string>& labels, double alpha);
Figure paired_difference_figure(const MetricComparison& c, const std::vector<std::string>& labels, bool baseline);
Figure rank_stability_figure(const MetricComparison& c, const std::vector<std::string>& labels);
// Bars per variant: one per fold (mean over its images and seeds) and the
// pooled mean. Nothing when no variant has folds.
std::optional<Figure> fold_figure(const std::vector<VariantScores>& variants, const std::string& metric,
                                  const std::string& data);

}  // namespace seglab
