#include "tests/robustness/corpus_files.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "tests/datasets/dataset_test_support.h"
#include "tests/robustness/robustness_support.h"

namespace fs = std::filesystem;

namespace seglab::test {
namespace {

void put_big32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}
// bytes <= 8: a wider field would shift by 64 or more (UB; UBSan caught a
// put_little(b, 0, 24) here under the sanitize preset).
void put_little(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::string png_chunk(const std::string& type, const std::string& data) {
  std::string chunk;
  put_big32(chunk, static_cast<uint32_t>(data.size()));
  const std::string body = type + data;
  chunk += body;
  put_big32(chunk, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
  return chunk;
}

std::string png_ihdr(uint32_t width, uint32_t height) {
  std::string ihdr;
  put_big32(ihdr, width);
  put_big32(ihdr, height);
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grey, deflate, no filter, no interlace
  return std::string("\x89PNG\r\n\x1A\n", 8) + png_chunk("IHDR", ihdr);
}

}  // namespace

void write_bytes(const std::string& path, const std::string& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_bytes(const std::string& path) { return read_text_file(path); }

void truncate_file(const std::string& path, size_t keep) { fs::resize_file(path, keep); }

std::string zero_png(int64_t width, int64_t height) {
  // Rows of one filter byte and `width` zeros, deflated as a stream.
  z_stream z{};
  if (deflateInit(&z, 9) != Z_OK) throw std::runtime_error("deflateInit");
  std::vector<unsigned char> row(static_cast<size_t>(width) + 1, 0);
  std::vector<unsigned char> out(1 << 16);
  std::string idat;
  for (int64_t y = 0; y <= height; ++y) {
    const bool last = y == height;
    z.next_in = row.data();
    z.avail_in = last ? 0 : static_cast<uInt>(row.size());
    do {
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
      idat.append(reinterpret_cast<char*>(out.data()), out.size() - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  return png_ihdr(static_cast<uint32_t>(width), static_cast<uint32_t>(height)) + png_chunk("IDAT", idat) +
         png_chunk("IEND", "");
}

std::string png_declaring(uint32_t width, uint32_t height) {
  return png_ihdr(width, height) + png_chunk("IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8)) +
         png_chunk("IEND", "");
}

std::string jpeg_declaring(uint16_t width, uint16_t height) {
  std::string j("\xFF\xD8", 2);
  j += std::string("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
  j += std::string("\xFF\xC0\x00\x11\x08", 5);
  j += static_cast<char>(height >> 8);
  j += static_cast<char>(height & 0xFF);
  j += static_cast<char>(width >> 8);
  j += static_cast<char>(width & 0xFF);
  j += std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
  j += std::string(64, '\0');
  j += std::string("\xFF\xD9", 2);
  return j;
}

std::string bmp_declaring(int32_t width, int32_t height) {
  std::string b = "BM";
  const uint32_t size = 14 + 40 + 64;
  put_little(b, size, 4);
  put_little(b, 0, 4);
  put_little(b, 54, 4);
  put_little(b, 40, 4);
  put_little(b, static_cast<uint32_t>(width), 4);
  put_little(b, static_cast<uint32_t>(height), 4);
  put_little(b, 1, 2);
  put_little(b, 24, 2);
  for (int field = 0; field < 6; ++field) put_little(b, 0, 4);  // compression .. important colours
  b += std::string(64, '\0');
  return b;
}

std::string tiff_declaring(uint32_t width, uint32_t height) {
  std::string t("II*\0", 4);
  put_little(t, 8, 4);
  put_little(t, 2, 2);  // two entries: ImageWidth, ImageLength (LONG)
  put_little(t, 256, 2);
  put_little(t, 4, 2);
  put_little(t, 1, 4);
  put_little(t, width, 4);
  put_little(t, 257, 2);
  put_little(t, 4, 2);
  put_little(t, 1, 4);
  put_little(t, height, 4);
  put_little(t, 0, 4);
  t += std::string(64, '\0');
  return t;
}

void write_folder_dataset(const std::string& root) {
  for (const char* id : {"a", "b", "c", "d"})
    write_pair(root + "/images/" + id + ".png", root + "/masks/" + id + ".png", 40, 30, 6 + (id[0] - 'a'));
}

std::string folder_experiment(const std::string& root) {
  return tiny_experiment("[data]\nadapter = folder\nroot = " + root + "\nimage_size = 32\nval_ratio = 0.25\n");
}

std::string base64(const std::string& bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int k = 3; k >= 0; --k) out += table[(v >> (6 * k)) & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? table[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace seglab::test
