#pragma once
// Train/validation split by ratio and seed. The same sample count, ratio and
// seed always give the same split, whatever order files were listed in (the
// adapters list samples sorted by id).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace seglab {

struct Split {
  std::vector<size_t> train;
  std::vector<size_t> val;
};

// At least one sample goes to validation when val_ratio > 0 and there are two
// or more samples; both parts come out sorted.
Split split_by_ratio(size_t count, double val_ratio, uint64_t seed);

}  // namespace seglab
