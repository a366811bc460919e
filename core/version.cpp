#include "core/version.h"

#include "core/git_info.h"

namespace seglab {

std::string seglab_version() { return SEGLAB_VERSION; }
std::string git_commit() { return SEGLAB_GIT_COMMIT; }
bool git_dirty() { return SEGLAB_GIT_DIRTY; }

}  // namespace seglab
