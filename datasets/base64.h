#pragma once
// Base64 decoding (RFC 4648, standard alphabet), for the images and bitmaps
// that LabelMe embeds in its JSON files (`imageData`, a mask shape's `mask`).
#include <optional>
#include <string>
#include <vector>

namespace seglab {

// The decoded bytes, or nothing when `text` is not valid base64. Whitespace
// (line breaks of MIME-style encoders) is skipped; padding is optional.
std::optional<std::vector<unsigned char>> decode_base64(const std::string& text);

}  // namespace seglab
