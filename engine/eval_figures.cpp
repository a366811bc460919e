#include "engine/eval_figures.h"

#include <cmath>

#include "reports/gnuplot_renderer.h"
#include "reports/pgfplots_writer.h"
#include "reports/report_figures.h"
#include "reports/statistics.h"

namespace seglab {
namespace {

std::vector<std::string> class_labels(int classes, const std::vector<std::string>& names) {
  if (static_cast<int>(names.size()) == classes) return names;
  if (classes == 2) return {"background", "lesion"};
  std::vector<std::string> out;
  for (int c = 0; c < classes; ++c) out.push_back("class" + std::to_string(c));
  return out;
}

Figure dice_distribution_figure(const EvalResult& result, const std::string& title) {
  std::vector<double> dice;
  for (const auto& scores : result.per_image) {
    const auto it = scores.find("dice");
    if (it != scores.end() && std::isfinite(it->second)) dice.push_back(it->second);
  }
  Figure f;
  f.name = "dice_distribution";
  f.kind = FigureKind::boxes;
  f.y_label = "per-image Dice";
  f.y_from_zero = true;  // Dice is in [0, 1]; a degenerate spread must not show negative scores
  f.categories = {result.name};
  f.caption = title + ": per-image Dice over " + std::to_string(dice.size()) +
              " images: the box spans the quartiles, the bar is the median, whiskers reach 1.5 IQR, the cross is the "
              "mean.";
  Series s;
  if (!dice.empty()) s.boxes.push_back(box_stats(dice));
  f.series.push_back(std::move(s));
  return f;
}

}  // namespace

std::vector<std::string> write_eval_figures(const EvalResult& result, const std::vector<std::string>& class_names,
                                            const std::string& dir) {
  const ConfusionMatrix& m = result.confusion;
  std::vector<std::vector<double>> counts(m.num_classes(), std::vector<double>(m.num_classes(), 0));
  for (int t = 0; t < m.num_classes(); ++t)
    for (int p = 0; p < m.num_classes(); ++p) counts[t][p] = static_cast<double>(m.at(t, p));
  const std::vector<std::string> classes = class_labels(m.num_classes(), class_names);
  const std::string title = "run " + result.run_id + ", eval " + result.name;

  std::vector<Figure> figures{class_metrics_figure("class_metrics", title, counts, classes),
                              confusion_figure("confusion_matrix", title, counts, classes)};
  Figure distribution = dice_distribution_figure(result, title);
  if (!distribution.series[0].boxes.empty()) figures.push_back(std::move(distribution));
  std::vector<std::string> written;
  for (const Figure& f : figures) {
    for (const auto& path : render_with_gnuplot(f, dir)) written.push_back(path);
    written.push_back(write_pgfplots(f, dir));
  }
  return written;
}

}  // namespace seglab
