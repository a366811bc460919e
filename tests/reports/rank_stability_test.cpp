// Bootstrap rank stability on variants whose ranking is known; the
// comparison with numpy on identical resamples is in
// statistics_reference_test.cpp.
#include "reports/rank_stability.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "core/rng.h"

namespace seglab {
namespace {

// Three variants on 30 images: variant 0 clearly best; variants 1 and 2
// equal on average (2 is 1 plus or minus 0.01 on alternate images), so a
// resample favours either.
std::vector<std::vector<double>> three_variants() {
  Rng rng(21);
  std::vector<std::vector<double>> s(3, std::vector<double>(30));
  for (size_t i = 0; i < 30; ++i) {
    const double image = 0.8 + 0.05 * rng.normal();  // some images are harder
    s[0][i] = image + 0.10 + 0.01 * rng.normal();
    s[1][i] = image + 0.03 * rng.normal();
    s[2][i] = s[1][i] + (i % 2 ? 0.01 : -0.01);
  }
  return s;
}

BootstrapOptions small(uint64_t seed) {
  BootstrapOptions o;
  o.resamples = 2000;
  o.seed = seed;
  return o;
}

TEST(RankStability, AClearWinnerIsAlwaysFirstAndTheOthersShareTheRest) {
  const RankStability r = bootstrap_rank_stability(three_variants(), Better::higher, small(1));
  EXPECT_EQ(r.n_images, 30u);
  EXPECT_EQ(r.frequency[0][0], 1.0);
  EXPECT_EQ(r.frequency[1][0] + r.frequency[2][0], 0.0);
  EXPECT_GT(r.frequency[1][1], 0.3);  // each of the equal pair is second about half the time
  EXPECT_GT(r.frequency[2][1], 0.3);
  for (size_t v = 0; v < 3; ++v) {
    double row = 0, column = 0;
    for (size_t k = 0; k < 3; ++k) row += r.frequency[v][k], column += r.frequency[k][v];
    EXPECT_NEAR(row, 1.0, 1e-12);
    EXPECT_NEAR(column, 1.0, 1e-12);
  }
}

TEST(RankStability, LowerIsBetterReversesTheRanking) {
  const RankStability r = bootstrap_rank_stability(three_variants(), Better::lower, small(1));
  EXPECT_EQ(r.frequency[0][2], 1.0);
}

TEST(RankStability, SameSeedSameFrequencies) {
  const auto s = three_variants();
  EXPECT_EQ(bootstrap_rank_stability(s, Better::higher, small(5)).frequency,
            bootstrap_rank_stability(s, Better::higher, small(5)).frequency);
}

TEST(RankStability, TiedVariantsShareTheRanksTheySpan) {
  std::vector<std::vector<double>> counts(3, std::vector<double>(3, 0.0));
  add_rank_shares({0.9, 0.8, 0.9}, Better::higher, counts);
  EXPECT_EQ(counts[0], (std::vector<double>{0.5, 0.5, 0}));
  EXPECT_EQ(counts[2], (std::vector<double>{0.5, 0.5, 0}));
  EXPECT_EQ(counts[1], (std::vector<double>{0, 0, 1}));
  const std::vector<double> same = {0.7, 0.8, 0.9};
  const RankStability r = bootstrap_rank_stability({same, same}, Better::higher, small(2));
  EXPECT_EQ(r.frequency, (std::vector<std::vector<double>>{{0.5, 0.5}, {0.5, 0.5}}));
}

TEST(RankStability, ImagesWithANaNForAnyVariantAreLeftOut) {
  auto s = three_variants();
  s[1][4] = NAN;
  s[2][9] = NAN;
  const RankStability r = bootstrap_rank_stability(s, Better::higher, small(1));
  EXPECT_EQ(r.n_images, 28u);
  EXPECT_EQ(r.n_nan_images, 2u);
}

TEST(RankStability, BadInputIsAClearError) {
  EXPECT_THROW(bootstrap_rank_stability({}, Better::higher), DataError);
  try {
    bootstrap_rank_stability({{0.9, 0.8, 0.7}, {0.9, 0.8}}, Better::higher);
    FAIL() << "variants of different lengths were accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("variant 1 has 2 scores, variant 0 has 3"), std::string::npos)
        << e.describe();
  }
  EXPECT_THROW(bootstrap_rank_stability({{0.9, NAN}, {0.8, 0.7}}, Better::higher), DataError);
  EXPECT_THROW(bootstrap_rank_stability({{0.9, INFINITY}, {0.8, 0.7}}, Better::higher), DataError);
}

}  // namespace
}  // namespace seglab
