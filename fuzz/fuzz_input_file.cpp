#include "fuzz/fuzz_input_file.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace seglab::fuzz {
namespace {

struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    path = std::filesystem::temp_directory_path() / ("seglab-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

std::string write_input_file(const std::string& name, const uint8_t* data, size_t size) {
  static ScratchDir dir;
  const std::string path = (dir.path / name).string();
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) throw std::runtime_error("fuzz harness: cannot write " + path);
  if (size > 0 && std::fwrite(data, 1, size, out) != size) {
    std::fclose(out);
    throw std::runtime_error("fuzz harness: short write to " + path);
  }
  std::fclose(out);
  return path;
}

}  // namespace seglab::fuzz
