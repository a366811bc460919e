// The Wilcoxon signed-rank test on hand-checkable samples; the comparison
// with scipy is in statistics_reference_test.cpp.
#include "reports/wilcoxon.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/error.h"

namespace seglab {
namespace {

const std::vector<double> kZeros(8, 0.0);

TEST(Wilcoxon, NullDistributionCountsSubsetsOfRanks) {
  // Subsets of {1, 2, 3} by their sum: 0 {}, 1 {1}, 2 {2}, 3 {3} {1,2}, 4 {1,3}, 5 {2,3}, 6 {1,2,3}.
  const std::vector<double> pmf = wilcoxon_null_distribution(3);
  const std::vector<double> expected = {1, 1, 1, 2, 1, 1, 1};
  ASSERT_EQ(pmf.size(), expected.size());
  for (size_t k = 0; k < pmf.size(); ++k) EXPECT_DOUBLE_EQ(pmf[k], expected[k] / 8) << k;
  const std::vector<double> pmf50 = wilcoxon_null_distribution(50);
  EXPECT_EQ(pmf50.size(), 50u * 51 / 2 + 1);
  EXPECT_NEAR(std::accumulate(pmf50.begin(), pmf50.end(), 0.0), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(pmf50.front(), pmf50.back());  // symmetric about n(n+1)/4
}

TEST(Wilcoxon, ExactPValueOfAHandCheckedSample) {
  // d = 1, -2, 3, 4, 5: ranks 1..5, W+ = 13, W- = 2. Of the 32 sign patterns,
  // 3 have W+ <= 2 ({}, {1}, {2}), so P(W+ >= 13) = 3/32 and the two-sided p
  // doubles it; P(W+ <= 13) = 1 - P(W+ >= 14) = 1 - 2/32.
  const std::vector<double> x = {1, -2, 3, 4, 5};
  const std::vector<double> y(5, 0.0);
  const WilcoxonResult two = wilcoxon_signed_rank(x, y);
  EXPECT_EQ(two.method, WilcoxonMethod::exact);
  EXPECT_DOUBLE_EQ(two.statistic, 2);
  EXPECT_DOUBLE_EQ(two.p_value, 6.0 / 32);
  EXPECT_TRUE(std::isnan(two.z));
  EXPECT_EQ(two.n_used, 5u);
  EXPECT_FALSE(two.ties);
  const WilcoxonResult greater = wilcoxon_signed_rank(x, y, Alternative::greater);
  EXPECT_DOUBLE_EQ(greater.statistic, 13);  // one-sided: W+, as scipy
  EXPECT_DOUBLE_EQ(greater.p_value, 3.0 / 32);
  EXPECT_DOUBLE_EQ(wilcoxon_signed_rank(x, y, Alternative::less).p_value, 30.0 / 32);
  // Swapping the samples swaps the one-sided alternatives.
  EXPECT_DOUBLE_EQ(wilcoxon_signed_rank(y, x, Alternative::less).p_value, 3.0 / 32);
  EXPECT_DOUBLE_EQ(wilcoxon_signed_rank(y, x).p_value, 6.0 / 32);
}

TEST(Wilcoxon, StatisticAtTheCentreHasPValueOne) {
  // d = -1, 2, 3, -4: W+ = 5 = n(n+1)/4.
  const WilcoxonResult r = wilcoxon_signed_rank({-1, 2, 3, -4}, {0, 0, 0, 0});
  EXPECT_DOUBLE_EQ(r.statistic, 5);
  EXPECT_EQ(r.p_value, 1.0);
}

TEST(Wilcoxon, ZerosAreDroppedAndSelectTheNormalApproximation) {
  // d = 0, 1, -2, 3, 4, 5: the zero goes; n = 5, mean 7.5, variance
  // 5 * 6 * 11 / 24 = 13.75, z = (2 - 7.5) / sqrt(13.75).
  const WilcoxonResult r = wilcoxon_signed_rank({0.5, 1.5, -1.5, 3.5, 4.5, 5.5}, {0.5, 0.5, 0.5, 0.5, 0.5, 0.5});
  EXPECT_EQ(r.method, WilcoxonMethod::normal_approximation);
  EXPECT_EQ(r.n_zeros, 1u);
  EXPECT_EQ(r.n_used, 5u);
  EXPECT_DOUBLE_EQ(r.statistic, 2);
  EXPECT_NEAR(r.z, -5.5 / std::sqrt(13.75), 1e-15);
  EXPECT_NEAR(r.p_value, 0.13801073756865956, 1e-15);  // scipy.stats.wilcoxon([0, 1, -2, 3, 4, 5])
}

TEST(Wilcoxon, TiesSelectTheApproximationWithTheTieCorrection) {
  // d = 1, 1, -2, 3, 4: ranks 1.5, 1.5, 3, 4, 5, W- = 3; one pair of tied
  // ranks takes 2 (2^2 - 1) / 48 off the variance: (330 - 3) / 24.
  const WilcoxonResult r = wilcoxon_signed_rank({1, 1, -2, 3, 4}, {0, 0, 0, 0, 0});
  EXPECT_TRUE(r.ties);
  EXPECT_EQ(r.method, WilcoxonMethod::normal_approximation);
  EXPECT_DOUBLE_EQ(r.statistic, 3);
  EXPECT_NEAR(r.z, -4.5 / std::sqrt(327.0 / 24), 1e-15);
  // scipy, method="approx"; scipy 1.10's default would give 0.3125 from its exact
  // branch, which truncates the half-integer W+ (see reports/wilcoxon.h).
  EXPECT_NEAR(r.p_value, 0.2228009911811345, 1e-15);
}

TEST(Wilcoxon, IdenticalVariantsShowNoDifference) {
  const std::vector<double> scores = {0.8, 0.9, 0.85};
  const WilcoxonResult r = wilcoxon_signed_rank(scores, scores);
  EXPECT_EQ(r.method, WilcoxonMethod::no_differences);
  EXPECT_EQ(r.p_value, 1.0);
  EXPECT_EQ(r.n_used, 0u);
  EXPECT_EQ(r.n_zeros, 3u);
  EXPECT_STREQ(to_string(r.method), "no differences");
}

TEST(Wilcoxon, NaNPairsAreLeftOutAndCounted) {
  const WilcoxonResult with_nan = wilcoxon_signed_rank({1, -2, NAN, 3, 4, 5}, {0, 0, 0, 0, 0, NAN});
  EXPECT_EQ(with_nan.n_nan_pairs, 2u);
  EXPECT_EQ(with_nan.n_used, 4u);
  EXPECT_DOUBLE_EQ(with_nan.p_value, wilcoxon_signed_rank({1, -2, 3, 4}, {0, 0, 0, 0}).p_value);
}

TEST(Wilcoxon, BadInputIsAClearError) {
  try {
    wilcoxon_signed_rank({1, 2, 3}, {1, 2});
    FAIL() << "different lengths were accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("3 and 2 values"), std::string::npos) << e.describe();
  }
  EXPECT_THROW(wilcoxon_signed_rank({}, {}), DataError);
  EXPECT_THROW(wilcoxon_signed_rank({NAN, 1}, {0, NAN}), DataError);
  EXPECT_THROW(wilcoxon_signed_rank({INFINITY, 1}, {0, 0}), DataError);
}

}  // namespace
}  // namespace seglab
