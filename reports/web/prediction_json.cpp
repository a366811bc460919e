#include "reports/web/prediction_json.h"

#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "core/error.h"
#include "reports/overlay.h"

namespace seglab {

std::string encode_png(const cv::Mat& image) {
  cv::Mat bgr = image;
  if (image.channels() == 3) cv::cvtColor(image, bgr, cv::COLOR_RGB2BGR);
  std::vector<uchar> bytes;
  if (!cv::imencode(".png", bgr, bytes)) throw Error("cannot encode a PNG", "prediction");
  return std::string(bytes.begin(), bytes.end());
}

std::string base64_encode(const std::string& bytes) {
  static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += {digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63], digits[v & 63]};
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = uint8_t(bytes[i]) << 16;
    out += {digits[v >> 18], digits[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += {digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63], '='};
  }
  return out;
}

nlohmann::json prediction_to_json(const std::string& run_id, const cv::Mat& rgb, const Prediction& p) {
  const bool binary = p.num_classes == 2;
  cv::Mat probability;
  p.lesion_probability.convertTo(probability, CV_8U, 255.0);
  const double fraction = cv::countNonZero(p.mask) / static_cast<double>(std::max<size_t>(1, p.mask.total()));
  return {
      {"run", run_id},
      {"width", rgb.cols},
      {"height", rgb.rows},
      {"threshold", p.threshold},
      {"num_classes", p.num_classes},
      {"lesion_fraction", fraction},
      {"image_png", base64_encode(encode_png(rgb))},
      {"mask_png", base64_encode(encode_png(binary ? cv::Mat(p.mask * 255) : colorize_mask(p.mask)))},
      {"probability_png", base64_encode(encode_png(probability))},
      {"overlay_png", base64_encode(encode_png(overlay_mask(rgb, p.mask)))},
  };
}

}  // namespace seglab
