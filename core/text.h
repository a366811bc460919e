#pragma once
// Small string helpers shared by the config, the registries and the CLI.
#include <string>
#include <vector>

namespace seglab {

std::string trim(const std::string& s);
// Splits on `sep` and trims each piece; empty pieces are dropped.
std::vector<std::string> split_list(const std::string& s, char sep = ',');
std::string join(const std::vector<std::string>& parts, const std::string& sep);
bool starts_with(const std::string& s, const std::string& prefix);
bool ends_with(const std::string& s, const std::string& suffix);
std::string to_lower(std::string s);

// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(const std::string& a, const std::string& b);
// The candidate closest to `name`, or "" when none is reasonably close.
std::string closest_match(const std::string& name, const std::vector<std::string>& candidates);

// Formats a double the way the canonical config and tables print it: shortest
// text that reads back to the same value ("0.0003", "1e-05", "42").
std::string format_number(double value);
// Seconds as "1:02:03" or "2:03".
std::string format_duration(double seconds);

}  // namespace seglab
