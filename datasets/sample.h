#pragma once
// One decoded sample: an 8-bit RGB image and a mask of class indices of the
// same size (0 = background, 1.. = classes, 255 = ignore); and what can be
// wrong with one.
#include <opencv2/core.hpp>
#include <string>

namespace seglab {

struct LoadedSample {
  std::string id;
  cv::Mat image;  // CV_8UC3, RGB order
  cv::Mat mask;   // CV_8UC1, class indices
};

// A sample that cannot be used, named by the file at fault: "missing mask",
// "mask is not binary (values 0, 128, 255)", "duplicate id", ...
struct SampleProblem {
  std::string id;
  std::string path;
  std::string problem;
};

}  // namespace seglab
