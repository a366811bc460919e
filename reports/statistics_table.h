#pragma once
// The results table of a report with per-image statistics: per variant and
// metric the mean ± sample std over images and the 95 % bootstrap interval
// of the mean; bold only where a variant is significantly better than every
// other (Holm-corrected Wilcoxon); a dagger where it is significantly worse
// than the baseline. The caption states the data part, n images and seeds.
#include <string>
#include <vector>

#include "reports/results_table.h"
#include "reports/variant_comparison.h"

namespace seglab {

// comparisons: one per metric (the table's columns), over selection.variants.
ResultsTable statistics_table(const ScoreSelection& selection, const std::vector<MetricComparison>& comparisons,
                              const ComparisonOptions& options);

// "2 seeds x 3 folds", "1 seed": how a variant's runs repeat it.
std::string repeats_text(const VariantScores& variant);

// "test split" / "validation split (optimistic: ...)" as the reports say it.
std::string data_part_text(const std::string& data);

}  // namespace seglab
