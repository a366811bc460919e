#pragma once
// Registries of pluggable parts (models, encoders, dataset adapters,
// augmentations, losses, optimizers, LR schedules, backends, ...). An entry has a
// name, a one-line summary, the options it accepts and a factory. Each folder
// fills its registries in one explicit register_*() function, called once at
// start-up, so no entry depends on static-initialisation order or the linker.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/option_spec.h"

namespace seglab {

struct EntryInfo {
  std::string name;
  std::string summary;
  OptionList options;
};

// The factory-independent part: what `seglab list` and the config schema see.
class RegistryBase {
 public:
  // `kind` is singular and user-facing ("model", "dataset adapter").
  explicit RegistryBase(std::string kind) : kind_(std::move(kind)) {}
  virtual ~RegistryBase() = default;
  RegistryBase(const RegistryBase&) = delete;
  RegistryBase& operator=(const RegistryBase&) = delete;

  const std::string& kind() const { return kind_; }
  std::vector<std::string> names() const;
  bool contains(const std::string& name) const { return index_of(name) >= 0; }
  // Throws ConfigError listing the known names and the closest one; `where`
  // names the input that asked for it (e.g. "quickstart.ini:14 model.name").
  const EntryInfo& info(const std::string& name, const std::string& where = {}) const;
  const std::vector<EntryInfo>& infos() const { return infos_; }

 protected:
  int index_of(const std::string& name) const;
  size_t checked_index(const std::string& name, const std::string& where) const;
  void add_info(EntryInfo info);

 private:
  std::string kind_;
  std::vector<EntryInfo> infos_;
};

template <class Factory>
class Registry : public RegistryBase {
 public:
  using RegistryBase::RegistryBase;

  void add(EntryInfo info, Factory factory) {
    add_info(std::move(info));
    factories_.push_back(std::move(factory));
  }

  const Factory& factory(const std::string& name, const std::string& where = {}) const {
    return factories_[checked_index(name, where)];
  }

 private:
  std::vector<Factory> factories_;
};

}  // namespace seglab
