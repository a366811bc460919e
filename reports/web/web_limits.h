#pragma once
// The limits of the web UI (`seglab serve`), in one place.
// docs/limits-and-errors.md lists them with those of the other layers.
#include <cstddef>
#include <cstdint>

namespace seglab {

// An uploaded file (`--max-upload-mb` changes it); request bodies larger than
// this plus 64 KiB of multipart framing are refused by httplib with 413.
constexpr size_t kDefaultMaxUploadBytes = 20 * 1024 * 1024;
// Pixels of an uploaded image, checked on its header before decoding (a
// decompression bomb never allocates) and again after. 8000 x 8000, the
// datasets layer's kMaxImagePixels.
constexpr int64_t kMaxUploadPixels = 64'000'000;

}  // namespace seglab
