#pragma once
// Turning decoded samples into network input: resizing (area for shrinking,
// nearest for masks), ImageNet mean/std normalisation and NCHW packing. Used
// by the loader and by prediction on users' own images, so both see the same
// input.
#include <opencv2/core.hpp>
#include <vector>

#include "core/tensor.h"

namespace seglab {

// Per-channel (RGB) mean and std of x/255; ImageNet's by default, as the
// encoders' published weights expect.
struct Normalization {
  float mean[3] = {0.485f, 0.456f, 0.406f};
  float std[3] = {0.229f, 0.224f, 0.225f};
};

cv::Mat resize_image(const cv::Mat& rgb, int width, int height);
cv::Mat resize_mask(const cv::Mat& mask, int width, int height);

// Writes one RGB image as normalised C x H x W floats at `out`.
void pack_image(const cv::Mat& rgb, float* out, const Normalization& normalization = {});
// Writes one class mask as 1 x H x W floats at `out`.
void pack_mask(const cv::Mat& mask, float* out);

// N x 3 x H x W from same-sized RGB images.
Tensor images_to_tensor(const std::vector<cv::Mat>& images, const Normalization& normalization = {});

}  // namespace seglab
