#include "reports/comparison_figures.h"

#include "core/text.h"
#include "reports/report_figures.h"

namespace seglab {
namespace {

// How many pairs Holm's correction covered, in words: with two variants there
// is one pair, which the correction leaves as it is.
std::string pairs_text(size_t variants) {
  const size_t pairs = variants * (variants - 1) / 2;
  if (pairs == 1) return "one pair, which Holm's correction leaves unchanged";
  return "all " + std::to_string(pairs) + " pairs corrected together";
}

FigureSize size_for(size_t variants) { return variants > 4 ? kFullWidth : kSingleColumn; }

std::string resampling(const BootstrapOptions& b) {
  return std::to_string(b.resamples) + " bootstrap resamples of the images, seed " + std::to_string(b.seed);
}

}  // namespace

Figure p_value_figure(const MetricComparison& c, const std::vector<std::string>& labels, double alpha) {
  Figure f;
  f.name = "significance_" + c.metric;
  f.kind = FigureKind::heatmap;
  f.size = size_for(labels.size() + 2);  // row labels and the colour box take half a column
  f.categories = labels;
  f.row_labels = labels;
  f.matrix = c.p_holm;
  f.palette_reversed = true;  // small p = dark: the eye finds the significant pairs
  f.value_max = 1;
  f.cell_floor = 0.001;
  f.caption = "Holm-adjusted p-values of two-sided Wilcoxon signed-rank tests between variants on per-image " +
              score_header(c.metric) + " (" + std::to_string(c.image_ids.size()) + " images, " +
              pairs_text(labels.size()) + "; diagonal 1); " +
              "a pair differs significantly where p <= " + format_number(alpha) + ".";
  return f;
}

Figure paired_difference_figure(const MetricComparison& c, const std::vector<std::string>& labels, bool baseline) {
  Figure f;
  f.name = "paired_differences_" + c.metric;
  f.kind = FigureKind::boxes;
  f.size = size_for(labels.size());
  f.zero_line = true;
  const std::string reference = labels[c.reference];
  f.y_label = score_header(c.metric) + " minus " + (baseline ? "baseline" : "best");
  Series s;
  for (size_t v = 0; v < labels.size(); ++v) {
    if (static_cast<int>(v) == c.reference) continue;
    std::vector<double> d;
    for (size_t i = 0; i < c.image_ids.size(); ++i) {
      const double x = c.scores[v][i] - c.scores[c.reference][i];
      if (!std::isnan(x)) d.push_back(x);
    }
    f.categories.push_back(labels[v]);
    s.boxes.push_back(box_stats(d));
    s.low.push_back(c.to_reference[v].median_ci.low);
    s.high.push_back(c.to_reference[v].median_ci.high);
  }
  f.series.push_back(std::move(s));
  f.caption = "Per-image " + score_header(c.metric) + " of each variant minus that of the " +
              (baseline ? "baseline " : "best variant ") + reference + " on the same image: boxes span the quartiles " +
              "(bar: median, cross: mean, whiskers 1.5 IQR); beside each box the median difference with its " +
              format_number(100 * c.ranks.bootstrap.confidence) + "% percentile bootstrap interval (" +
              resampling(c.ranks.bootstrap) + ").";
  return f;
}

Figure rank_stability_figure(const MetricComparison& c, const std::vector<std::string>& labels) {
  Figure f;
  f.name = "rank_stability_" + c.metric;
  f.kind = FigureKind::bars;
  f.stacked = true;
  f.size = size_for(labels.size() + 2);  // the legend sits beside the bars
  f.y_label = "share of resamples";
  f.categories = labels;
  for (size_t r = 0; r < labels.size(); ++r) {
    Series s;
    s.label = "rank " + std::to_string(r + 1);
    for (size_t v = 0; v < labels.size(); ++v) s.y.push_back(c.ranks.frequency[v][r]);
    f.series.push_back(std::move(s));
  }
  f.caption = "Bootstrap rank stability of mean " + score_header(c.metric) + ": the share of " +
              resampling(c.ranks.bootstrap) + " (" + std::to_string(c.ranks.n_images) +
              " images) in which each variant ranks 1st, 2nd, ... (ties share ranks).";
  return f;
}

std::optional<Figure> fold_figure(const std::vector<VariantScores>& variants, const std::string& metric,
                                  const std::string& data) {
  size_t folds = 0;
  for (const auto& v : variants) folds = std::max(folds, v.folds.size());
  if (folds == 0) return std::nullopt;
  Figure f;
  f.name = "folds_" + metric;
  f.kind = FigureKind::bars;
  f.size = size_for(variants.size() + 1);
  f.y_label = "mean " + score_header(metric);
  f.y_from_zero = true;
  for (const auto& v : variants) f.categories.push_back(v.label);
  for (size_t k = 0; k <= folds; ++k) {
    Series s;
    s.label = k < folds ? "fold " + std::to_string(k + 1) : "pooled";
    for (const auto& v : variants) {
      double value = NAN;
      if (k < folds && k < v.folds.size() && v.folds[k].mean.count(metric)) value = v.folds[k].mean.at(metric);
      if (k == folds) {
        const auto& scores = v.per_image.at(metric);
        double sum = 0;
        for (const auto& [id, x] : scores) sum += x;
        value = scores.empty() ? NAN : sum / static_cast<double>(scores.size());
      }
      s.y.push_back(std::isnan(value) ? 0 : value);
    }
    f.series.push_back(std::move(s));
  }
  f.caption = "Mean " + score_header(metric) + " of each fold's " + (data == "val" ? "out-of-fold (validation)" : data) +
              " images (over seeds) beside the pooled mean over all images, per variant.";
  return f;
}

}  // namespace seglab
