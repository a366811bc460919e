#include "datasets/split.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/rng.h"

namespace seglab {

Split split_by_ratio(size_t count, double val_ratio, uint64_t seed) {
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  Rng rng = Rng(seed).fork("split");
  for (size_t i = count; i > 1; --i) std::swap(order[i - 1], order[rng.uniform_int(i)]);
  size_t val_count = static_cast<size_t>(std::llround(val_ratio * static_cast<double>(count)));
  if (val_ratio > 0 && count >= 2) val_count = std::clamp<size_t>(val_count, 1, count - 1);
  Split split;
  split.val.assign(order.begin(), order.begin() + static_cast<long>(val_count));
  split.train.assign(order.begin() + static_cast<long>(val_count), order.end());
  std::sort(split.val.begin(), split.val.end());
  std::sort(split.train.begin(), split.train.end());
  return split;
}

}  // namespace seglab
