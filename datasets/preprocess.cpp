#include "datasets/preprocess.h"

#include <opencv2/imgproc.hpp>

namespace seglab {
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

void pack_image(const cv::Mat& rgb, float* out, const Normalization& n) {
  const int h = rgb.rows, w = rgb.cols;
  const size_t plane = static_cast<size_t>(h) * w;
  // One table per channel: (v/255 - mean) / std for every byte value.
  float table[3][256];
  for (int c = 0; c < 3; ++c)
    for (int v = 0; v < 256; ++v) table[c][v] = (v / 255.0f - n.mean[c]) / n.std[c];
  for (int y = 0; y < h; ++y) {
    const cv::Vec3b* row = rgb.ptr<cv::Vec3b>(y);
    float* r = out + static_cast<size_t>(y) * w;
    float* g = r + plane;
    float* b = g + plane;
    for (int x = 0; x < w; ++x) {
      r[x] = table[0][row[x][0]];
      g[x] = table[1][row[x][1]];
      b[x] = table[2][row[x][2]];
    }
  }
}

void pack_mask(const cv::Mat& mask, float* out) {
  for (int y = 0; y < mask.rows; ++y) {
    const uchar* row = mask.ptr<uchar>(y);
    for (int x = 0; x < mask.cols; ++x) out[static_cast<size_t>(y) * mask.cols + x] = row[x];
  }
}

Tensor images_to_tensor(const std::vector<cv::Mat>& images, const Normalization& normalization) {
  if (images.empty()) return Tensor();
  const int h = images[0].rows, w = images[0].cols;
  Tensor t({static_cast<int64_t>(images.size()), 3, h, w});
  for (size_t i = 0; i < images.size(); ++i) pack_image(images[i], t.data() + i * 3 * h * w, normalization);
  return t;
}

}  // namespace seglab
