#include "core/option_spec.h"

#include <boost/program_options/value_semantic.hpp>
#include <cstdlib>

#include "core/error.h"
#include "core/text.h"

namespace po = boost::program_options;

namespace seglab {

const char* option_type_name(OptionType type) {
  switch (type) {
    case OptionType::integer: return "int";
    case OptionType::real: return "float";
    case OptionType::boolean: return "bool";
    case OptionType::text: return "string";
    case OptionType::list: return "list";
  }
  return "?";
}

std::string OptionSpec::allowed_text() const {
  std::string kind;
  switch (type) {
    case OptionType::integer: kind = "an integer"; break;
    case OptionType::real: kind = "a number"; break;
    case OptionType::boolean: return "true or false";
    case OptionType::text: kind = choices.empty() ? "a string" : "one of: " + join(choices, ", "); break;
    case OptionType::list:
      kind = choices.empty() ? "a comma-separated list" : "a comma-separated list of: " + join(choices, ", ");
      break;
  }
  if (min && max) return kind + " from " + format_number(*min) + " to " + format_number(*max);
  if (min) return kind + " >= " + format_number(*min);
  if (max) return kind + " <= " + format_number(*max);
  return kind;
}

std::string OptionSpec::check(const std::string& canonical) const {
  if (required && canonical.empty()) return "a value (this option has no default)";
  if (type == OptionType::integer || type == OptionType::real) {
    const double v = std::strtod(canonical.c_str(), nullptr);
    if ((min && v < *min) || (max && v > *max)) return allowed_text();
  }
  // The canonical text joins list items with ", ", so an item starting with
  // ';' or '#' would follow a space there and the run's recorded config would
  // read it back as a comment ("a,#b" -> "a, #b"). Found by the INI fuzzer.
  if (type == OptionType::list)
    for (const auto& item : split_list(canonical))
      if (item.front() == ';' || item.front() == '#')
        return allowed_text() + " whose items do not start with ';' or '#' (the run's recorded config would read '" +
               item + "' as a comment)";
  if (!choices.empty() && !canonical.empty()) {
    const auto items = type == OptionType::list ? split_list(canonical) : std::vector<std::string>{canonical};
    for (const auto& item : items) {
      bool known = false;
      for (const auto& c : choices) known = known || c == item;
      if (!known) return allowed_text();
    }
  }
  return {};
}

OptionSpec& OptionList::add(OptionSpec spec) {
  for (const auto& existing : specs_)
    if (existing.name == spec.name) throw Error("option '" + spec.name + "' declared twice");
  specs_.push_back(std::move(spec));
  return specs_.back();
}

OptionSpec& OptionList::add_int(const std::string& name, long long default_value, const std::string& help) {
  return add({name, OptionType::integer, std::to_string(default_value), help, {}, {}, {}, false});
}

OptionSpec& OptionList::add_real(const std::string& name, double default_value, const std::string& help) {
  return add({name, OptionType::real, format_number(default_value), help, {}, {}, {}, false});
}

OptionSpec& OptionList::add_bool(const std::string& name, bool default_value, const std::string& help) {
  return add({name, OptionType::boolean, default_value ? "true" : "false", help, {}, {}, {}, false});
}

OptionSpec& OptionList::add_text(const std::string& name, const std::string& default_value,
                                 const std::string& help) {
  return add({name, OptionType::text, default_value, help, {}, {}, {}, false});
}

OptionSpec& OptionList::add_list(const std::string& name, const std::string& default_value,
                                 const std::string& help) {
  return add({name, OptionType::list, join(split_list(default_value), ", "), help, {}, {}, {}, false});
}

const OptionSpec* OptionList::find(const std::string& name) const {
  for (const auto& spec : specs_)
    if (spec.name == name) return &spec;
  return nullptr;
}

void OptionList::add_to(po::options_description& description, const std::string& prefix) const {
  for (const auto& spec : specs_) {
    const std::string key = prefix + "." + spec.name;
    po::value_semantic* semantic = nullptr;
    switch (spec.type) {
      case OptionType::integer: semantic = po::value<long long>(); break;
      case OptionType::real: semantic = po::value<double>(); break;
      case OptionType::boolean: semantic = po::value<bool>(); break;
      case OptionType::text:
      case OptionType::list: semantic = po::value<std::string>(); break;
    }
    description.add_options()(key.c_str(), semantic, spec.help.c_str());
  }
}

}  // namespace seglab
