#pragma once
// The one source of randomness. A run's seed fixes every random choice (weight
// init, split, shuffling, augmentation), and the same seed gives the same numbers
// on every machine and compiler: std:: distributions are implementation-defined,
// so this class implements its own (xoshiro256** seeded through splitmix64).
#include <cstdint>
#include <string>

namespace seglab {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0);

  uint64_t next_u64();
  double uniform();                          // [0, 1)
  double uniform(double low, double high);   // [low, high)
  uint64_t uniform_int(uint64_t n);          // [0, n), unbiased; n > 0
  double normal(double mean = 0.0, double stddev = 1.0);
  bool bernoulli(double p) { return uniform() < p; }

  // An independent stream for a named purpose ("split", "augment/epoch3"):
  // adding a consumer never shifts the numbers another one sees.
  Rng fork(const std::string& purpose) const;
  Rng fork(uint64_t index) const;

  uint64_t seed() const { return seed_; }

 private:
  uint64_t seed_;
  uint64_t state_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

// Mixes a seed with a purpose into a new seed (stable across platforms).
uint64_t derive_seed(uint64_t seed, const std::string& purpose);
uint64_t derive_seed(uint64_t seed, uint64_t index);

}  // namespace seglab
