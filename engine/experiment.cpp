#include "engine/experiment.h"

#include "core/error.h"
#include "core/ini_reader.h"
#include "engine/registration.h"

namespace seglab {

Config load_experiment(const std::string& path, const std::vector<std::string>& overrides) {
  RawConfig raw = read_ini_file(path);
  for (const auto& entry : raw.entries)
    if (entry.key.rfind("sweep.", 0) == 0)
      throw ConfigError("this is a sweep file: its [sweep] section varies runs", entry.origin,
                        "run it with `seglab sweep " + path + "` (--dry-run lists the runs)");
  for (const auto& assignment : overrides) raw.apply_override(assignment);
  return experiment_schema().resolve(raw);
}

Config config_from_text(const std::string& canonical_text, const std::string& source) {
  return experiment_schema().resolve(parse_ini_text(canonical_text, source));
}

}  // namespace seglab
