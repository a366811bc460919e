#include "core/registry.h"

#include "core/text.h"

namespace seglab {

std::vector<std::string> RegistryBase::names() const {
  std::vector<std::string> out;
  for (const auto& info : infos_) out.push_back(info.name);
  return out;
}

int RegistryBase::index_of(const std::string& name) const {
  for (size_t i = 0; i < infos_.size(); ++i)
    if (infos_[i].name == name) return static_cast<int>(i);
  return -1;
}

size_t RegistryBase::checked_index(const std::string& name, const std::string& where) const {
  const int index = index_of(name);
  if (index >= 0) return static_cast<size_t>(index);
  const auto known = names();
  std::string remedy = "known " + kind_ + "s: " + join(known, ", ");
  const std::string guess = closest_match(name, known);
  if (!guess.empty()) remedy = "did you mean '" + guess + "'? " + remedy;
  throw ConfigError("unknown " + kind_ + " '" + name + "'", where, remedy);
}

const EntryInfo& RegistryBase::info(const std::string& name, const std::string& where) const {
  return infos_[checked_index(name, where)];
}

void RegistryBase::add_info(EntryInfo info) {
  if (index_of(info.name) >= 0) throw Error(kind_ + " '" + info.name + "' registered twice");
  infos_.push_back(std::move(info));
}

}  // namespace seglab
