#pragma once
// Malformed files made by code: images with hand-written headers (decompression
// bombs), truncated and corrupted copies, and a small folder dataset.
#include <cstdint>
#include <string>

namespace seglab::test {

void write_bytes(const std::string& path, const std::string& bytes);
std::string read_bytes(const std::string& path);
// Keeps the first `keep` bytes of the file.
void truncate_file(const std::string& path, size_t keep);

// A valid PNG (8-bit grey) of width x height, every pixel 0: the IDAT of a
// 10000 x 10000 image deflates to about 100 KB (a real decompression bomb).
std::string zero_png(int64_t width, int64_t height);
// A PNG/JPEG/BMP/TIFF whose header declares width x height over a few bytes of data.
std::string png_declaring(uint32_t width, uint32_t height);
std::string jpeg_declaring(uint16_t width, uint16_t height);
std::string bmp_declaring(int32_t width, int32_t height);
std::string tiff_declaring(uint32_t width, uint32_t height);

// root/images/{a,b,c,d}.png and root/masks/{a,b,c,d}.png, 40x30 with a disc;
// and an experiment (tiny model) that trains on it.
void write_folder_dataset(const std::string& root);
std::string folder_experiment(const std::string& root);

// Base64 of raw bytes (for LabelMe imageData and mask bitmaps).
std::string base64(const std::string& bytes);

}  // namespace seglab::test
