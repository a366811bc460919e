#pragma once
// Turning the bytes of an upload into an image, or into a 4xx that says why:
// only JPEG, PNG, BMP and TIFF are accepted (checked by their signature, not by
// the file name). Images over kMaxUploadPixels (web_limits.h) are refused
// from their header, before decoding, and never reach the network.
#include <opencv2/core.hpp>
#include <string>

#include "reports/web/web_limits.h"

namespace seglab {

// "jpeg", "png", "bmp", "tiff" or "" for anything else.
std::string image_format_of(const std::string& bytes);

// 8-bit RGB. Throws HttpError 415 for a file that is not one of the formats,
// 422 for one that does not decode (truncated, corrupt) or is too large.
// `name` is the upload's file name, used in messages only.
cv::Mat decode_uploaded_image(const std::string& bytes, const std::string& name);

}  // namespace seglab
