#pragma once
// The readers under fuzz take a path, not bytes (they must name the file in
// their errors), so each input is written to one scratch file per process.
#include <cstddef>
#include <cstdint>
#include <string>

namespace seglab::fuzz {

// Writes `data` to <tmp>/seglab-fuzz-<pid>/<name> and returns that path; the
// folder is removed when the process exits.
std::string write_input_file(const std::string& name, const uint8_t* data, size_t size);

}  // namespace seglab::fuzz
