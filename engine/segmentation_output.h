#pragma once
// From a network's probabilities to class masks: threshold for binary runs
// (one sigmoid channel), arg-max otherwise.
#include <opencv2/core.hpp>

#include "core/tensor.h"

namespace seglab {

// `probabilities`: K x H x W for one image. Returns CV_8U class indices.
cv::Mat probabilities_to_mask(const Tensor& probabilities, double threshold);

// The K x H x W probabilities resized (bilinear) to width x height.
Tensor resize_probabilities(const Tensor& probabilities, int width, int height);

}  // namespace seglab
