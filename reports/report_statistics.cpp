#include "reports/report_statistics.h"

#include <sstream>

#include "core/error.h"
#include "core/text.h"
#include "reports/comparison_figures.h"
#include "reports/methods_text.h"
#include "reports/statistics_table.h"
#include "reports/wilcoxon.h"

namespace seglab {
namespace {

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<std::string> labels_of(const ScoreSelection& s) {
  std::vector<std::string> labels;
  for (const auto& v : s.variants) labels.push_back(v.label);
  return labels;
}

std::string per_image_csv(const MetricComparison& c, const std::vector<std::string>& labels) {
  std::ostringstream s;
  s << "id";
  for (const auto& l : labels) s << "," << csv_cell(l + " " + c.metric);
  s << "\n";
  for (size_t i = 0; i < c.image_ids.size(); ++i) {
    s << csv_cell(c.image_ids[i]);
    for (const auto& row : c.scores) s << "," << (std::isnan(row[i]) ? "" : format_number(row[i]));
    s << "\n";
  }
  return s.str();
}

std::string pairwise_csv(const std::vector<MetricComparison>& comparisons, const std::vector<std::string>& labels) {
  std::ostringstream s;
  s << "metric,a,b,n,wilcoxon_method,p_wilcoxon,p_holm,median_difference_a_minus_b,ci_low,ci_high\n";
  for (const auto& c : comparisons)
    for (size_t a = 0; a < labels.size(); ++a)
      for (size_t b = a + 1; b < labels.size(); ++b) {
        const PairedDifference d = median_paired_difference(c.scores[a], c.scores[b], c.ranks.bootstrap);
        // Which p-value it is (exact or normal approximation), for a reader checking it.
        const WilcoxonResult w = wilcoxon_signed_rank(c.scores[a], c.scores[b]);
        s << c.metric << "," << csv_cell(labels[a]) << "," << csv_cell(labels[b]) << "," << d.n << ","
          << to_string(w.method) << "," << format_number(c.p_value[a][b]) << "," << format_number(c.p_holm[a][b]) << "," << format_number(d.median)
          << "," << format_number(d.median_ci.low) << "," << format_number(d.median_ci.high) << "\n";
      }
  return s.str();
}

std::string folds_csv(const ScoreSelection& s, const std::vector<std::string>& metrics) {
  std::ostringstream out;
  out << "variant,fold,images";
  for (const auto& m : metrics) out << "," << m;
  out << "\n";
  for (const auto& v : s.variants)
    for (const auto& f : v.folds) {
      out << csv_cell(v.label) << "," << csv_cell(f.fold) << "," << f.images;
      for (const auto& m : metrics) out << "," << (f.mean.count(m) ? format_number(f.mean.at(m)) : "");
      out << "\n";
    }
  return out.str();
}

void state_data_part(ReportStatistics& r) {
  const std::string& data = r.selection.data;
  r.statements.push_back("Scores: the latest " + eval_kind(r.selection.eval) + " of each run on the " + data_part_text(data) +
                         (r.selection.defaulted ? (data == "test" ? " (every run has a test eval)"
                                                                  : " (not every run has a test eval; choose with --data)")
                                                : " (--data " + data + ")") +
                         ".");
  if (data == "val")
    r.statements.push_back("Warning: validation scores are optimistic: each run's checkpoint (and a threshold chosen "
                           "with --threshold val) was selected on these same images. Report a test split for the "
                           "final numbers.");
}

}  // namespace

std::optional<ReportStatistics> report_statistics(const std::vector<ReportRun>& runs,
                                                  const std::vector<Variant>& variants,
                                                  const StatisticsOptions& options) {
  ReportStatistics r;
  const std::string data = choose_data_part(variants, options.data, options.eval);
  r.selection = collect_variant_scores(variants, data, options.data.empty(), options.eval);
  if (r.selection.variants.empty()) {
    if (!options.baseline.empty())
      throw UsageError("--baseline " + options.baseline + " needs evaluated runs: no run has an eval on the " +
                           data_part_text(data),
                       "seglab report", "run `seglab eval <id> --data " + data + "` for each run first");
    return std::nullopt;
  }
  state_data_part(r);
  for (const auto& label : r.selection.left_out)
    r.notes.push_back("statistics of " + label + ": none of its runs has an eval on the " + data_part_text(data));
  for (const auto& v : r.selection.variants)
    if (!v.missing.empty())
      r.notes.push_back("runs " + run_ids(v.missing) + " of " + v.label + ": " +
                        (options.eval.empty() ? "no plain eval on the " + data_part_text(data) +
                                                    " (run `seglab eval <id> --data " + data + "`)"
                                              : "no eval named '" + options.eval + "' on the " + data_part_text(data) +
                                                    " (their evals: `seglab eval <id> --list`)"));
  check_same_images(r.selection.variants);

  r.options = options.comparison;
  if (!options.baseline.empty()) r.options.baseline = find_baseline(r.selection.variants, options.baseline);
  const auto metrics = common_metrics(r.selection.variants, options.metrics);
  if (metrics.empty()) {
    r.notes.push_back("statistics: the evals share none of the metrics " + join(options.metrics, ", "));
    return r;
  }
  for (const auto& m : metrics) r.comparisons.push_back(compare_variants(r.selection.variants, m, r.options));
  r.table = statistics_table(r.selection, r.comparisons, r.options);

  const auto labels = labels_of(r.selection);
  const MetricComparison& primary = r.comparisons.front();
  if (labels.size() > 1) {
    r.figures.push_back(p_value_figure(primary, labels, r.options.alpha));
    r.figures.push_back(paired_difference_figure(primary, labels, r.options.baseline >= 0));
    r.figures.push_back(rank_stability_figure(primary, labels));
  } else {
    r.notes.push_back("significance, paired differences and rank stability: one variant has evals; nothing to compare");
  }
  if (auto f = fold_figure(r.selection.variants, primary.metric, data)) {
    r.figures.push_back(*f);
    r.folds_csv = folds_csv(r.selection, metrics);
  }
  r.per_image_csv = per_image_csv(primary, labels);
  r.pairwise_csv = pairwise_csv(r.comparisons, labels);

  MethodsInput in;
  in.runs = &runs;
  in.selection = &r.selection;
  in.metrics = metrics;
  in.options = r.options;
  in.images = primary.image_ids.size();
  r.methods_tex = methods_tex(in);
  return r;
}

}  // namespace seglab
