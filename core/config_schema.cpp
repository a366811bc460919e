#include "core/config_schema.h"

#include <boost/any.hpp>
#include <boost/program_options/errors.hpp>
#include <boost/program_options/parsers.hpp>
#include <boost/program_options/variables_map.hpp>
#include <algorithm>
#include <map>

#include "core/error.h"
#include "core/text.h"

namespace po = boost::program_options;

namespace seglab {

std::string section_of(const std::string& key) {
  const size_t dot = key.rfind('.');
  return dot == std::string::npos ? std::string() : key.substr(0, dot);
}

std::string name_of(const std::string& key) {
  const size_t dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

const ConfigSchema::Section* ConfigSchema::find_section(const std::string& name) const {
  for (const auto& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

ConfigSchema::Section& ConfigSchema::section_for(const std::string& key) {
  const std::string section = section_of(key);
  for (auto& s : sections_)
    if (s.name == section) return s;
  throw Error("selector '" + key + "' refers to undeclared section [" + section + "]");
}

void ConfigSchema::add_section(const std::string& name, const std::string& help, OptionList options) {
  if (find_section(name)) throw Error("config section [" + name + "] declared twice");
  sections_.push_back({name, help, std::move(options)});
}

void ConfigSchema::add_selector(const std::string& key, const RegistryBase& registry, const std::string& default_name,
                                const std::string& help) {
  section_for(key).options.add_text(name_of(key), default_name, help);
  selectors_.push_back({key, &registry, false});
}

void ConfigSchema::add_list_selector(const std::string& key, const RegistryBase& registry,
                                     const std::string& default_names, const std::string& help) {
  section_for(key).options.add_list(name_of(key), default_names, help);
  selectors_.push_back({key, &registry, true});
}

namespace {

struct Allowed {
  const OptionSpec* spec;
};

std::string canonical_from_any(const OptionSpec& spec, const boost::any& value) {
  switch (spec.type) {
    case OptionType::integer: return std::to_string(boost::any_cast<long long>(value));
    case OptionType::real: return format_number(boost::any_cast<double>(value));
    case OptionType::boolean: return boost::any_cast<bool>(value) ? "true" : "false";
    case OptionType::text: return trim(boost::any_cast<std::string>(value));
    case OptionType::list: return join(split_list(boost::any_cast<std::string>(value)), ", ");
  }
  return {};
}

}  // namespace

Config ConfigSchema::resolve(const RawConfig& raw) const {
  const std::string file = raw.source.empty() ? std::string("config") : raw.source;
  auto origin_of = [&](const std::string& key) {
    const RawEntry* entry = raw.find(key);
    return entry ? entry->origin + " " + key : file + " " + key;
  };
  auto value_of = [&](const std::string& key, const std::string& fallback) {
    const RawEntry* entry = raw.find(key);
    return entry ? entry->value : fallback;
  };

  // 1. Every key the chosen components accept, and every key that unchosen
  //    entries would accept (to explain why such a key is refused).
  std::map<std::string, const OptionSpec*> allowed;
  std::map<std::string, std::string> belongs_elsewhere;
  for (const auto& section : sections_)
    for (const auto& spec : section.options.specs()) allowed[section.name + "." + spec.name] = &spec;

  for (const auto& selector : selectors_) {
    const std::string section = section_of(selector.key);
    const OptionSpec* own = allowed.at(selector.key);
    std::vector<std::string> chosen = selector.is_list ? split_list(value_of(selector.key, own->default_value))
                                                       : std::vector<std::string>{trim(value_of(selector.key, own->default_value))};
    for (const auto& name : chosen) selector.registry->info(name, origin_of(selector.key));  // throws if unknown
    for (const auto& info : selector.registry->infos()) {
      const bool is_chosen = std::find(chosen.begin(), chosen.end(), info.name) != chosen.end();
      const std::string prefix = selector.is_list ? section + "." + info.name : section;
      for (const auto& spec : info.options.specs()) {
        const std::string key = prefix + "." + spec.name;
        if (is_chosen)
          allowed[key] = &spec;
        else if (!allowed.count(key))
          belongs_elsewhere[key] = selector.key + " = " + info.name;
      }
    }
  }

  // 2. Refuse keys nobody accepts, saying why and what is close.
  for (const auto& entry : raw.entries) {
    if (allowed.count(entry.key)) continue;
    const std::string section = section_of(entry.key);
    auto elsewhere = belongs_elsewhere.find(entry.key);
    if (elsewhere != belongs_elsewhere.end()) {
      // Keys chosen twice in the map above never get here.
      throw ConfigError("'" + entry.key + "' is an option of " + elsewhere->second + ", which this config does not select",
                        entry.origin, "remove it, or select " + elsewhere->second);
    }
    std::vector<std::string> section_names, keys_in_section, all_keys;
    for (const auto& [key, spec] : allowed) {
      all_keys.push_back(key);
      if (section_of(key) == section) keys_in_section.push_back(name_of(key));
    }
    for (const auto& s : sections_) section_names.push_back(s.name);
    if (keys_in_section.empty()) {
      bool section_known = false;
      for (const auto& s : sections_) section_known = section_known || s.name == section;
      if (!section_known) {
        const std::string guess = closest_match(section, section_names);
        throw ConfigError("unknown section [" + section + "]", entry.origin,
                          (guess.empty() ? std::string() : "did you mean [" + guess + "]? ") +
                              "sections: " + join(section_names, ", "));
      }
    }
    const std::string guess = closest_match(entry.key, all_keys);
    throw ConfigError("unknown key '" + entry.key + "'", entry.origin,
                      (guess.empty() ? std::string() : "did you mean '" + guess + "'? ") + "keys of [" + section +
                          "]: " + join(keys_in_section, ", "));
  }

  // 3. Convert each value with its typed boost option, check its bounds, and
  //    fill in defaults.
  Config config;
  config.source = raw.source;
  for (const auto& [key, spec] : allowed) {
    const RawEntry* entry = raw.find(key);
    const std::string where = entry ? entry->origin + " " + key : file + " " + key + " (default)";
    std::string canonical = spec->default_value;
    if (entry) {
      po::options_description single;
      OptionList list;
      OptionSpec renamed = *spec;
      renamed.name = name_of(key);
      list.add(renamed);
      list.add_to(single, section_of(key));
      po::parsed_options parsed(&single);
      parsed.options.emplace_back(key, std::vector<std::string>{entry->value});
      po::variables_map vm;
      try {
        po::store(parsed, vm);
      } catch (const po::error&) {
        throw ConfigError("'" + entry->value + "' is not a valid value for " + key, entry->origin,
                          key + " must be " + spec->allowed_text());
      }
      canonical = canonical_from_any(*spec, vm[key].value());
    }
    const std::string problem = spec->check(canonical);
    if (!problem.empty())
      throw ConfigError((entry ? "'" + entry->value + "' is not allowed for " : "missing value for ") + key, where,
                        key + " must be " + problem);
    config.set(key, spec->type, canonical);
  }
  return config;
}

}  // namespace seglab
