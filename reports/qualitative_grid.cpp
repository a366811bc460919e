#include "reports/qualitative_grid.h"

#include <algorithm>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "core/text.h"
#include "reports/palette.h"

namespace seglab {
namespace {

cv::Scalar bgr(const std::string& hex) {
  const auto part = [&](int k) { return std::stoi(hex.substr(1 + k * 2, 2), nullptr, 16); };
  return cv::Scalar(part(2), part(1), part(0));
}

cv::Mat fit_tile(const cv::Mat& image, int tile, int interpolation) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(tile, tile), 0, 0, interpolation);
  return out;
}

void draw_contours(cv::Mat& canvas, const cv::Mat& mask, const cv::Scalar& colour, int thickness) {
  std::vector<std::vector<cv::Point>> contours;
  cv::Mat binary = mask > 0;
  cv::findContours(binary, contours, cv::RETR_LIST, cv::CHAIN_APPROX_NONE);
  cv::drawContours(canvas, contours, -1, colour, thickness, cv::LINE_AA);
}

void put_centered(cv::Mat& canvas, const std::string& text, cv::Rect box, double scale) {
  int baseline = 0;
  std::string shown = text;
  cv::Size size = cv::getTextSize(shown, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &baseline);
  while (size.width > box.width - 4 && shown.size() > 4) {
    shown = shown.substr(0, shown.size() - 4) + "...";
    size = cv::getTextSize(shown, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &baseline);
  }
  const cv::Point origin(box.x + (box.width - size.width) / 2, box.y + (box.height + size.height) / 2);
  cv::putText(canvas, shown, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
}

}  // namespace

std::vector<GridRow> pick_grid_rows(const std::vector<const EvalResults*>& evals, const std::vector<std::string>& chosen) {
  std::map<std::string, std::vector<double>> dice;
  for (const auto& [id, scores] : evals.at(0)->per_image) {
    bool everywhere = true;
    std::vector<double> values;
    for (const EvalResults* e : evals) {
      const auto it = e->per_image.find(id);
      everywhere = everywhere && it != e->per_image.end() && it->second.count("dice");
      if (everywhere) values.push_back(it->second.at("dice"));
    }
    if (everywhere) dice[id] = values;
  }
  std::vector<GridRow> rows;
  if (!chosen.empty()) {
    for (const auto& id : chosen) {
      if (!dice.count(id))
        throw UsageError("image '" + id + "' is not in the evaluation of every variant", "--images",
                         "choose ids from the per_image.csv of the runs' evaluations");
      rows.push_back({id, "chosen"});
    }
    return rows;
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [id, values] : dice) {
    double sum = 0;
    for (double v : values) sum += v;
    ranked.push_back({sum / static_cast<double>(values.size()), id});
  }
  if (ranked.empty()) return rows;
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  rows.push_back({ranked.front().second, "best"});
  if (ranked.size() > 2) rows.push_back({ranked[ranked.size() / 2].second, "median"});
  if (ranked.size() > 1) rows.push_back({ranked.back().second, "worst"});
  return rows;
}

cv::Mat compose_grid(const std::vector<GridRow>& rows, const std::vector<std::string>& variant_labels,
                     const std::vector<const ReportRun*>& variant_runs, const std::vector<const EvalResults*>& evals,
                     const SampleSource& source, int tile) {
  const int gap = std::max(2, tile / 40), header = tile / 5, side = tile / 2;
  const int columns = 2 + static_cast<int>(variant_labels.size());
  cv::Mat canvas(header + static_cast<int>(rows.size()) * (tile + gap), side + columns * (tile + gap), CV_8UC3,
                 cv::Scalar(255, 255, 255));
  const double scale = tile / 400.0;
  std::vector<std::string> titles{"image", "ground truth"};
  titles.insert(titles.end(), variant_labels.begin(), variant_labels.end());
  for (int c = 0; c < columns; ++c) put_centered(canvas, titles[c], cv::Rect(side + c * (tile + gap), 0, tile, header), scale);
  for (size_t r = 0; r < rows.size(); ++r) {
    const int y = header + static_cast<int>(r) * (tile + gap);
    put_centered(canvas, rows[r].tag, cv::Rect(0, y, side, tile / 2), scale);
    std::optional<GridSample> sample = source(*variant_runs.at(0), rows[r].id);
    if (!sample)
      throw DataError("cannot read image '" + rows[r].id + "' of run " + variant_runs[0]->info.id,
                      variant_runs[0]->params.count("data.root") ? variant_runs[0]->params.at("data.root") : "data",
                      "make the run's data available again, or leave out the qualitative grid (--no-grid)");
    const cv::Mat image = fit_tile(sample->image, tile, cv::INTER_AREA);
    const cv::Mat truth = fit_tile(sample->truth, tile, cv::INTER_NEAREST);
    const int thickness = std::max(1, tile / 100);
    image.copyTo(canvas(cv::Rect(side, y, tile, tile)));
    cv::Mat truth_tile;
    cv::cvtColor(truth > 0, truth_tile, cv::COLOR_GRAY2BGR);
    truth_tile.copyTo(canvas(cv::Rect(side + tile + gap, y, tile, tile)));
    for (size_t v = 0; v < variant_labels.size(); ++v) {
      const std::string path = evals[v]->mask_path(rows[r].id);
      const cv::Mat predicted = cv::imread(path, cv::IMREAD_GRAYSCALE);
      if (predicted.empty())
        throw StoreError("the predicted mask is missing", path, "run `seglab eval` on run " + variant_runs[v]->info.id);
      cv::Mat cell = image.clone();
      draw_contours(cell, truth, cv::Scalar(255, 255, 255), thickness + 1);
      draw_contours(cell, fit_tile(predicted, tile, cv::INTER_NEAREST), bgr(series_colour(v)), thickness + 1);
      cell.copyTo(canvas(cv::Rect(side + static_cast<int>(2 + v) * (tile + gap), y, tile, tile)));
    }
  }
  return canvas;
}

}  // namespace seglab
