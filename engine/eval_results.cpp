#include "engine/eval_results.h"

#include <cmath>
#include <sstream>

#include "core/atomic_file.h"
#include "core/text.h"

namespace seglab {
namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// JSON has no NaN: a missing figure is null.
std::string json_number(double v) { return std::isfinite(v) ? format_number(v) : "null"; }
std::string csv_number(double v) { return std::isfinite(v) ? format_number(v) : ""; }

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

double pooled_value(const EvalResult& r, const std::string& name) {
  return r.pooled.count(name) ? r.pooled.at(name) : NAN;
}

}  // namespace

std::vector<std::string> eval_metric_names(const EvalResult& result) {
  std::vector<std::string> names;
  for (const auto& [name, aggregate] : result.mean) names.push_back(name);
  return names;
}

void write_eval_tables(const EvalResult& r, const std::string& dir) {
  const std::vector<std::string> names = eval_metric_names(r);

  std::ostringstream per_image;
  per_image << "id," << join(names, ",") << "\n";
  for (size_t i = 0; i < r.ids.size(); ++i) {
    per_image << r.ids[i];
    for (const auto& name : names) {
      const auto it = r.per_image[i].find(name);
      per_image << "," << (it == r.per_image[i].end() ? std::string() : csv_number(it->second));
    }
    per_image << "\n";
  }
  write_file_atomically(dir + "/per_image.csv", per_image.str());

  std::ostringstream summary;
  summary << "metric,mean,std,pooled\n";
  for (const auto& name : names) {
    const Aggregate& a = r.mean.at(name);
    summary << name << "," << csv_number(a.mean) << "," << csv_number(a.std) << "," << csv_number(pooled_value(r, name))
            << "\n";
  }
  write_file_atomically(dir + "/summary.csv", summary.str());

  const ConfusionMatrix& m = r.confusion;
  std::ostringstream confusion;
  confusion << "target\\predicted";
  for (int c = 0; c < m.num_classes(); ++c) confusion << ",class" << c;
  confusion << "\n";
  for (int t = 0; t < m.num_classes(); ++t) {
    confusion << "class" << t;
    for (int p = 0; p < m.num_classes(); ++p) confusion << "," << m.at(t, p);
    confusion << "\n";
  }
  write_file_atomically(dir + "/confusion_matrix.csv", confusion.str());

  // Per-class accuracy is the share of the class's pixels labelled correctly
  // (the tutorial's "class pixel accuracy"), which is the class's recall.
  std::ostringstream per_class;
  per_class << "class,iou,accuracy,recall,precision,dice,pixels\n";
  std::ostringstream per_class_json;
  for (int c = 0; c < m.num_classes(); ++c) {
    const ClassScores s = class_scores(m, c);
    int64_t pixels = 0;
    for (int p = 0; p < m.num_classes(); ++p) pixels += m.at(c, p);
    per_class << c << "," << format_number(s.iou) << "," << format_number(s.recall) << "," << format_number(s.recall)
              << "," << format_number(s.precision) << "," << format_number(s.dice) << "," << pixels << "\n";
    per_class_json << (c ? ",\n    " : "    ") << "{\"class\": " << c << ", \"iou\": " << json_number(s.iou)
                   << ", \"accuracy\": " << json_number(s.recall) << ", \"recall\": " << json_number(s.recall)
                   << ", \"precision\": " << json_number(s.precision) << ", \"dice\": " << json_number(s.dice)
                   << ", \"pixels\": " << pixels << "}";
  }
  write_file_atomically(dir + "/per_class.csv", per_class.str());

  if (!r.skipped.empty()) {
    std::ostringstream skipped;
    skipped << "id,path,problem\n";
    for (const auto& bad : r.skipped) skipped << csv_field(bad.id) << "," << csv_field(bad.path) << "," << csv_field(bad.problem) << "\n";
    write_file_atomically(dir + "/skipped.csv", skipped.str());
  }

  std::ostringstream json;
  json << "{\n  \"run\": " << json_string(r.run_id) << ",\n  \"eval_id\": " << r.eval_id
       << ",\n  \"name\": " << json_string(r.name) << ",\n  \"images\": " << r.images
       << ",\n  \"checkpoint_epoch\": " << r.checkpoint_epoch << ",\n  \"threshold\": " << json_number(r.threshold)
       << ",\n  \"seconds\": " << json_number(std::round(r.seconds * 100) / 100) << ",\n  \"options\": {";
  bool first = true;
  for (const auto& [key, value] : r.options) {
    json << (first ? "\n    " : ",\n    ") << json_string(key) << ": " << json_string(value);
    first = false;
  }
  json << "\n  },\n  \"conventions\": "
       << json_string("mean and std over images, pooled over all pixels; isic_jaccard counts a per-image IoU below "
                      "0.65 as 0; a ratio with a zero denominator is 1 (ISIC); hd95 and assd are 0 when both masks "
                      "are empty and the image diagonal when one is; nsd is the fraction of both contours within "
                      "options.nsd_tolerance (pixels; mm for nsd_mm) of the other, 1 when both masks are empty and 0 "
                      "when one is; boundary_iou is the IoU of the inner bands of width options.boundary_iou_dilation "
                      "times the image diagonal, 1 when both masks are empty and 0 when one is")
       << ",\n  \"metrics\": {";
  first = true;
  for (const auto& name : names) {
    const Aggregate& a = r.mean.at(name);
    json << (first ? "\n    " : ",\n    ") << json_string(name) << ": {\"mean\": " << json_number(a.mean)
         << ", \"std\": " << json_number(a.std) << ", \"pooled\": " << json_number(pooled_value(r, name)) << "}";
    first = false;
  }
  json << "\n  },\n  \"per_class\": [\n" << per_class_json.str() << "\n  ]\n}\n";
  write_file_atomically(dir + "/summary.json", json.str());
}

}  // namespace seglab
