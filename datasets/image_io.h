#pragma once
// Reading images and masks with errors that name the file and the fault, and
// writing PNGs without ever leaving a half-written file.
#include <opencv2/core.hpp>
#include <string>

namespace seglab {

// Decodes any format OpenCV reads (BMP incl. 1-bit, JPEG, PNG, TIFF) to 8-bit RGB.
cv::Mat read_rgb_image(const std::string& path);
// Decodes a binary mask (values 0 and 255, or 0 and 1; 1-bit BMP included) to 0/1.
// A mask with other values (e.g. a JPEG-compressed mask) is a DataError that
// lists the values found.
cv::Mat read_binary_mask(const std::string& path);
// Writes PNG via a temporary file and rename. `image` is RGB or single-channel.
void write_png(const std::string& path, const cv::Mat& image);

}  // namespace seglab
