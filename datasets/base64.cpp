#include "datasets/base64.h"

#include <array>

namespace seglab {
namespace {

constexpr int kSkip = -2, kInvalid = -1;

std::array<int, 256> make_table() {
  std::array<int, 256> table;
  table.fill(kInvalid);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < alphabet.size(); ++i) table[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  for (char c : {' ', '\n', '\r', '\t'}) table[static_cast<unsigned char>(c)] = kSkip;
  return table;
}

}  // namespace

std::optional<std::vector<unsigned char>> decode_base64(const std::string& text) {
  static const std::array<int, 256> table = make_table();
  std::vector<unsigned char> out;
  out.reserve(text.size() / 4 * 3);
  unsigned int buffer = 0;
  int bits = 0;
  size_t padding = 0;
  for (unsigned char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    const int value = table[c];
    if (value == kSkip) continue;
    if (value == kInvalid || padding > 0) return std::nullopt;  // data after padding is malformed
    buffer = (buffer << 6) | static_cast<unsigned int>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xFF));
    }
  }
  // 6 leftover bits cannot come from whole bytes; more than two '=' is malformed.
  if (bits >= 6 || padding > 2) return std::nullopt;
  return out;
}

}  // namespace seglab
