#pragma once
// seglab's version and the git commit it was built from, for run records.
#include <string>

namespace seglab {

std::string seglab_version();
std::string git_commit();  // "unknown" outside a git checkout
bool git_dirty();          // uncommitted changes at build time

}  // namespace seglab
