#pragma once
// One decoded sample: an 8-bit RGB image and a mask of class indices of the
// same size (0 = background, 1.. = classes, 255 = ignore).
#include <opencv2/core.hpp>
#include <string>

namespace seglab {

struct LoadedSample {
  std::string id;
  cv::Mat image;  // CV_8UC3, RGB order
  cv::Mat mask;   // CV_8UC1, class indices
};

}  // namespace seglab
