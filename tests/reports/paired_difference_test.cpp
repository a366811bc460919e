// The median paired difference and its bootstrap interval on known cases; the
// comparison with numpy on identical resamples is in
// statistics_reference_test.cpp.
#include "reports/paired_difference.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "core/rng.h"

namespace seglab {
namespace {

TEST(PairedDifference, ConstantImprovementIsAPoint) {
  std::vector<double> a(20), b(20);
  for (size_t i = 0; i < a.size(); ++i) {
    b[i] = 0.5 + 0.02 * static_cast<double>(i);
    a[i] = b[i] + 0.25;  // exact in binary, so every difference is 0.25
  }
  const PairedDifference d = median_paired_difference(a, b);
  EXPECT_EQ(d.n, 20u);
  EXPECT_EQ(d.median, 0.25);
  EXPECT_EQ(d.median_ci.low, 0.25);
  EXPECT_EQ(d.median_ci.high, 0.25);
}

TEST(PairedDifference, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  const PairedDifference d = median_paired_difference({1, 2, 3, 4}, {0, 0, 0, 0});
  EXPECT_EQ(d.median, 2.5);
  EXPECT_GE(d.median_ci.low, 1.0);
  EXPECT_LE(d.median_ci.high, 4.0);
  std::vector<double> scratch;
  EXPECT_EQ(median_at({5, 1, 9}, {0, 0, 2, 1}, scratch), 5.0);  // 5, 5, 9, 1 -> (5 + 5) / 2
}

TEST(PairedDifference, SwappingTheVariantsNegatesMedianAndInterval) {
  Rng rng(4);
  std::vector<double> a(33), b(33);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = 0.85 + 0.05 * rng.normal();
    b[i] = a[i] - 0.01 + 0.02 * rng.normal();
  }
  BootstrapOptions options;
  options.seed = 8;
  const PairedDifference ab = median_paired_difference(a, b, options), ba = median_paired_difference(b, a, options);
  EXPECT_EQ(ab.median, -ba.median);
  EXPECT_NEAR(ab.median_ci.low, -ba.median_ci.high, 1e-12);
  EXPECT_NEAR(ab.median_ci.high, -ba.median_ci.low, 1e-12);
  EXPECT_LT(ab.median_ci.low, ab.median);
  EXPECT_GT(ab.median_ci.high, ab.median);
}

TEST(PairedDifference, NaNPairsAreLeftOutAndCounted) {
  const PairedDifference d = median_paired_difference({0.9, NAN, 0.8, 0.7}, {0.8, 0.8, NAN, 0.6});
  EXPECT_EQ(d.n, 2u);
  EXPECT_EQ(d.n_nan_pairs, 2u);
  EXPECT_NEAR(d.median, 0.1, 1e-12);
}

TEST(PairedDifference, BadInputIsAClearError) {
  try {
    median_paired_difference({0.9, 0.8, 0.7}, {0.9, 0.8});
    FAIL() << "different lengths were accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("3 and 2 values"), std::string::npos) << e.describe();
  }
  EXPECT_THROW(median_paired_difference({0.9, NAN}, {0.8, 0.7}), DataError);  // one pair left
  EXPECT_THROW(median_paired_difference({0.9, 0.8}, {-INFINITY, 0.7}), DataError);
}

}  // namespace
}  // namespace seglab
