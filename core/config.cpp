#include "core/config.h"

#include <cstdlib>

#include "core/error.h"
#include "core/sha256.h"
#include "core/text.h"

namespace seglab {

void Config::set(const std::string& key, OptionType type, const std::string& canonical_text) {
  values_[key] = Value{type, canonical_text};
}

const Config::Value& Config::at(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw ConfigError("the resolved config has no key '" + key + "'", source);
  return it->second;
}

long long Config::get_int(const std::string& key) const { return std::strtoll(at(key).text.c_str(), nullptr, 10); }
double Config::get_real(const std::string& key) const { return std::strtod(at(key).text.c_str(), nullptr); }
bool Config::get_bool(const std::string& key) const { return at(key).text == "true"; }
const std::string& Config::get_text(const std::string& key) const { return at(key).text; }
std::vector<std::string> Config::get_list(const std::string& key) const { return split_list(at(key).text); }

std::string Config::canonical_text() const {
  // Keys are "section.name" where the section itself may contain dots
  // ("augment.rotate.degrees"); the section is everything before the last dot.
  std::map<std::string, std::map<std::string, std::string>> sections;
  for (const auto& [key, value] : values_) {
    const size_t dot = key.rfind('.');
    sections[key.substr(0, dot)][key.substr(dot + 1)] = value.text;
  }
  std::string out;
  for (const auto& [section, entries] : sections) {
    if (!out.empty()) out += "\n";
    out += "[" + section + "]\n";
    for (const auto& [name, text] : entries) out += name + " = " + text + "\n";
  }
  return out;
}

std::string Config::hash() const { return sha256_hex(canonical_text()); }
std::string Config::short_hash() const { return hash().substr(0, 12); }

}  // namespace seglab
