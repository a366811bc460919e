#pragma once
// The statistical part of a report, computed from the runs' evals and
// returned for report_writer to write: which data part was used and why,
// the per-variant scores, one comparison per metric, the results table, the
// figures, the per-image and pairwise CSVs and methods.tex.
#include <optional>
#include <string>
#include <vector>

#include "reports/figure.h"
#include "reports/results_table.h"
#include "reports/variant_comparison.h"

namespace seglab {

struct StatisticsOptions {
  std::string data;      // "val", "test" or "" (test when every run has a test eval, else val)
  std::string baseline;  // a variant label or run id; "" = none
  std::string eval;      // "" = each run's latest plain eval, else evals of this name (variant_scores.h)
  ComparisonOptions comparison;  // its baseline index is resolved here
  std::vector<std::string> metrics;  // table columns, where recorded
};

struct ReportStatistics {
  ScoreSelection selection;
  ComparisonOptions options;                // as used (baseline resolved)
  std::vector<MetricComparison> comparisons;  // one per metric
  ResultsTable table;
  std::vector<Figure> figures;
  std::string per_image_csv;  // the primary metric's matrix: id, one column per variant
  std::string pairwise_csv;   // metric, a, b, n, p, p_holm, median difference and interval
  std::string folds_csv;      // "" without folds
  std::string methods_tex;
  std::vector<std::string> statements;  // what report.md and the CLI say first (data part, warnings)
  std::vector<std::string> notes;       // what was left out, and why
};

// Nothing when no run has an eval on the part (the report then keeps its
// table of means over seeds). Throws DataError naming the runs when variants
// were scored on different images, UsageError when the baseline names no
// variant.
std::optional<ReportStatistics> report_statistics(const std::vector<ReportRun>& runs,
                                                  const std::vector<Variant>& variants,
                                                  const StatisticsOptions& options);

}  // namespace seglab
