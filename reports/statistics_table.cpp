#include "reports/statistics_table.h"

#include <algorithm>

#include "core/text.h"
#include "reports/report_figures.h"

namespace seglab {

std::string repeats_text(const VariantScores& v) {
  std::string text = std::to_string(v.seeds.size()) + (v.seeds.size() == 1 ? " seed" : " seeds");
  if (!v.folds.empty()) text += " x " + std::to_string(v.folds.size()) + " folds";
  return text;
}

std::string data_part_text(const std::string& data) {
  return data == "test" ? "test split" : "validation split";
}

ResultsTable statistics_table(const ScoreSelection& selection, const std::vector<MetricComparison>& comparisons,
                              const ComparisonOptions& options) {
  ResultsTable t;
  t.label = "tab:seglab-results";
  const size_t k = selection.variants.size();
  for (const auto& c : comparisons) t.columns.push_back({c.metric, score_header(c.metric), c.better == Better::higher});
  std::vector<std::string> repeats;
  for (const auto& v : selection.variants) repeats.push_back(repeats_text(v));
  std::vector<std::string> distinct = repeats;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (size_t v = 0; v < k; ++v) {
    // A row names its seeds and folds when they repeat it or differ between rows.
    const bool repeated = selection.variants[v].seeds.size() > 1 || !selection.variants[v].folds.empty() || distinct.size() > 1;
    t.row_labels.push_back(selection.variants[v].label + (repeated ? " (" + repeats[v] + ")" : ""));
    std::vector<MeanStd> row;
    std::vector<Interval> intervals;
    std::vector<double> medians;
    std::vector<bool> bold, dagger;
    for (const auto& c : comparisons) {
      const ScoreSummary& s = c.summaries[v];
      row.push_back({s.mean, s.std, s.n});
      intervals.push_back(s.mean_ci);
      medians.push_back(s.median);
      bold.push_back(c.best_significant && c.best == static_cast<int>(v));
      dagger.push_back(c.worse_than_baseline[v]);
    }
    t.cells.push_back(row);
    t.intervals.push_back(intervals);
    t.medians.push_back(medians);
    t.bold.push_back(bold);
    t.dagger.push_back(dagger);
  }
  const bool k_fold = std::any_of(selection.variants.begin(), selection.variants.end(),
                                  [](const VariantScores& v) { return !v.folds.empty(); });
  const size_t n = comparisons.empty() ? 0 : comparisons[0].image_ids.size();
  t.caption = "Scores on the " + data_part_text(selection.data) + " (n = " + std::to_string(n) + " images" +
              (k_fold && selection.data == "val" ? ", pooled out-of-fold" : "") + "; " +
              (distinct.size() == 1 ? distinct[0] + " per variant" : "seeds per variant as in each row") +
              ", each image's score averaged over them): mean ± sample standard deviation over images, then the " +
              format_number(100 * options.bootstrap.confidence) + "% percentile bootstrap interval of the mean (" +
              std::to_string(options.bootstrap.resamples) + " resamples, seed " +
              std::to_string(options.bootstrap.seed) + "). Bold: significantly better than every other variant " +
              "(two-sided Wilcoxon signed-rank tests, Holm-corrected over all pairs per metric, alpha " +
              format_number(options.alpha) + ")" +
              (options.baseline >= 0 ? "; dagger: significantly worse than the baseline " +
                                           selection.variants[options.baseline].label
                                     : "") +
              "." + (selection.data == "val" ? " Validation scores are optimistic: the checkpoint was chosen on them." : "");
  return t;
}

}  // namespace seglab
