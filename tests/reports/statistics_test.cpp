#include "reports/statistics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace seglab {
namespace {

TEST(Statistics, MeanAndSampleStandardDeviation) {
  const MeanStd m = mean_std({0.80, 0.84, 0.88});
  EXPECT_NEAR(m.mean, 0.84, 1e-12);
  EXPECT_NEAR(m.std, 0.04, 1e-12);  // sqrt((0.0016 + 0 + 0.0016) / 2)
  EXPECT_EQ(m.n, 3u);
}

TEST(Statistics, OneValueHasNoSpreadAndNaNIsLeftOut) {
  const MeanStd m = mean_std({0.5, NAN});
  EXPECT_EQ(m.n, 1u);
  EXPECT_DOUBLE_EQ(m.mean, 0.5);
  EXPECT_DOUBLE_EQ(m.std, 0.0);
  EXPECT_EQ(mean_std({NAN}).n, 0u);
  EXPECT_TRUE(std::isnan(mean_std({}).mean));
}

TEST(Statistics, BoxStatsFollowNumpyQuartilesAndTukeyWhiskers) {
  // numpy.percentile([1..9, 40], [25, 50, 75]) = 3.25, 5.5, 7.75; IQR 4.5,
  // upper fence 14.5, so 40 is an outlier and the upper whisker is 9.
  const BoxStats b = box_stats({40, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_DOUBLE_EQ(b.lower_quartile, 3.25);
  EXPECT_DOUBLE_EQ(b.median, 5.5);
  EXPECT_DOUBLE_EQ(b.upper_quartile, 7.75);
  EXPECT_DOUBLE_EQ(b.lower_whisker, 1);
  EXPECT_DOUBLE_EQ(b.upper_whisker, 9);
  ASSERT_EQ(b.outliers.size(), 1u);
  EXPECT_DOUBLE_EQ(b.outliers[0], 40);
  EXPECT_DOUBLE_EQ(b.mean, 8.5);
  EXPECT_EQ(b.n, 10u);
}

}  // namespace
}  // namespace seglab
