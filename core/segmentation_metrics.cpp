#include "core/segmentation_metrics.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "core/text.h"

namespace seglab {
namespace {

// numerator / denominator, with the ISIC empty-case convention of the header.
double ratio(int64_t numerator, int64_t denominator) {
  if (denominator == 0) return 1.0;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

}  // namespace

ClassScores class_scores(const ConfusionMatrix& m, int c) {
  const int64_t tp = m.true_positives(c), fp = m.false_positives(c), fn = m.false_negatives(c),
                tn = m.true_negatives(c);
  ClassScores s;
  s.iou = ratio(tp, tp + fp + fn);
  s.dice = ratio(2 * tp, 2 * tp + fp + fn);
  s.precision = ratio(tp, tp + fp);
  s.recall = ratio(tp, tp + fn);
  s.specificity = ratio(tn, tn + fp);
  return s;
}

double pixel_accuracy(const ConfusionMatrix& m) {
  int64_t correct = 0;
  for (int c = 0; c < m.num_classes(); ++c) correct += m.at(c, c);
  return ratio(correct, m.total());
}

double mean_iou(const ConfusionMatrix& m) {
  double sum = 0;
  for (int c = 0; c < m.num_classes(); ++c) sum += class_scores(m, c).iou;
  return sum / m.num_classes();
}

double thresholded_jaccard(double iou) { return iou < kIsicJaccardThreshold ? 0.0 : iou; }

Scores image_scores(const ConfusionMatrix& m) {
  Scores scores;
  ClassScores foreground;
  const int classes = m.num_classes();
  for (int c = 1; c < classes; ++c) {
    const ClassScores s = class_scores(m, c);
    foreground.iou += s.iou / (classes - 1);
    foreground.dice += s.dice / (classes - 1);
    foreground.precision += s.precision / (classes - 1);
    foreground.recall += s.recall / (classes - 1);
    foreground.specificity += s.specificity / (classes - 1);
  }
  scores["dice"] = foreground.dice;
  scores["iou"] = foreground.iou;
  scores["isic_jaccard"] = thresholded_jaccard(foreground.iou);
  scores["precision"] = foreground.precision;
  scores["recall"] = foreground.recall;
  scores["specificity"] = foreground.specificity;
  scores["accuracy"] = pixel_accuracy(m);
  scores["miou"] = mean_iou(m);
  if (classes > 2)
    for (int c = 0; c < classes; ++c) scores["iou_class" + std::to_string(c)] = class_scores(m, c).iou;
  return scores;
}

Scores boundary_scores(const uint8_t* predicted, const uint8_t* target, int height, int width, int num_classes,
                       const BoundaryOptions& options) {
  if (num_classes < 2) throw Error("boundary scores need at least 2 classes, got " + std::to_string(num_classes));
  const size_t n = static_cast<size_t>(height) * width;
  std::vector<uint8_t> p(n), t(n);
  Scores scores;
  const int foreground = num_classes - 1;
  // A class's score counts towards the mean over foreground classes and, with
  // more than one foreground class, stands under its own name as well.
  auto add = [&](const std::string& name, int c, double value) {
    scores[name] += value / foreground;
    if (num_classes > 2) scores[name + "_class" + std::to_string(c)] = value;
  };
  for (int c = 1; c < num_classes; ++c) {
    for (size_t i = 0; i < n; ++i) {
      const bool ignored = target[i] == kIgnoreIndex;
      t[i] = !ignored && target[i] == c;
      p[i] = !ignored && predicted[i] == c;
    }
    const SurfaceDistances px = surface_distances(p.data(), t.data(), height, width, {}, options.nsd_tolerance);
    add("hd95", c, px.hd95);
    add("assd", c, px.assd);
    if (options.nsd_tolerance) add("nsd", c, px.nsd);
    add("boundary_iou", c, boundary_iou(p.data(), t.data(), height, width, options.boundary_iou_dilation));
    if (!options.spacing_mm) continue;
    const SurfaceDistances mm =
        surface_distances(p.data(), t.data(), height, width, *options.spacing_mm, options.nsd_tolerance);
    add("hd95_mm", c, mm.hd95);
    add("assd_mm", c, mm.assd);
    if (options.nsd_tolerance) add("nsd_mm", c, mm.nsd);
  }
  return scores;
}

bool lower_is_better(const std::string& name) {
  const std::string score = name.substr(name.rfind('.') + 1);
  return score.find("loss") != std::string::npos || starts_with(score, "hd95") || starts_with(score, "assd");
}

std::map<std::string, Aggregate> aggregate(const std::vector<Scores>& per_image) {
  std::map<std::string, Aggregate> out;
  if (per_image.empty()) return out;
  std::map<std::string, std::vector<double>> columns;
  for (const auto& scores : per_image)
    for (const auto& [name, value] : scores) columns[name].push_back(value);
  for (const auto& [name, values] : columns) {
    double sum = 0;
    for (double v : values) sum += v;
    const double mean = sum / values.size();
    double squares = 0;
    for (double v : values) squares += (v - mean) * (v - mean);
    out[name] = {mean, std::sqrt(squares / values.size())};
  }
  return out;
}

}  // namespace seglab
