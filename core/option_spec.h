#pragma once
// One configurable option: its key inside a config section, type, default, help
// and allowed values. Registry entries and config sections declare their options
// with these; the schema turns them into boost::program_options descriptions for
// parsing and prints them for `seglab list`.
#include <boost/program_options/options_description.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seglab {

enum class OptionType { integer, real, boolean, text, list };

const char* option_type_name(OptionType type);  // "int", "float", "bool", "string", "list"

struct OptionSpec {
  std::string name;           // key within its section, e.g. "epochs"
  OptionType type = OptionType::text;
  std::string default_value;  // canonical text; "" for an empty string or list
  std::string help;
  std::optional<double> min;  // inclusive bounds for integer/real
  std::optional<double> max;
  std::vector<std::string> choices;  // allowed values for text, or for each list item
  bool required = false;             // must be given (no meaningful default)

  OptionSpec& range(double low, double high) { min = low; max = high; return *this; }
  OptionSpec& at_least(double low) { min = low; return *this; }
  OptionSpec& one_of(std::vector<std::string> allowed) { choices = std::move(allowed); return *this; }
  OptionSpec& must_be_given() { required = true; return *this; }

  // Checks a value already converted to canonical text; returns "" when fine,
  // else what is allowed ("an integer from 1 to 1000").
  std::string check(const std::string& canonical) const;
  // "an integer >= 1", "one of: a, b", ... for error messages and help.
  std::string allowed_text() const;
};

// An ordered list of options, as declared.
class OptionList {
 public:
  OptionSpec& add_int(const std::string& name, long long default_value, const std::string& help);
  OptionSpec& add_real(const std::string& name, double default_value, const std::string& help);
  OptionSpec& add_bool(const std::string& name, bool default_value, const std::string& help);
  OptionSpec& add_text(const std::string& name, const std::string& default_value, const std::string& help);
  OptionSpec& add_list(const std::string& name, const std::string& default_value, const std::string& help);

  const std::vector<OptionSpec>& specs() const { return specs_; }
  const OptionSpec* find(const std::string& name) const;
  bool empty() const { return specs_.empty(); }

  // Adds every option as "<prefix>.<name>" with its typed boost value semantic.
  void add_to(boost::program_options::options_description& description, const std::string& prefix) const;

  OptionSpec& add(OptionSpec spec);

 private:
  std::vector<OptionSpec> specs_;
};

}  // namespace seglab
