#pragma once
// The image-size limit of the datasets layer (kMaxImagePixels), checked on a
// file's header before decoding (core/image_header.h) and on the decoded size
// for formats whose header is not parsed.
#include <cstdint>
#include <string>
#include <vector>

#include "core/image_header.h"

namespace seglab {

// Throws DataError naming `input` when the header declares more than
// kMaxImagePixels (datasets/input_limits.h) or a zero width or height.
void check_image_header(const std::vector<unsigned char>& bytes, const std::string& input);
// The same check for a size already known.
void check_image_pixels(int64_t width, int64_t height, const std::string& input);

}  // namespace seglab
