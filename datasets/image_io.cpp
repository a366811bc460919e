#include "datasets/image_io.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <vector>

#include "core/atomic_file.h"
#include "core/error.h"
#include "datasets/image_header.h"

namespace seglab {
namespace {

std::vector<uchar> read_bytes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw DataError("file not found", path, "check the dataset folder and file names");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open file", path, "check its permissions");
  std::vector<uchar> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) throw DataError("file is empty (0 bytes)", path, "replace or remove it");
  return bytes;
}

bool has_tail(const std::vector<uchar>& bytes, const std::string& marker, size_t window) {
  const size_t start = bytes.size() > window ? bytes.size() - window : 0;
  return std::search(bytes.begin() + static_cast<long>(start), bytes.end(), marker.begin(), marker.end(),
                     [](uchar a, char b) { return a == static_cast<uchar>(b); }) != bytes.end();
}

// Decoders fill a truncated JPEG with grey and say so only on stderr, so the
// formats that announce their end are checked for it before decoding.
void check_complete(const std::vector<uchar>& bytes, const std::string& path) {
  const auto starts = [&](std::initializer_list<uchar> magic) {
    return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin());
  };
  const char* remedy = "the file is cut short; copy or export it again";
  if (starts({0xFF, 0xD8, 0xFF}) && !has_tail(bytes, "\xFF\xD9", 64))
    throw DataError("truncated JPEG file (no end-of-image marker)", path, remedy);
  if (starts({0x89, 'P', 'N', 'G'}) && !has_tail(bytes, "IEND", 64))
    throw DataError("truncated PNG file (no IEND chunk)", path, remedy);
  if (starts({'B', 'M'}) && bytes.size() >= 6) {
    const uint32_t declared = bytes[2] | bytes[3] << 8 | bytes[4] << 16 | static_cast<uint32_t>(bytes[5]) << 24;
    if (declared > bytes.size())
      throw DataError("truncated BMP file (" + std::to_string(bytes.size()) + " of " + std::to_string(declared) + " bytes)",
                      path, remedy);
  }
}

cv::Mat decode(const std::string& path, int flags) {
  const std::vector<uchar> bytes = read_bytes(path);
  check_complete(bytes, path);
  check_image_header(bytes, path);  // before decoding: a decompression bomb never allocates
  cv::Mat decoded;
  try {
    decoded = cv::imdecode(bytes, flags);
  } catch (const cv::Exception& e) {
    throw DataError("cannot decode image (" + std::string(e.what()) + ")", path, "the file may be truncated or corrupt");
  }
  if (decoded.empty())
    throw DataError("cannot decode image: unknown format, or truncated/corrupt data", path,
                    "re-export it as PNG, JPEG, BMP or TIFF");
  check_image_pixels(decoded.cols, decoded.rows, path);  // formats without a parsed header
  return decoded;
}

}  // namespace

cv::Mat read_rgb_image(const std::string& path) {
  cv::Mat bgr = decode(path, cv::IMREAD_COLOR);
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  return rgb;
}

cv::Mat read_binary_mask(const std::string& path) {
  // Any depth: a 16-bit mask holding 0 and 1 would be scaled to all zeros by
  // an 8-bit decode, silently losing the lesion.
  cv::Mat mask = decode(path, cv::IMREAD_GRAYSCALE | cv::IMREAD_ANYDEPTH);
  if (mask.depth() != CV_8U && mask.depth() != CV_16U)
    throw DataError("mask has an unsupported pixel type (floating point or 32-bit)", path,
                    "save masks as 8-bit PNG or BMP holding 0 and 255");
  std::set<int> values;
  for (int y = 0; y < mask.rows && values.size() <= 8; ++y) {
    if (mask.depth() == CV_8U) {
      const uchar* row = mask.ptr<uchar>(y);
      for (int x = 0; x < mask.cols; ++x) values.insert(row[x]);
    } else {
      const uint16_t* row = mask.ptr<uint16_t>(y);
      for (int x = 0; x < mask.cols; ++x) values.insert(row[x]);
    }
  }
  const int full = mask.depth() == CV_8U ? 255 : 65535;
  const bool zero_full = values.size() <= 2 && (values.count(0) + values.count(full)) == values.size();
  const bool zero_255 = values.size() <= 2 && (values.count(0) + values.count(255)) == values.size();
  const bool zero_one = values.size() <= 2 && (values.count(0) + values.count(1)) == values.size();
  if (!zero_full && !zero_255 && !zero_one) {
    std::string listed;
    int shown = 0;
    for (int v : values) {
      if (shown++ == 6) {
        listed += ", ...";
        break;
      }
      listed += (listed.empty() ? "" : ", ") + std::to_string(v);
    }
    throw DataError("mask is not binary (values " + listed + ")", path,
                    "masks must hold only 0 and 255 (or 0 and 1); save them losslessly as PNG or BMP, not JPEG");
  }
  cv::Mat binary;
  if (mask.depth() != CV_8U) mask.convertTo(mask, CV_8U, 1.0, 0.0);  // 0/1 stay, 0/255 stay, 65535 saturates
  cv::threshold(mask, binary, 0, 1, cv::THRESH_BINARY);
  return binary;
}

void write_png(const std::string& path, const cv::Mat& image) {
  cv::Mat out = image;
  if (image.channels() == 3) cv::cvtColor(image, out, cv::COLOR_RGB2BGR);
  std::vector<uchar> bytes;
  if (!cv::imencode(".png", out, bytes)) throw DataError("cannot encode PNG", path);
  write_file_atomically(path, bytes.data(), bytes.size());
}

}  // namespace seglab
