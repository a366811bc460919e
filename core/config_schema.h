#pragma once
// What a config may contain: sections with their own options, and selector keys
// ("model.name", "augment.pipeline") whose chosen registry entries add options.
// resolve() checks a raw config against it and fills in defaults; every error
// names the file, line and key, and says what is allowed.
#include <string>
#include <vector>

#include "core/config.h"
#include "core/ini_reader.h"
#include "core/option_spec.h"
#include "core/registry.h"

namespace seglab {

class ConfigSchema {
 public:
  struct Section {
    std::string name;
    std::string help;
    OptionList options;
  };
  struct Selector {
    std::string key;  // "model.name"
    const RegistryBase* registry;
    bool is_list;  // entries' options live in "<section>.<entry>." instead of "<section>."
  };

  void add_section(const std::string& name, const std::string& help, OptionList options = {});
  // One entry of `registry` is chosen by `key`; its options are keys of the same section.
  void add_selector(const std::string& key, const RegistryBase& registry, const std::string& default_name,
                    const std::string& help);
  // A comma-separated list of entries; each one's options are keys of "<section>.<entry>".
  void add_list_selector(const std::string& key, const RegistryBase& registry, const std::string& default_names,
                         const std::string& help);

  Config resolve(const RawConfig& raw) const;

  const std::vector<Section>& sections() const { return sections_; }
  const std::vector<Selector>& selectors() const { return selectors_; }
  const Section* find_section(const std::string& name) const;

 private:
  Section& section_for(const std::string& key);
  std::vector<Section> sections_;
  std::vector<Selector> selectors_;
};

// "model.name" -> "model"; "augment.rotate.degrees" -> "augment.rotate".
std::string section_of(const std::string& key);
std::string name_of(const std::string& key);

}  // namespace seglab
