#pragma once
// Pictures of masks for people: a mask blended over its image with the lesion
// outlined, and class masks in a colour-blind-safe palette.
#include <opencv2/core.hpp>

namespace seglab {

// `mask` holds class indices; class c > 0 is tinted with palette colour c and
// outlined. Returns RGB.
cv::Mat overlay_mask(const cv::Mat& rgb, const cv::Mat& mask, double opacity = 0.4);
// Class indices to RGB colours (0 black, 255 white for "ignore").
cv::Mat colorize_mask(const cv::Mat& mask);
// Colour of class c (Okabe-Ito palette, cycling), RGB.
cv::Vec3b class_colour(int c);

}  // namespace seglab
