#pragma once
// The answer of /api/predict: the figures of one segmentation and its pictures
// as base64 PNGs (data URLs in a page, files for a script).
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <string>

#include "reports/web/web_hooks.h"

namespace seglab {

// {"run", "width", "height", "threshold", "num_classes", "lesion_fraction",
//  "image_png", "mask_png" (0/255 for binary runs, class colours otherwise),
//  "probability_png" (lesion probability x 255, grey), "overlay_png"}
nlohmann::json prediction_to_json(const std::string& run_id, const cv::Mat& rgb, const Prediction& prediction);

// PNG bytes of an 8-bit RGB or grey image.
std::string encode_png(const cv::Mat& image);
std::string base64_encode(const std::string& bytes);

}  // namespace seglab
