#pragma once
// An image's width and height read from its header, without decoding it, so
// that a decompression bomb (a small file declaring a huge image) is refused
// before any pixel memory is allocated. Plain byte parsing: core links no
// image library. The limits themselves belong to each layer
// (datasets/input_limits.h, reports/web/web_limits.h).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seglab {

struct ImageHeader {
  std::string format;  // "png", "jpeg", "bmp", "tiff"
  int64_t width = 0, height = 0;
};

// The header of a PNG, JPEG (baseline, progressive, lossless), BMP or TIFF
// (first image) file; nullopt for other formats or a header too short to read.
std::optional<ImageHeader> read_image_header(const std::vector<unsigned char>& bytes);

}  // namespace seglab
