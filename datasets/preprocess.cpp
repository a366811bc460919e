#include "datasets/preprocess.h"

#include <opencv2/imgproc.hpp>

namespace seglab {
namespace {
constexpr float kMean[3] = {0.485f, 0.456f, 0.406f};
constexpr float kStd[3] = {0.229f, 0.224f, 0.225f};
}  // namespace

cv::Mat resize_image(const cv::Mat& rgb, int width, int height) {
  if (rgb.cols == width && rgb.rows == height) return rgb.clone();
  const bool shrinking = width < rgb.cols || height < rgb.rows;
  cv::Mat out;
  cv::resize(rgb, out, cv::Size(width, height), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}

cv::Mat resize_mask(const cv::Mat& mask, int width, int height) {
  if (mask.cols == width && mask.rows == height) return mask.clone();
  cv::Mat out;
  cv::resize(mask, out, cv::Size(width, height), 0, 0, cv::INTER_NEAREST);
  return out;
}

void pack_image(const cv::Mat& rgb, float* out) {
  const int h = rgb.rows, w = rgb.cols;
  const size_t plane = static_cast<size_t>(h) * w;
  for (int y = 0; y < h; ++y) {
    const cv::Vec3b* row = rgb.ptr<cv::Vec3b>(y);
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        out[c * plane + static_cast<size_t>(y) * w + x] = (row[x][c] / 255.0f - kMean[c]) / kStd[c];
  }
}

void pack_mask(const cv::Mat& mask, float* out) {
  for (int y = 0; y < mask.rows; ++y) {
    const uchar* row = mask.ptr<uchar>(y);
    for (int x = 0; x < mask.cols; ++x) out[static_cast<size_t>(y) * mask.cols + x] = row[x];
  }
}

Tensor images_to_tensor(const std::vector<cv::Mat>& images) {
  if (images.empty()) return Tensor();
  const int h = images[0].rows, w = images[0].cols;
  Tensor t({static_cast<int64_t>(images.size()), 3, h, w});
  for (size_t i = 0; i < images.size(); ++i) pack_image(images[i], t.data() + i * 3 * h * w);
  return t;
}

}  // namespace seglab
