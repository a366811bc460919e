#include "datasets/labelme_viz.h"

#include "core/confusion_matrix.h"

namespace seglab {

cv::Vec3b voc_class_colour(int index) {
  int r = 0, g = 0, b = 0;
  for (int j = 0, c = index; j < 8; ++j, c >>= 3) {
    r |= ((c >> 0) & 1) << (7 - j);
    g |= ((c >> 1) & 1) << (7 - j);
    b |= ((c >> 2) & 1) << (7 - j);
  }
  return cv::Vec3b(static_cast<uchar>(r), static_cast<uchar>(g), static_cast<uchar>(b));
}

cv::Mat class_overlay(const cv::Mat& rgb, const cv::Mat& classes) {
  cv::Mat out = rgb.clone();
  for (int y = 0; y < out.rows; ++y) {
    const uchar* c = classes.ptr<uchar>(y);
    cv::Vec3b* px = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < out.cols; ++x) {
      if (c[x] == 0) continue;
      const cv::Vec3b colour = c[x] == kIgnoreIndex ? cv::Vec3b(128, 128, 128) : voc_class_colour(c[x]);
      for (int k = 0; k < 3; ++k) px[x][k] = static_cast<uchar>((px[x][k] + colour[k] + 1) / 2);
    }
  }
  return out;
}

}  // namespace seglab
