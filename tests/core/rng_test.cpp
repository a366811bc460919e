#include "core/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace seglab {

TEST(Rng, SameSeedSameNumbersAndKnownFirstValue) {
  Rng a(42), b(42), c(43);
  std::vector<uint64_t> xs, ys;
  for (int i = 0; i < 5; ++i) {
    xs.push_back(a.next_u64());
    ys.push_back(b.next_u64());
  }
  EXPECT_EQ(xs, ys);
  EXPECT_NE(xs[0], c.next_u64());
  // Pinned: a change to the generator would silently change every run's results.
  EXPECT_EQ(Rng(0).next_u64(), 11091344671253066420ULL);
}

TEST(Rng, UniformIntStaysInRangeAndCoversIt) {
  Rng r(7);
  std::vector<int> counts(5, 0);
  for (int i = 0; i < 5000; ++i) {
    const uint64_t v = r.uniform_int(5);
    ASSERT_LT(v, 5u);
    ++counts[v];
  }
  for (int c : counts) EXPECT_NEAR(c, 1000, 150);
}

TEST(Rng, UniformAndNormalMoments) {
  Rng r(1);
  double sum = 0, sum_sq = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const double z = r.normal();
    sum += z;
    sum_sq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.03);
  EXPECT_NEAR(sum_sq / n, 1.0, 0.05);
}

TEST(Rng, ForksAreIndependentOfEachOtherAndStable) {
  const Rng root(5);
  EXPECT_EQ(root.fork("split").next_u64(), Rng(5).fork("split").next_u64());
  EXPECT_NE(root.fork("split").next_u64(), root.fork("shuffle").next_u64());
  EXPECT_NE(root.fork(1).next_u64(), root.fork(2).next_u64());
}

}  // namespace seglab
