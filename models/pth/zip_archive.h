#pragma once
// Read-only access to a zip archive (libzip): the container of PyTorch's
// checkpoint format since 1.6. Only what reading a checkpoint needs.
#include <cstdint>
#include <string>
#include <vector>

struct zip;

namespace seglab {

class ZipArchive {
 public:
  // Throws WeightsError naming `path` when it is missing or not a zip archive.
  explicit ZipArchive(const std::string& path);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Entry names in archive order.
  const std::vector<std::string>& names() const { return names_; }
  bool contains(const std::string& name) const;
  // The uncompressed bytes of one entry; throws WeightsError when it is missing
  // or unreadable.
  std::string read(const std::string& name) const;

 private:
  std::string path_;
  struct zip* archive_ = nullptr;
  std::vector<std::string> names_;
};

// True when the file starts with a zip local-file header ("PK\3\4").
bool looks_like_zip(const std::string& path);

}  // namespace seglab
