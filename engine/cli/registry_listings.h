#pragma once
// The registries a user can list (`seglab list <name>`) and the config key
// that selects their entries; shared by `seglab list` and the generated
// config reference (`seglab docs config`), so both show the same entries.
#include <string>
#include <vector>

#include "core/config_schema.h"
#include "core/registry.h"

namespace seglab {

struct RegistryListing {
  const char* name;  // what the user types: seglab list <name>
  const RegistryBase& registry;
  const char* selector;  // config key that selects entries
  bool options_namespaced;  // options live in [<section>.<entry>]
  // Schema where an entry may also have a section of its own, named after it
  // (the slurm launcher's [slurm]): its options are listed under the entry.
  const ConfigSchema* entry_sections = nullptr;

  // The config key of one of an entry's options: "model.depth", "augment.rotate.degrees".
  std::string option_key(const std::string& entry, const std::string& option) const;
};

// Every listing, in the order `seglab list` names them. Registers what is not registered yet.
const std::vector<RegistryListing>& registry_listings();

}  // namespace seglab
