#pragma once
// What the catalog knows about a sweep: its id, name, the file it came from and
// the file's text when it was last launched (so `sweep resume <id>` does not
// need the file, and a changed file can be checked against it).
#include <string>

namespace seglab {

struct SweepInfo {
  std::string id;
  std::string name;        // experiment.name of the sweep file
  std::string file;        // absolute path of the sweep file
  std::string spec;        // the sweep file's text, as last launched
  std::string created_at;  // ISO 8601, UTC
};

}  // namespace seglab
