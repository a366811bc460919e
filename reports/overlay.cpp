#include "reports/overlay.h"

#include <opencv2/imgproc.hpp>
#include <vector>

namespace seglab {

cv::Vec3b class_colour(int c) {
  // Okabe & Ito (2008), distinguishable with every common colour-vision deficiency.
  static const cv::Vec3b palette[] = {{0, 0, 0},       {230, 159, 0},  {86, 180, 233}, {0, 158, 115},
                                      {240, 228, 66},  {0, 114, 178},  {213, 94, 0},   {204, 121, 167}};
  if (c == 255) return {255, 255, 255};
  if (c <= 0) return palette[0];
  return palette[1 + (c - 1) % 7];
}

cv::Mat colorize_mask(const cv::Mat& mask) {
  cv::Mat out(mask.size(), CV_8UC3);
  for (int y = 0; y < mask.rows; ++y)
    for (int x = 0; x < mask.cols; ++x) out.at<cv::Vec3b>(y, x) = class_colour(mask.at<uchar>(y, x));
  return out;
}

cv::Mat overlay_mask(const cv::Mat& rgb, const cv::Mat& mask, double opacity) {
  cv::Mat out = rgb.clone();
  for (int y = 0; y < mask.rows; ++y) {
    for (int x = 0; x < mask.cols; ++x) {
      const int c = mask.at<uchar>(y, x);
      if (c == 0 || c == 255) continue;
      const cv::Vec3b tint = class_colour(c);
      cv::Vec3b& px = out.at<cv::Vec3b>(y, x);
      for (int k = 0; k < 3; ++k) px[k] = cv::saturate_cast<uchar>((1 - opacity) * px[k] + opacity * tint[k]);
    }
  }
  double max_class = 0;
  cv::minMaxLoc(mask, nullptr, &max_class);
  const int thickness = std::max(1, std::min(rgb.cols, rgb.rows) / 200);
  for (int c = 1; c <= static_cast<int>(max_class) && c < 255; ++c) {
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask == c, contours, cv::RETR_LIST, cv::CHAIN_APPROX_NONE);
    const cv::Vec3b colour = class_colour(c);
    cv::drawContours(out, contours, -1, cv::Scalar(colour[0], colour[1], colour[2]), thickness, cv::LINE_AA);
  }
  return out;
}

}  // namespace seglab
