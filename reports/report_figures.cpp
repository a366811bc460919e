#include "reports/report_figures.h"

#include <cmath>
#include <functional>
#include <map>

#include "core/segmentation_metrics.h"
#include "core/text.h"
#include "reports/bench_latency.h"

namespace seglab {
namespace {

std::string file_key(const std::string& key) {
  std::string out = key;
  for (char& c : out)
    if (c == '.' || c == '/' || c == ' ') c = '_';
  return out;
}

double record_number(const ReportRun& run, const std::string& key) {
  const auto it = run.record.find(key);
  if (it == run.record.end()) return NAN;
  try {
    return std::stod(it->second);
  } catch (const std::exception&) {
    return NAN;
  }
}

}  // namespace

std::string score_header(const std::string& name) {
  static const std::map<std::string, std::string> names{
      {"dice", "Dice"}, {"iou", "IoU"}, {"miou", "mIoU"}, {"isic_jaccard", "ISIC Jaccard"},
      {"precision", "Precision"}, {"recall", "Recall"}, {"specificity", "Specificity"},
      {"accuracy", "Accuracy"}, {"hd95", "HD95 (px)"}, {"assd", "ASSD (px)"}, {"nsd", "NSD"}, {"nsd_mm", "NSD (mm)"},
      {"boundary_iou", "Boundary IoU"}, {"hd95_mm", "HD95 (mm)"}, {"assd_mm", "ASSD (mm)"},
      {"epoch_loss", "Training loss"}};
  // Throughput measured while training, never to be read as inference latency (`seglab bench`).
  if (name == "val.images_per_second") return "validation throughput during training (images/s)";
  if (name == "train.images_per_second") return "training throughput (images/s)";
  const std::string last = name.substr(name.rfind('.') + 1);
  const auto it = names.find(last);
  return it == names.end() ? name : it->second;
}

double final_score(const ReportRun& run, const std::string& name) {
  for (const std::string& key : {"eval.val." + name, "val." + name}) {
    const auto it = run.final_metrics.find(key);
    if (it != run.final_metrics.end()) return it->second;
  }
  return NAN;
}

std::optional<Figure> curves_figure(const std::vector<Variant>& variants, const std::string& key) {
  Figure f;
  f.name = "curves_" + file_key(key);
  f.kind = FigureKind::lines;
  f.x_label = "epoch";
  f.x_integer = true;  // epochs are whole numbers: no tick at 1.5
  f.y_label = (starts_with(key, "val.") ? "validation " : "") + score_header(key);
  f.caption = score_header(key) + " by epoch" +
              std::string(key.find("loss") == std::string::npos && starts_with(key, "val.") ? " on the validation split" : "") +
              "; lines are means over seeds, bands ± one sample standard deviation (n - 1) over the seeds that reached "
              "the epoch.";
  for (const auto& variant : variants) {
    std::map<double, std::vector<double>> by_epoch;
    for (const ReportRun* run : variant.runs) {
      const auto it = run->curves.find(key);
      if (it == run->curves.end()) continue;
      for (size_t i = 0; i < it->second.epochs.size(); ++i) by_epoch[it->second.epochs[i]].push_back(it->second.values[i]);
    }
    if (by_epoch.empty()) continue;
    Series s;
    s.label = variant.label;
    bool repeats = false;
    for (const auto& [epoch, values] : by_epoch) {
      const MeanStd m = mean_std(values);
      s.x.push_back(epoch);
      s.y.push_back(m.mean);
      s.low.push_back(m.mean - m.std);
      s.high.push_back(m.mean + m.std);
      repeats = repeats || m.n > 1;
    }
    if (!repeats) s.low.clear(), s.high.clear();
    f.series.push_back(std::move(s));
  }
  if (f.series.empty()) return std::nullopt;
  if (f.series.size() > 3) f.size = kFullWidth;
  return f;
}

std::optional<Figure> comparison_figure(const std::vector<Variant>& variants, const std::vector<std::string>& scores) {
  Figure f;
  f.name = "comparison";
  f.kind = FigureKind::bars;
  f.size = variants.size() > 4 ? kFullWidth : kSingleColumn;
  f.x_label = "";
  f.y_label = "score";
  f.y_from_zero = true;
  f.caption = "Final validation scores per variant; bars are means over seeds, error bars ± one sample standard deviation (n - 1).";
  for (const auto& v : variants) f.categories.push_back(v.label);
  bool any = false;
  for (const auto& score : scores) {
    Series s;
    s.label = score_header(score);
    for (const auto& v : variants) {
      std::vector<double> values;
      for (const ReportRun* run : v.runs) values.push_back(final_score(*run, score));
      const MeanStd m = mean_std(values);
      any = any || m.n > 0;
      s.y.push_back(m.n ? m.mean : 0);
      s.low.push_back(m.n ? m.mean - m.std : 0);
      s.high.push_back(m.n ? m.mean + m.std : 0);
    }
    f.series.push_back(std::move(s));
  }
  if (!any) return std::nullopt;
  return f;
}

std::optional<Figure> distribution_figure(const std::vector<Variant>& variants,
                                          const std::vector<std::vector<EvalResults>>& evals, const std::string& score,
                                          const std::string& part) {
  Figure f;
  f.name = "distribution_" + file_key(score);
  f.kind = FigureKind::boxes;
  f.size = variants.size() > 4 ? kFullWidth : kSingleColumn;
  f.y_label = "per-image " + score_header(score);
  f.caption = "Per-image " + score_header(score) +
              " per variant (all " + part + " images of all seeds): boxes span the quartiles, the bar is the median, "
              "whiskers reach 1.5 IQR.";
  Series s;
  for (size_t i = 0; i < variants.size(); ++i) {
    std::vector<double> values;
    for (const auto& e : evals[i])
      for (const auto& [id, scores] : e.per_image) {
        const auto it = scores.find(score);
        if (it != scores.end()) values.push_back(it->second);
      }
    if (values.empty()) continue;
    f.categories.push_back(variants[i].label);
    s.boxes.push_back(box_stats(values));
  }
  if (s.boxes.empty()) return std::nullopt;
  f.series.push_back(std::move(s));
  return f;
}

std::vector<Figure> efficiency_figures(const std::vector<Variant>& variants) {
  struct Axis {
    std::string name;
    std::string label;
    std::function<double(const ReportRun&)> value;
    bool log;
    std::string note;  // appended to the caption
  };
  std::vector<const ReportRun*> runs;
  for (const auto& v : variants) runs.insert(runs.end(), v.runs.begin(), v.runs.end());
  const LatencyChoice latency = choose_latency_records(runs);
  std::vector<Axis> axes{
      {"parameters", "parameters (millions)", [](const ReportRun& r) { return record_number(r, "model.parameters") / 1e6; }, true, ""},
      {"gflops", "GFLOP per image (forward)", [](const ReportRun& r) { return record_number(r, "model.gflops"); }, true, ""},
  };
  if (!latency.setup.empty()) {
    // Measured by `seglab bench`: median latency at batch 1 on one setup.
    const BenchRecord& any = *latency.by_run.begin()->second;
    std::string note = " Latency is the median of " + std::to_string(any.repeats) + " timed calls at batch 1 (" +
                       std::to_string(any.image_size) + "x" + std::to_string(any.image_size) + " input, after " +
                       std::to_string(any.warmup) + " warm-up calls), measured by seglab bench on " + latency.setup + ".";
    if (!latency.left_out.empty())
      note += " Left out, with no batch-1 bench record on this setup: run" + std::string(latency.left_out.size() > 1 ? "s " : " ") +
              join(latency.left_out, ", ") + " (run `seglab bench <id>` on the same machine).";
    axes.push_back({"inference_time", "inference latency, batch 1 (ms per image)",
                    [&latency](const ReportRun& r) {
                      const auto it = latency.by_run.find(r.info.id);
                      return it == latency.by_run.end() ? NAN : it->second->median_ms_per_image();
                    },
                    false, note});
  } else {
    // No run was benchmarked: the throughput the trainer saw while validating,
    // under whatever load and thread count the run had, named as such.
    axes.push_back({"inference_time", "ms per image from validation throughput during training",
                    [](const ReportRun& r) {
                      const auto it = r.final_metrics.find("val.images_per_second");
                      return it == r.final_metrics.end() || it->second <= 0 ? NAN : 1000.0 / it->second;
                    },
                    false,
                    " Not a measured latency: 1000 / the validation throughput during training (images/s of the last "
                    "epoch, under the training run's load and threads); run `seglab bench <id>` for measured latency."});
  }
  std::vector<Figure> figures;
  for (const auto& axis : axes) {
    Figure f;
    f.name = "efficiency_" + axis.name;
    f.kind = FigureKind::scatter;
    f.x_label = axis.label;
    f.y_label = "validation Dice";
    f.x_log = axis.log;
    f.caption = "Validation Dice against " + axis.label + ", one point per variant (means over seeds)." + axis.note;
    for (const auto& v : variants) {
      std::vector<double> xs, ys;
      for (const ReportRun* run : v.runs) xs.push_back(axis.value(*run)), ys.push_back(final_score(*run, "dice"));
      const MeanStd x = mean_std(xs), y = mean_std(ys);
      if (x.n == 0 || y.n == 0) continue;
      Series s;
      s.label = v.label;
      s.x = {x.mean};
      s.y = {y.mean};
      f.series.push_back(std::move(s));
    }
    if (!f.series.empty()) figures.push_back(std::move(f));
  }
  return figures;
}

Figure class_metrics_figure(const std::string& name, const std::string& title,
                            const std::vector<std::vector<double>>& confusion, const std::vector<std::string>& classes) {
  const size_t k = classes.size();
  Figure f;
  f.name = name;
  f.kind = FigureKind::bars;
  f.y_label = "score";
  f.y_from_zero = true;
  f.categories = classes;
  f.categories.push_back("mean");
  Series iou, accuracy, precision;
  iou.label = "IoU";
  accuracy.label = "pixel accuracy (recall)";
  precision.label = "precision";
  for (size_t c = 0; c < k; ++c) {
    double tp = confusion[c][c], fn = 0, fp = 0;
    for (size_t j = 0; j < k; ++j)
      if (j != c) fn += confusion[c][j], fp += confusion[j][c];
    // 0 / 0 is 1, the ISIC empty-case convention of core/segmentation_metrics.h,
    // so the bars show what `seglab eval` wrote into per_class.csv.
    const auto ratio = [](double a, double b) { return b > 0 ? a / b : 1.0; };
    iou.y.push_back(ratio(tp, tp + fp + fn));
    accuracy.y.push_back(ratio(tp, tp + fn));
    precision.y.push_back(ratio(tp, tp + fp));
  }
  char caption[512];
  for (Series* s : {&iou, &accuracy, &precision}) s->y.push_back(mean_std(s->y).mean);
  std::snprintf(caption, sizeof caption,
                "%s: per-class IoU (mean %.3f), pixel accuracy (mean %.3f) and precision (mean %.3f) from the "
                "pixel confusion matrix.",
                title.c_str(), iou.y.back(), accuracy.y.back(), precision.y.back());
  f.caption = caption;
  f.series = {iou, accuracy, precision};
  return f;
}

Figure confusion_figure(const std::string& name, const std::string& title,
                        const std::vector<std::vector<double>>& confusion, const std::vector<std::string>& classes) {
  Figure f;
  f.name = name;
  f.kind = FigureKind::heatmap;
  f.x_label = "predicted class";
  f.y_label = "true class";
  f.categories = classes;
  f.row_labels = classes;
  f.caption = title + ": pixel confusion matrix, each row normalised to sum to 1.";
  for (const auto& row : confusion) {
    double total = 0;
    for (double v : row) total += v;
    std::vector<double> normalised;
    for (double v : row) normalised.push_back(total > 0 ? v / total : 0);
    f.matrix.push_back(normalised);
  }
  return f;
}

ResultsTable results_table(const std::vector<Variant>& variants, const std::vector<std::string>& scores) {
  ResultsTable t;
  t.caption = "Validation scores per variant, mean ± sample standard deviation (n - 1) over seeds; best in bold.";
  t.label = "tab:seglab-results";
  for (const auto& score : scores) t.columns.push_back({score, score_header(score), !lower_is_better(score)});
  for (const auto& v : variants) {
    t.row_labels.push_back(v.runs.size() > 1 ? v.label + " (" + std::to_string(v.runs.size()) + " runs)" : v.label);
    std::vector<MeanStd> row;
    for (const auto& score : scores) {
      std::vector<double> values;
      for (const ReportRun* run : v.runs) values.push_back(final_score(*run, score));
      row.push_back(mean_std(values));
    }
    t.cells.push_back(row);
  }
  return t;
}

}  // namespace seglab
