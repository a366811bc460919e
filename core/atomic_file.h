#pragma once
// Writing a file so that readers see the old content or the new, never half of
// it: write to "<path>.tmp", flush, fsync, rename.
#include <cstddef>
#include <string>

namespace seglab {

// Throws Error naming the file (and saying the disk may be full) on failure;
// the previous file, if any, is left untouched.
void write_file_atomically(const std::string& path, const void* data, size_t size);
inline void write_file_atomically(const std::string& path, const std::string& text) {
  write_file_atomically(path, text.data(), text.size());
}

}  // namespace seglab
