#pragma once
// The qualitative figure of a thesis: one row per chosen image, columns
// image | ground truth | each variant's prediction, predictions drawn as
// contours over the image (ground truth in white, prediction in the
// variant's colour). Rows are chosen by the user or picked automatically as
// the best, median and worst images by mean Dice over the variants.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "reports/eval_results.h"
#include "reports/report_runs.h"

namespace seglab {

struct GridSample {
  cv::Mat image;  // 8-bit BGR, any size
  cv::Mat truth;  // 8-bit, 0 = background, > 0 = lesion
};
// Looks a sample up by id in the data of a run; nothing when it cannot. Given
// by the caller, because reading data is not the reports layer's job.
using SampleSource = std::function<std::optional<GridSample>(const ReportRun& run, const std::string& id)>;

struct GridRow {
  std::string id;
  std::string tag;  // "best", "median", "worst" or "chosen"
};

// Ids present in every variant's evaluation, ranked by mean Dice; `chosen`
// overrides (each must be present). Throws UsageError for a chosen id that is
// not in every evaluation.
std::vector<GridRow> pick_grid_rows(const std::vector<const EvalResults*>& evals, const std::vector<std::string>& chosen);

// Composes the grid as an image `tile` pixels per cell with a header row.
// Each variant's prediction is read from its evaluation's masks folder.
cv::Mat compose_grid(const std::vector<GridRow>& rows, const std::vector<std::string>& variant_labels,
                     const std::vector<const ReportRun*>& variant_runs, const std::vector<const EvalResults*>& evals,
                     const SampleSource& source, int tile);

}  // namespace seglab
