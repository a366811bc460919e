#include "datasets/image_header.h"

#include <cmath>

#include "core/error.h"
#include "datasets/input_limits.h"

namespace seglab {

void check_image_pixels(int64_t width, int64_t height, const std::string& input) {
  if (width <= 0 || height <= 0)
    throw DataError("image header declares a size of " + std::to_string(width) + "x" + std::to_string(height), input,
                    "the file is damaged; export it again");
  if (width > kMaxImagePixels / height)
    throw DataError("image is " + std::to_string(width) + "x" + std::to_string(height) + " (" +
                        // In double: a forged header's width x height overflows int64.
                        std::to_string(std::llround(static_cast<double>(width) * static_cast<double>(height) / 1e6)) +
                        " megapixels), over the limit of " + std::to_string(kMaxImagePixels / 1'000'000) +
                        " megapixels",
                    input, "downscale it first (a small file declaring a huge image is a decompression bomb)");
}

void check_image_header(const std::vector<unsigned char>& bytes, const std::string& input) {
  if (const auto header = read_image_header(bytes)) check_image_pixels(header->width, header->height, input);
}

}  // namespace seglab
