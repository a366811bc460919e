#pragma once
// SHA-256 (through OpenSSL) for config hashes, data fingerprints and file checks.
#include <cstddef>
#include <string>

namespace seglab {

// Incremental hasher; hex() ends it.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  void update(const std::string& text) { update(text.data(), text.size()); }
  std::string hex();  // 64 lowercase hex digits

 private:
  void* context_;
};

std::string sha256_hex(const std::string& text);
// Hashes a file's bytes; throws DataError naming the file when it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace seglab
