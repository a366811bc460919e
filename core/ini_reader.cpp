#include "core/ini_reader.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/text.h"

namespace seglab {
namespace {

bool starts_comment(const std::string& text, size_t i) {
  return (text[i] == ';' || text[i] == '#') && (i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1])));
}

// Cuts a comment that starts the line, follows whitespace, or starts the value
// right after '=' ("key =;x" reads as "key = ;x", an empty value): a value
// that began with ';' would be written back as "key = ;x" by
// Config::canonical_text and read as a comment, so a run's recorded config
// would not reproduce it. "a#b" is kept.
std::string strip_comment(const std::string& line) {
  const size_t eq = line.find('=');
  for (size_t i = 0; i < line.size(); ++i)
    if (starts_comment(line, i) || (eq != std::string::npos && i == eq + 1 && (line[i] == ';' || line[i] == '#')))
      return line.substr(0, i);
  return line;
}

// Why `value` cannot be written as "key = value" and read back unchanged, or "".
std::string unwritable_because(const std::string& value) {
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\n' || value[i] == '\r') return "it contains a line break";
    if (starts_comment(value, i))
      return std::string("its '") + value[i] + "' at the start or after a space would read back as a comment";
  }
  return "";
}

bool valid_name(const std::string& name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!(std::isalnum(c) || c == '_' || c == '.' || c == '-')) return false;
  return name.front() != '.' && name.back() != '.';
}

}  // namespace

const RawEntry* RawConfig::find(const std::string& key) const {
  for (const auto& entry : entries)
    if (entry.key == key) return &entry;
  return nullptr;
}

void RawConfig::set(const std::string& key, const std::string& value, const std::string& origin) {
  // Every value ends up in the run's recorded INI text; one that text cannot
  // hold would make the run irreproducible, so it is refused here.
  const std::string problem = unwritable_because(trim(value));
  if (!problem.empty())
    throw ConfigError("the value '" + value + "' of '" + key + "' cannot be recorded: " + problem, origin,
                      "remove the ';' or '#' (or the line break) from the value");
  for (auto& entry : entries) {
    if (entry.key == key) {
      entry.value = value;
      entry.origin = origin;
      return;
    }
  }
  entries.push_back({key, value, origin});
}

void RawConfig::apply_override(const std::string& assignment) {
  const size_t eq = assignment.find('=');
  const std::string key = trim(assignment.substr(0, eq == std::string::npos ? assignment.size() : eq));
  if (eq == std::string::npos || key.find('.') == std::string::npos || !valid_name(key))
    throw ConfigError("malformed override '" + assignment + "'", "--set",
                      "write --set section.key=value, e.g. --set train.epochs=20");
  set(key, trim(assignment.substr(eq + 1)), "--set");
}

RawConfig parse_ini_text(const std::string& text, const std::string& source_name) {
  RawConfig config;
  config.source = source_name;
  std::istringstream in(text);
  std::string line, section;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string where = source_name + ":" + std::to_string(line_number);
    const std::string content = trim(strip_comment(line));
    if (content.empty()) continue;
    if (content.front() == '[') {
      if (content.back() != ']')
        throw ConfigError("section header is not closed: '" + content + "'", where, "write it as [section]");
      section = trim(content.substr(1, content.size() - 2));
      if (!valid_name(section))
        throw ConfigError("bad section name '" + section + "'", where,
                          "use letters, digits, '_', '-' and '.' only");
      continue;
    }
    const size_t eq = content.find('=');
    if (eq == std::string::npos)
      throw ConfigError("expected 'key = value', got '" + content + "'", where);
    const std::string name = trim(content.substr(0, eq));
    if (section.empty())
      throw ConfigError("key '" + name + "' comes before any [section]", where,
                        "put it under its section, e.g. [train]");
    if (!valid_name(name)) throw ConfigError("bad key name '" + name + "'", where);
    const std::string key = section + "." + name;
    if (const RawEntry* earlier = config.find(key))
      throw ConfigError("key '" + key + "' is given twice (first at " + earlier->origin + ")", where,
                        "keep one of them");
    config.entries.push_back({key, trim(content.substr(eq + 1)), where});
  }
  return config;
}

RawConfig read_ini_file(const std::string& path) {
  // A folder opens as an empty stream on Linux: it would train the defaults.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ConfigError("cannot open config file: it is a folder", path, "give the .ini file inside it");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot open config file", path, "check the path; experiment files live in experiments/");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_ini_text(text.str(), path);
}

}  // namespace seglab
