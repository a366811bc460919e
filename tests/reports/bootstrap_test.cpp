// The percentile bootstrap and the per-variant summary: seeded determinism,
// the interpolation of the percentiles, coverage, NaN handling and errors.
// The same intervals against numpy on identical resamples are in
// statistics_reference_test.cpp.
#include "reports/bootstrap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"
#include "reports/score_summary.h"

namespace seglab {
namespace {

std::vector<double> normal_scores(size_t n, double mean, double sd, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> v(n);
  for (auto& x : v) x = mean + sd * rng.normal();
  return v;
}

TEST(Bootstrap, ResamplesDrawEveryIndexAlikeAndDependOnlyOnSeedAndNumber) {
  const size_t n = 10, resamples = 5000;
  BootstrapOptions options;
  options.resamples = resamples;
  options.seed = 42;
  std::vector<double> count(n, 0);
  size_t b = 0;
  for_each_resample(n, options, [&](const std::vector<size_t>& idx) {
    ASSERT_EQ(idx.size(), n);
    for (size_t i : idx) count[i] += 1;
    if (b == 1234) {
      EXPECT_EQ(idx, bootstrap_resample(42, 1234, n));  // any one regenerated alone
    }
    ++b;
  });
  // Each index n * B / n = 5000 times; binomial sd about 67.
  for (size_t i = 0; i < n; ++i) EXPECT_NEAR(count[i], 5000, 350) << i;
  EXPECT_EQ(bootstrap_resample(42, 7, n), bootstrap_resample(42, 7, n));
  EXPECT_NE(bootstrap_resample(42, 7, n), bootstrap_resample(43, 7, n));
  EXPECT_NE(bootstrap_resample(42, 7, n), bootstrap_resample(42, 8, n));
}

TEST(Bootstrap, PercentileIntervalInterpolatesLikeNumpy) {
  std::vector<double> hundred(101);
  std::iota(hundred.begin(), hundred.end(), 0.0);
  const Interval i95 = percentile_interval(hundred, 0.95);  // numpy.percentile(range(101), [2.5, 97.5])
  EXPECT_NEAR(i95.low, 2.5, 1e-12);
  EXPECT_NEAR(i95.high, 97.5, 1e-12);
  const Interval i50 = percentile_interval({4, 1, 3, 2}, 0.5);  // numpy.percentile([1, 2, 3, 4], [25, 75])
  EXPECT_DOUBLE_EQ(i50.low, 1.75);
  EXPECT_DOUBLE_EQ(i50.high, 3.25);
  EXPECT_THROW(percentile_interval({}, 0.95), DataError);
  EXPECT_THROW(percentile_interval({1, NAN}, 0.95), DataError);
  EXPECT_THROW(percentile_interval({1, 2}, 1.0), DataError);
}

TEST(Bootstrap, IntervalOfTheMeanCoversTheTrueMeanAboutNinetyFivePercentOfTheTime) {
  // 200 samples of 30 Dice-like scores with a known mean; the percentile
  // interval of the mean is slightly narrow at n = 30 (about 93-94 %).
  BootstrapOptions options;
  options.resamples = 1000;
  size_t covered = 0;
  const size_t trials = 200;
  for (uint64_t t = 0; t < trials; ++t) {
    options.seed = t;
    const ScoreSummary s = summarize_scores(normal_scores(30, 0.85, 0.05, 1000 + t), options);
    if (s.mean_ci.low <= 0.85 && 0.85 <= s.mean_ci.high) ++covered;
  }
  const double coverage = static_cast<double>(covered) / trials;  // binomial sd about 0.016
  EXPECT_GE(coverage, 0.88);
  EXPECT_LE(coverage, 0.99);
}

TEST(ScoreSummary, MeanStdMedianAndAnIntervalAroundTheMean) {
  const ScoreSummary s = summarize_scores({0.80, 0.84, 0.88, 0.70, 0.95});
  EXPECT_EQ(s.n, 5u);
  EXPECT_EQ(s.n_nan, 0u);
  EXPECT_NEAR(s.mean, 0.834, 1e-12);
  EXPECT_NEAR(s.std, std::sqrt((0.034 * 0.034 + 0.006 * 0.006 + 0.046 * 0.046 + 0.134 * 0.134 + 0.116 * 0.116) / 4),
              1e-12);
  EXPECT_DOUBLE_EQ(s.median, 0.84);
  EXPECT_EQ(s.bootstrap.resamples, 10000u);  // the default
  EXPECT_EQ(s.bootstrap.confidence, 0.95);
  EXPECT_LT(s.mean_ci.low, s.mean);
  EXPECT_GT(s.mean_ci.high, s.mean);
  EXPECT_GE(s.mean_ci.low, 0.70);  // a mean of resampled scores lies within them
  EXPECT_LE(s.mean_ci.high, 0.95);
}

TEST(ScoreSummary, WidthFollowsTheStandardErrorOnALargeSample) {
  const ScoreSummary s = summarize_scores(normal_scores(400, 0.9, 0.04, 5));
  const double expected_half_width = 1.96 * s.std / std::sqrt(400.0);
  EXPECT_NEAR((s.mean_ci.high - s.mean_ci.low) / 2, expected_half_width, 0.1 * expected_half_width);
  EXPECT_NEAR((s.mean_ci.high + s.mean_ci.low) / 2, s.mean, 0.1 * expected_half_width);
}

TEST(ScoreSummary, SameSeedSameIntervalAnotherSeedAnother) {
  const std::vector<double> scores = normal_scores(25, 0.88, 0.05, 9);
  BootstrapOptions options;
  options.seed = 17;
  const ScoreSummary a = summarize_scores(scores, options), b = summarize_scores(scores, options);
  EXPECT_EQ(a.mean_ci.low, b.mean_ci.low);
  EXPECT_EQ(a.mean_ci.high, b.mean_ci.high);
  options.seed = 18;
  const ScoreSummary c = summarize_scores(scores, options);
  EXPECT_NE(a.mean_ci.low, c.mean_ci.low);
  EXPECT_NEAR(a.mean_ci.low, c.mean_ci.low, 0.01);  // Monte Carlo noise only
}

TEST(ScoreSummary, ConstantScoresGiveAPointInterval) {
  const ScoreSummary s = summarize_scores(std::vector<double>(12, 0.9));
  EXPECT_DOUBLE_EQ(s.mean, 0.9);
  EXPECT_NEAR(s.std, 0.0, 1e-15);  // the mean of twelve 0.9s rounds to 0.9 + 1 ulp
  EXPECT_DOUBLE_EQ(s.median, 0.9);
  EXPECT_EQ(s.mean_ci.low, s.mean_ci.high);
  EXPECT_EQ(s.mean_ci.low, s.mean);
}

TEST(ScoreSummary, NaNScoresAreLeftOutAndCounted) {
  BootstrapOptions options;
  options.seed = 3;
  const ScoreSummary with_nan = summarize_scores({0.8, NAN, 0.9, 0.7, NAN}, options);
  const ScoreSummary without = summarize_scores({0.8, 0.9, 0.7}, options);
  EXPECT_EQ(with_nan.n, 3u);
  EXPECT_EQ(with_nan.n_nan, 2u);
  EXPECT_NEAR(with_nan.mean, 0.8, 1e-12);
  EXPECT_EQ(with_nan.mean_ci.low, without.mean_ci.low);  // the NaNs change nothing else
  EXPECT_EQ(with_nan.mean_ci.high, without.mean_ci.high);
}

TEST(ScoreSummary, TooFewScoresOrBadOptionsAreClearErrors) {
  try {
    summarize_scores({0.5, NAN});
    FAIL() << "one score was accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("at least 2 values, got 1"), std::string::npos) << e.describe();
  }
  EXPECT_THROW(summarize_scores({}), DataError);
  EXPECT_THROW(summarize_scores({0.5, INFINITY, 0.7}), DataError);
  BootstrapOptions none;
  none.resamples = 0;
  EXPECT_THROW(summarize_scores({0.5, 0.6}, none), DataError);
  BootstrapOptions full;
  full.confidence = 1.0;
  EXPECT_THROW(summarize_scores({0.5, 0.6}, full), DataError);
}

}  // namespace
}  // namespace seglab
