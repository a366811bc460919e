#pragma once
// One varied key of a sweep file: `model.encoder = plain, resnet18` (a list, one
// run per value in a grid) or a distribution for random search: `choice(a, b)`,
// `uniform(low, high)`, `loguniform(low, high)`, `int(low, high)` (inclusive).
// An item in brackets is one value even when it holds commas, so list-valued
// keys can be varied: `augment.pipeline = [hflip, vflip], [hflip], []`.
#include <string>
#include <vector>

#include "core/rng.h"

namespace seglab {

enum class SweepValueKind { list, choice, uniform, loguniform, integer };

struct SweepDimension {
  std::string key;     // "model.encoder"
  std::string origin;  // "experiments/x.ini:14", for error messages
  std::string written; // the value text as written
  SweepValueKind kind = SweepValueKind::list;
  std::vector<std::string> values;  // list and choice items, brackets removed
  double low = 0, high = 0;         // uniform, loguniform, int

  bool is_distribution() const { return kind != SweepValueKind::list; }
  // One value drawn from the dimension (a list draws like choice()); reals are
  // printed in canonical form.
  std::string sample(Rng& rng) const;
  // Values that must pass the option's validation before anything runs: every
  // item, or both ends of a range.
  std::vector<std::string> values_to_check() const;
};

// Parses `text` for `key`; throws ConfigError naming `origin` and the key for
// an empty list, unbalanced brackets, unknown functions and bad ranges.
SweepDimension parse_sweep_dimension(const std::string& key, const std::string& text, const std::string& origin);

// Splits on commas that are not inside brackets or parentheses, trims each item
// and unwraps one level of [brackets]. Empty items (outside brackets) are
// dropped; "[]" is an empty value.
std::vector<std::string> split_sweep_items(const std::string& text, const std::string& where);

}  // namespace seglab
