#pragma once
// Loading an experiment: INI file + --set overrides -> resolved Config.
#include <string>
#include <vector>

#include "core/config.h"

namespace seglab {

Config load_experiment(const std::string& path, const std::vector<std::string>& overrides = {});
// Re-resolves a run's recorded canonical config (from its config.ini or params).
Config config_from_text(const std::string& canonical_text, const std::string& source);

}  // namespace seglab
