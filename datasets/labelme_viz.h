#pragma once
// Colour overlays of class masks for checking a conversion by eye: each class
// in the PASCAL VOC colour map (as LabelMe's labelme2voc), blended half and
// half with the image; ignored pixels grey.
#include <opencv2/core.hpp>

namespace seglab {

// The VOC colour of class `index` (RGB).
cv::Vec3b voc_class_colour(int index);

// `rgb` (CV_8UC3) with `classes` (CV_8UC1, same size) painted over it.
cv::Mat class_overlay(const cv::Mat& rgb, const cv::Mat& classes);

}  // namespace seglab
