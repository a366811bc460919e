#include "engine/sweep/sweep_dimension.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/error.h"
#include "core/text.h"

namespace seglab {
namespace {

const char* const kDistributions = "choice(a, b, ...), uniform(low, high), loguniform(low, high), int(low, high)";

double parse_bound(const std::string& text, const std::string& key, const std::string& origin) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value))
    throw ConfigError("'" + text + "' is not a number in the range of " + key, origin + " sweep." + key,
                      "write e.g. uniform(0.0001, 0.01)");
  return value;
}

}  // namespace

std::vector<std::string> split_sweep_items(const std::string& text, const std::string& where) {
  std::vector<std::string> items;
  std::string current;
  int depth = 0;
  auto flush = [&] {
    std::string item = trim(current);
    if (item.size() >= 2 && item.front() == '[' && item.back() == ']') {
      item = trim(item.substr(1, item.size() - 2));
      items.push_back(item);
    } else if (!item.empty()) {
      items.push_back(item);
    }
    current.clear();
  };
  for (char c : text) {
    if (c == '[' || c == '(') ++depth;
    if (c == ']' || c == ')') {
      if (--depth < 0) throw ConfigError("unbalanced '" + std::string(1, c) + "' in '" + text + "'", where);
    }
    if (c == ',' && depth == 0) {
      flush();
      continue;
    }
    current += c;
  }
  if (depth != 0) throw ConfigError("unclosed bracket in '" + text + "'", where, "close every [ and (");
  flush();
  return items;
}

SweepDimension parse_sweep_dimension(const std::string& key, const std::string& text, const std::string& origin) {
  SweepDimension d;
  d.key = key;
  d.origin = origin;
  d.written = trim(text);
  const std::string where = origin + " sweep." + key;

  // A call is an identifier followed by (...) that spans the whole value.
  size_t name_end = 0;
  while (name_end < d.written.size() &&
         (std::isalnum(static_cast<unsigned char>(d.written[name_end])) || d.written[name_end] == '_'))
    ++name_end;
  const bool is_call = name_end > 0 && name_end < d.written.size() && d.written[name_end] == '(' &&
                       d.written.back() == ')' && split_sweep_items(d.written, where).size() == 1;
  if (!is_call) {
    d.kind = SweepValueKind::list;
    d.values = split_sweep_items(d.written, where);
    if (d.values.empty())
      throw ConfigError("empty list of values for " + key, where,
                        "give at least one value, e.g. " + key + " = a, b, or remove the line");
    return d;
  }

  const std::string function = d.written.substr(0, name_end);
  const std::string arguments = d.written.substr(name_end + 1, d.written.size() - name_end - 2);
  const std::vector<std::string> args = split_sweep_items(arguments, where);
  if (function == "choice") {
    d.kind = SweepValueKind::choice;
    d.values = args;
    if (d.values.empty()) throw ConfigError("choice() of nothing for " + key, where, "write choice(a, b, ...)");
    return d;
  }
  if (function == "uniform") d.kind = SweepValueKind::uniform;
  else if (function == "loguniform") d.kind = SweepValueKind::loguniform;
  else if (function == "int") d.kind = SweepValueKind::integer;
  else
    throw ConfigError("unknown distribution '" + function + "' for " + key, where, std::string("use ") + kDistributions);

  if (args.size() != 2)
    throw ConfigError(function + "() takes two bounds, got " + std::to_string(args.size()), where,
                      "write " + function + "(low, high)");
  d.low = parse_bound(args[0], key, origin);
  d.high = parse_bound(args[1], key, origin);
  if (!(d.low < d.high))
    throw ConfigError(function + "(" + args[0] + ", " + args[1] + ") is empty: the low bound must be below the high one",
                      where, "swap or widen the bounds");
  if (d.kind == SweepValueKind::loguniform && d.low <= 0)
    throw ConfigError("loguniform needs positive bounds, got " + args[0], where, "use e.g. loguniform(1e-5, 1e-2)");
  if (d.kind == SweepValueKind::integer && (d.low != std::floor(d.low) || d.high != std::floor(d.high)))
    throw ConfigError("int() needs whole-number bounds, got " + args[0] + ", " + args[1], where,
                      "use e.g. int(16, 64)");
  return d;
}

std::string SweepDimension::sample(Rng& rng) const {
  switch (kind) {
    case SweepValueKind::list:
    case SweepValueKind::choice: return values[rng.uniform_int(values.size())];
    case SweepValueKind::uniform: return format_number(rng.uniform(low, high));
    case SweepValueKind::loguniform: return format_number(std::exp(rng.uniform(std::log(low), std::log(high))));
    case SweepValueKind::integer: {
      const auto count = static_cast<uint64_t>(high - low) + 1;
      return std::to_string(static_cast<long long>(low) + static_cast<long long>(rng.uniform_int(count)));
    }
  }
  return {};
}

std::vector<std::string> SweepDimension::values_to_check() const {
  switch (kind) {
    case SweepValueKind::list:
    case SweepValueKind::choice: return values;
    case SweepValueKind::integer:
      return {std::to_string(static_cast<long long>(low)), std::to_string(static_cast<long long>(high))};
    case SweepValueKind::uniform:
    case SweepValueKind::loguniform: return {format_number(low), format_number(high)};
  }
  return {};
}

}  // namespace seglab
