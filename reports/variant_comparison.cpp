#include "reports/variant_comparison.h"

#include <cmath>

#include "core/error.h"
#include "core/segmentation_metrics.h"
#include "core/text.h"
#include "reports/multiple_comparisons.h"
#include "reports/wilcoxon.h"

namespace seglab {
namespace {

// [variant][image] over the sorted common images; NaN where a variant has no
// score for an image under this metric (a metric undefined on it).
std::vector<std::vector<double>> score_matrix(const std::vector<VariantScores>& variants, const std::string& metric,
                                              const std::vector<std::string>& ids) {
  std::vector<std::vector<double>> scores;
  for (const auto& v : variants) {
    std::vector<double> row;
    static const std::map<std::string, double> none;
    const auto it = v.per_image.find(metric);
    const auto& values = it == v.per_image.end() ? none : it->second;
    for (const auto& id : ids) {
      const auto score = values.find(id);
      row.push_back(score == values.end() ? NAN : score->second);
    }
    scores.push_back(std::move(row));
  }
  return scores;
}

bool better_than(double a, double b, Better better) { return better == Better::higher ? a > b : a < b; }

// Wilcoxon per pair, then Holm over the whole family of pairs.
void pairwise_tests(MetricComparison& c) {
  const size_t k = c.scores.size();
  c.p_value.assign(k, std::vector<double>(k, 1.0));
  c.p_holm = c.p_value;
  std::vector<std::pair<size_t, size_t>> pairs;
  std::vector<double> family;
  for (size_t v = 0; v < k; ++v)
    for (size_t w = v + 1; w < k; ++w) {
      const double p = wilcoxon_signed_rank(c.scores[v], c.scores[w]).p_value;
      c.p_value[v][w] = c.p_value[w][v] = p;
      pairs.push_back({v, w});
      family.push_back(p);
    }
  const std::vector<double> adjusted = holm_adjusted(family);
  for (size_t i = 0; i < pairs.size(); ++i)
    c.p_holm[pairs[i].first][pairs[i].second] = c.p_holm[pairs[i].second][pairs[i].first] = adjusted[i];
}

// The best mean, or -1 for a tie (a tie has no winner to mark).
int best_mean(const MetricComparison& c) {
  int best = 0;
  for (size_t v = 1; v < c.summaries.size(); ++v)
    if (better_than(c.summaries[v].mean, c.summaries[best].mean, c.better)) best = static_cast<int>(v);
  for (size_t v = 0; v < c.summaries.size(); ++v)
    if (static_cast<int>(v) != best && c.summaries[v].mean == c.summaries[best].mean) return -1;
  return best;
}

}  // namespace

Better metric_direction(const std::string& metric) {
  // One rule for every table: the one the metrics themselves define.
  return lower_is_better(metric) ? Better::lower : Better::higher;
}

MetricComparison compare_variants(const std::vector<VariantScores>& variants, const std::string& metric,
                                  const ComparisonOptions& options) {
  if (variants.empty()) throw DataError("no variant to summarize", "seglab report");
  MetricComparison c;
  c.metric = metric;
  c.better = metric_direction(metric);
  c.image_ids = variants[0].image_ids;
  c.scores = score_matrix(variants, metric, c.image_ids);
  for (size_t v = 0; v < variants.size(); ++v) {
    try {
      c.summaries.push_back(summarize_scores(c.scores[v], options.bootstrap));
    } catch (const DataError& e) {
      throw DataError(std::string(e.what()) + " (" + metric + " of variant " + variants[v].label + ")", "seglab report");
    }
  }
  pairwise_tests(c);
  c.best = best_mean(c);
  if (c.best >= 0 && variants.size() > 1) {
    c.best_significant = true;
    for (size_t w = 0; w < variants.size(); ++w)
      if (static_cast<int>(w) != c.best)
        c.best_significant = c.best_significant && c.p_holm[c.best][w] <= options.alpha &&
                             better_than(c.summaries[c.best].mean, c.summaries[w].mean, c.better);
  }
  c.worse_than_baseline.assign(variants.size(), false);
  if (options.baseline >= 0)
    for (size_t v = 0; v < variants.size(); ++v)
      c.worse_than_baseline[v] = static_cast<int>(v) != options.baseline &&
                                 c.p_holm[v][options.baseline] <= options.alpha &&
                                 better_than(c.summaries[options.baseline].mean, c.summaries[v].mean, c.better);
  c.reference = options.baseline >= 0 ? options.baseline : std::max(c.best, 0);
  for (size_t v = 0; v < variants.size(); ++v)
    c.to_reference.push_back(static_cast<int>(v) == c.reference
                                 ? PairedDifference{}
                                 : median_paired_difference(c.scores[v], c.scores[c.reference], options.bootstrap));
  c.ranks = bootstrap_rank_stability(c.scores, c.better, options.bootstrap);
  return c;
}

int find_baseline(const std::vector<VariantScores>& variants, const std::string& name) {
  for (size_t v = 0; v < variants.size(); ++v)
    if (variants[v].label == name) return static_cast<int>(v);
  int found = -1;
  for (size_t v = 0; v < variants.size(); ++v)
    for (const ReportRun* run : variants[v].runs)
      if (!name.empty() && starts_with(run->info.id, name)) {
        if (found >= 0 && found != static_cast<int>(v))
          throw UsageError("--baseline " + name + " matches runs of several variants", "--baseline",
                           "give more of the run id, or a variant's label");
        found = static_cast<int>(v);
      }
  if (found >= 0) return found;
  std::vector<std::string> labels;
  for (const auto& v : variants) labels.push_back("'" + v.label + "' (runs " + run_ids(v.runs) + ")");
  throw UsageError("--baseline " + name + " names no variant of the report", "--baseline",
                   "give a variant's label or one of its run ids; the variants are " + join(labels, "; "));
}

}  // namespace seglab
