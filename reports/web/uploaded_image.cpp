#include "reports/web/uploaded_image.h"

#include <cstdint>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "core/image_header.h"
#include "reports/web/http_error.h"

namespace seglab {
namespace {

bool starts_with(const std::string& bytes, const char* signature, size_t length) {
  return bytes.size() >= length && bytes.compare(0, length, signature, length) == 0;
}

}  // namespace

std::string image_format_of(const std::string& bytes) {
  if (starts_with(bytes, "\xFF\xD8\xFF", 3)) return "jpeg";
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n", 8)) return "png";
  if (starts_with(bytes, "BM", 2) && bytes.size() >= 26) return "bmp";
  if (starts_with(bytes, "II*\0", 4) || starts_with(bytes, "MM\0*", 4)) return "tiff";
  return "";
}

cv::Mat decode_uploaded_image(const std::string& bytes, const std::string& name) {
  const std::string input = name.empty() ? "upload" : name;
  if (bytes.empty()) throw HttpError(400, "the uploaded file is empty", input, "choose an image file");
  if (image_format_of(bytes).empty())
    throw HttpError(415, "not an image: the file is not JPEG, PNG, BMP or TIFF", input,
                    "upload a .jpg, .png, .bmp or .tif image");
  const std::vector<uchar> data(bytes.begin(), bytes.end());
  const auto header = read_image_header(data);
  if (header && (header->width <= 0 || header->height <= 0 || header->width > kMaxUploadPixels / header->height))
    throw HttpError(422, "the image is too large to segment (its header declares " + std::to_string(header->width) + "x" +
                             std::to_string(header->height) + ", over 64 megapixels)",
                    input, "downscale it first");
  cv::Mat decoded;
  try {
    decoded = cv::imdecode(data, cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    throw HttpError(422, "cannot decode the image (" + std::string(e.err) + ")", input,
                    "the file may be truncated or corrupt; re-export it");
  }
  if (decoded.empty())
    throw HttpError(422, "cannot decode the image: truncated or corrupt data", input, "re-export it as PNG or JPEG");
  if (static_cast<int64_t>(decoded.total()) > kMaxUploadPixels)
    throw HttpError(422, "the image is too large to segment (more than 64 megapixels)", input, "downscale it first");
  cv::Mat rgb;
  cv::cvtColor(decoded, rgb, cv::COLOR_BGR2RGB);
  return rgb;
}

}  // namespace seglab
