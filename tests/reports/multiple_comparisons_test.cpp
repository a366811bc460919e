// Holm's step-down correction on textbook families and its invariants; the
// comparison with the statsmodels formula is in statistics_reference_test.cpp.
#include "reports/multiple_comparisons.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/rng.h"

namespace seglab {
namespace {

TEST(Holm, TextbookFamily) {
  // Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04;
  // the step-down keeps the running maximum, so the last is 0.06 too.
  const std::vector<double> adjusted = holm_adjusted({0.01, 0.04, 0.03, 0.005});
  const std::vector<double> expected = {0.03, 0.06, 0.06, 0.02};
  ASSERT_EQ(adjusted.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(adjusted[i], expected[i], 1e-15) << i;
}

TEST(Holm, CappedAtOneAndASingleTestIsUnchanged) {
  const std::vector<double> capped = holm_adjusted({0.5, 0.6});
  EXPECT_EQ(capped[0], 1.0);
  EXPECT_EQ(capped[1], 1.0);
  EXPECT_EQ(holm_adjusted({0.049})[0], 0.049);
  EXPECT_TRUE(holm_adjusted({}).empty());
}

TEST(Holm, MonotoneAtLeastPAndAtMostBonferroni) {
  Rng rng(3);
  std::vector<double> p(28);  // all pairs of 8 variants
  for (auto& v : p) v = std::pow(rng.uniform(), 2.0);
  const std::vector<double> adjusted = holm_adjusted(p);
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_GE(adjusted[i], p[i]);
    EXPECT_LE(adjusted[i], std::min(1.0, p[i] * static_cast<double>(p.size())));
    for (size_t j = 0; j < p.size(); ++j)
      if (p[i] <= p[j]) {
        EXPECT_LE(adjusted[i], adjusted[j]) << i << " " << j;
      }
  }
}

TEST(Holm, TiedPValuesGetTheSameAdjustedValue) {
  const std::vector<double> adjusted = holm_adjusted({0.02, 0.001, 0.02, 0.02});
  EXPECT_DOUBLE_EQ(adjusted[1], 0.004);
  EXPECT_DOUBLE_EQ(adjusted[0], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[2], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[3], 0.06);
}

TEST(Holm, APValueOutsideZeroToOneIsAnError) {
  EXPECT_THROW(holm_adjusted({0.1, NAN}), DataError);
  EXPECT_THROW(holm_adjusted({1.5}), DataError);
  EXPECT_THROW(holm_adjusted({-0.1}), DataError);
}

}  // namespace
}  // namespace seglab
