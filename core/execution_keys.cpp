#include "core/execution_keys.h"

#include <set>

namespace seglab {

bool execution_only_key(const std::string& key) {
  static const std::set<std::string> keys{"data.workers", "data.cache", "data.cache_dir", "backend.threads"};
  return keys.count(key) > 0;
}

}  // namespace seglab
