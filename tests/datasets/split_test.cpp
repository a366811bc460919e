#include "datasets/split.h"

#include <gtest/gtest.h>

#include <set>

namespace seglab {

TEST(Split, RatioSeedDisjointAndComplete) {
  const Split s = split_by_ratio(90, 0.2, 42);
  EXPECT_EQ(s.val.size(), 18u);
  EXPECT_EQ(s.train.size(), 72u);
  std::set<size_t> all(s.train.begin(), s.train.end());
  all.insert(s.val.begin(), s.val.end());
  EXPECT_EQ(all.size(), 90u);
  const Split again = split_by_ratio(90, 0.2, 42);
  EXPECT_EQ(s.val, again.val);
  EXPECT_NE(s.val, split_by_ratio(90, 0.2, 43).val);
  EXPECT_TRUE(std::is_sorted(s.val.begin(), s.val.end()));
}

TEST(Split, EdgeCases) {
  EXPECT_EQ(split_by_ratio(10, 0.0, 1).val.size(), 0u);
  EXPECT_EQ(split_by_ratio(3, 0.01, 1).val.size(), 1u);  // at least one validation sample
  EXPECT_EQ(split_by_ratio(2, 0.9, 1).train.size(), 1u);  // at least one training sample
}

}  // namespace seglab
