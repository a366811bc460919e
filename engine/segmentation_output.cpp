#include "engine/segmentation_output.h"

#include <opencv2/imgproc.hpp>

namespace seglab {

cv::Mat probabilities_to_mask(const Tensor& p, double threshold) {
  const int k = static_cast<int>(p.dim(0)), h = static_cast<int>(p.dim(1)), w = static_cast<int>(p.dim(2));
  const size_t plane = static_cast<size_t>(h) * w;
  cv::Mat mask(h, w, CV_8U);
  uchar* out = mask.ptr<uchar>(0);
  if (k == 1) {
    for (size_t i = 0; i < plane; ++i) out[i] = p[static_cast<int64_t>(i)] > threshold ? 1 : 0;
    return mask;
  }
  for (size_t i = 0; i < plane; ++i) {
    int best = 0;
    for (int c = 1; c < k; ++c)
      if (p[static_cast<int64_t>(c * plane + i)] > p[static_cast<int64_t>(best * plane + i)]) best = c;
    out[i] = static_cast<uchar>(best);
  }
  return mask;
}

Tensor resize_probabilities(const Tensor& p, int width, int height) {
  const int k = static_cast<int>(p.dim(0)), h = static_cast<int>(p.dim(1)), w = static_cast<int>(p.dim(2));
  Tensor out({k, height, width});
  for (int c = 0; c < k; ++c) {
    const cv::Mat plane(h, w, CV_32F, const_cast<float*>(p.data()) + static_cast<size_t>(c) * h * w);
    cv::Mat resized(height, width, CV_32F, out.data() + static_cast<size_t>(c) * height * width);
    cv::resize(plane, resized, resized.size(), 0, 0, cv::INTER_LINEAR);
  }
  return out;
}

}  // namespace seglab
