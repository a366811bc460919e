#include "core/image_header.h"

#include <cstring>

namespace seglab {
namespace {

using Bytes = std::vector<unsigned char>;

uint32_t big16(const Bytes& b, size_t at) { return static_cast<uint32_t>(b[at] << 8 | b[at + 1]); }
uint32_t big32(const Bytes& b, size_t at) {
  return static_cast<uint32_t>(b[at]) << 24 | static_cast<uint32_t>(b[at + 1]) << 16 | big16(b, at + 2);
}
uint32_t little16(const Bytes& b, size_t at) { return static_cast<uint32_t>(b[at] | b[at + 1] << 8); }
uint32_t little32(const Bytes& b, size_t at) {
  return little16(b, at) | static_cast<uint32_t>(b[at + 2]) << 16 | static_cast<uint32_t>(b[at + 3]) << 24;
}

bool starts_with(const Bytes& b, const char* magic, size_t n) {
  return b.size() >= n && std::memcmp(b.data(), magic, n) == 0;
}

std::optional<ImageHeader> png(const Bytes& b) {
  // Signature (8), IHDR length and type (8), width and height (4 + 4).
  if (b.size() < 24 || std::memcmp(b.data() + 12, "IHDR", 4) != 0) return std::nullopt;
  return ImageHeader{"png", big32(b, 16), big32(b, 20)};
}

std::optional<ImageHeader> jpeg(const Bytes& b) {
  size_t at = 2;
  while (at + 4 <= b.size()) {
    if (b[at] != 0xFF) return std::nullopt;
    const unsigned char marker = b[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // markers without a length
      at += 2;
      continue;
    }
    const size_t length = big16(b, at + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      if (at + 9 > b.size()) return std::nullopt;
      return ImageHeader{"jpeg", big16(b, at + 7), big16(b, at + 5)};
    }
    if (marker == 0xDA || length < 2) return std::nullopt;  // scan data before any frame header
    at += 2 + length;
  }
  return std::nullopt;
}

std::optional<ImageHeader> bmp(const Bytes& b) {
  if (b.size() < 26) return std::nullopt;
  const uint32_t header_size = little32(b, 14);
  if (header_size == 12) return ImageHeader{"bmp", little16(b, 18), little16(b, 20)};  // OS/2 core header
  const auto width = static_cast<int32_t>(little32(b, 18));
  const auto height = static_cast<int32_t>(little32(b, 22));  // negative: rows stored top-down
  return ImageHeader{"bmp", width < 0 ? -static_cast<int64_t>(width) : width,
                     height < 0 ? -static_cast<int64_t>(height) : height};
}

std::optional<ImageHeader> tiff(const Bytes& b) {
  const bool little = b[0] == 'I';
  const auto u16 = [&](size_t at) { return little ? little16(b, at) : big16(b, at); };
  const auto u32 = [&](size_t at) { return little ? little32(b, at) : big32(b, at); };
  const size_t ifd = u32(4);
  if (ifd + 2 > b.size()) return std::nullopt;
  const size_t entries = u16(ifd);
  ImageHeader h{"tiff", -1, -1};
  for (size_t i = 0; i < entries; ++i) {
    const size_t at = ifd + 2 + 12 * i;
    if (at + 12 > b.size()) return std::nullopt;
    const uint32_t tag = u16(at), type = u16(at + 2);
    const int64_t value = type == 3 ? u16(at + 8) : u32(at + 8);  // SHORT or LONG
    if (tag == 256) h.width = value;
    if (tag == 257) h.height = value;
  }
  if (h.width < 0 || h.height < 0) return std::nullopt;
  return h;
}

}  // namespace

std::optional<ImageHeader> read_image_header(const Bytes& bytes) {
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n", 8)) return png(bytes);
  if (starts_with(bytes, "\xFF\xD8\xFF", 3)) return jpeg(bytes);
  if (starts_with(bytes, "BM", 2)) return bmp(bytes);
  if ((starts_with(bytes, "II*\0", 4) || starts_with(bytes, "MM\0*", 4)) && bytes.size() >= 8) return tiff(bytes);
  return std::nullopt;
}

}  // namespace seglab
