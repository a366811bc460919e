#pragma once
// Versions of the storage libraries linked in, for run records.
#include <map>
#include <string>

namespace seglab {

std::map<std::string, std::string> tracking_library_versions();  // "hdf5", "sqlite"

}  // namespace seglab
