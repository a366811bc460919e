#pragma once
// Reads experiment INI files into raw key/value entries that remember where each
// value came from, so every later error can name the file and line. Syntax:
// `[section]` headers (dots allowed: `[augment.rotate]`), `key = value` lines,
// comments starting with `;` or `#` at the start of a line or after whitespace.
// Keys become "section.key". A key given twice is an error.
#include <string>
#include <vector>

namespace seglab {

struct RawEntry {
  std::string key;     // "train.epochs"
  std::string value;   // as written, trimmed
  std::string origin;  // "experiments/x.ini:12" or "--set"
};

class RawConfig {
 public:
  std::string source;  // the file it was read from ("" when built in code)
  std::vector<RawEntry> entries;

  const RawEntry* find(const std::string& key) const;
  // Sets or replaces a key (for --set and sweeps); keeps the original order.
  void set(const std::string& key, const std::string& value, const std::string& origin);
  // Parses "section.key=value" as given to --set; throws ConfigError.
  void apply_override(const std::string& assignment);
};

RawConfig parse_ini_text(const std::string& text, const std::string& source_name);
// Throws ConfigError naming the file when it is missing or malformed.
RawConfig read_ini_file(const std::string& path);

}  // namespace seglab
