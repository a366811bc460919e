#pragma once
// A resolved configuration: every option of the chosen components with its
// value (defaults filled in), in canonical text form. Its canonical INI text is
// what a run records, and the SHA-256 of that text identifies the configuration.
#include <map>
#include <string>
#include <vector>

#include "core/option_spec.h"

namespace seglab {

class Config {
 public:
  struct Value {
    OptionType type;
    std::string text;  // canonical
  };

  void set(const std::string& key, OptionType type, const std::string& canonical_text);
  bool has(const std::string& key) const { return values_.count(key) > 0; }

  long long get_int(const std::string& key) const;
  double get_real(const std::string& key) const;
  bool get_bool(const std::string& key) const;
  const std::string& get_text(const std::string& key) const;
  std::vector<std::string> get_list(const std::string& key) const;

  const std::map<std::string, Value>& values() const { return values_; }

  // INI text with sections and keys sorted; reading it back through the same
  // schema gives the same Config.
  std::string canonical_text() const;
  std::string hash() const;        // SHA-256 of canonical_text()
  std::string short_hash() const;  // first 12 hex digits

  // Where the values came from, for messages ("experiments/quickstart.ini").
  std::string source;

 private:
  const Value& at(const std::string& key) const;
  std::map<std::string, Value> values_;
};

}  // namespace seglab
