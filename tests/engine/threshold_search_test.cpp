// The validation-chosen threshold: per-candidate mean Dice against a direct
// computation through the confusion matrix, and a choice that depends only on
// the images, not on their order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/confusion_matrix.h"
#include "core/error.h"
#include "core/rng.h"
#include "core/segmentation_metrics.h"
#include "engine/threshold_search.h"

namespace seglab {
namespace {

struct Image {
  std::vector<float> probabilities;
  std::vector<uint8_t> target;
};

// A blurred lesion with probabilities that are too low at its edge: the best
// threshold is below 0.5. Some probabilities sit exactly on candidates.
std::vector<Image> images(uint64_t seed, int count) {
  Rng rng(seed);
  std::vector<Image> out;
  for (int n = 0; n < count; ++n) {
    Image image;
    const int size = 24;
    const double r = rng.uniform(4, 9);
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x) {
        const double d = std::hypot(y - 12.0, x - 11.0) - r;
        const bool lesion = d < 0;
        double p = 1.0 / (1.0 + std::exp(d + 1.5)) + rng.uniform(-0.1, 0.1);
        if ((x + y) % 17 == 0) p = std::round(p * 100) / 100;  // exactly a candidate
        image.probabilities.push_back(static_cast<float>(std::clamp(p, 0.0, 1.0)));
        image.target.push_back(lesion ? 1 : (x == 0 && y == 0 ? kIgnoreIndex : 0));
      }
    out.push_back(image);
  }
  out.push_back({std::vector<float>(24 * 24, 0.2f), std::vector<uint8_t>(24 * 24, 0)});  // no lesion
  return out;
}

TEST(ThresholdSearch, MeanDiceMatchesTheConfusionMatrixAtEveryCandidate) {
  const auto data = images(1, 6);
  ThresholdSearch search;
  for (const auto& image : data) search.add(image.probabilities.data(), image.target.data(), image.target.size());
  const auto dice = search.mean_dice();
  ASSERT_EQ(search.candidates().size(), 99u);
  for (size_t k = 0; k < dice.size(); ++k) {
    const double t = search.candidates()[k];
    EXPECT_DOUBLE_EQ(t, (k + 1) / 100.0);
    double sum = 0;
    for (const auto& image : data) {
      std::vector<uint8_t> predicted(image.target.size());
      for (size_t i = 0; i < predicted.size(); ++i) predicted[i] = image.probabilities[i] > t ? 1 : 0;
      ConfusionMatrix m(2);
      m.add(predicted.data(), image.target.data(), predicted.size());
      sum += image_scores(m).at("dice");
    }
    EXPECT_NEAR(dice[k], sum / data.size(), 1e-12) << t;
  }
  const double best = search.best();
  const size_t best_index = static_cast<size_t>(std::round(best * 100)) - 1;
  EXPECT_DOUBLE_EQ(dice[best_index], *std::max_element(dice.begin(), dice.end()));
  EXPECT_LT(best, 0.5);
}

TEST(ThresholdSearch, ChoiceIsReproducibleAndOrderFree) {
  auto data = images(2, 8);
  std::vector<double> choices;
  for (int round = 0; round < 3; ++round) {
    ThresholdSearch search;
    for (const auto& image : data) search.add(image.probabilities.data(), image.target.data(), image.target.size());
    choices.push_back(search.best());
    std::reverse(data.begin(), data.end());
    std::rotate(data.begin(), data.begin() + 3, data.end());
  }
  EXPECT_EQ(choices[0], choices[1]);
  EXPECT_EQ(choices[0], choices[2]);
}

TEST(ThresholdSearch, TiesGoToTheCandidateNearestOneHalf) {
  // Probabilities 0 or 1 only: every candidate scores the same.
  std::vector<float> p = {1, 1, 0, 0};
  std::vector<uint8_t> t = {1, 0, 0, 1};
  ThresholdSearch search;
  search.add(p.data(), t.data(), p.size());
  EXPECT_EQ(search.best(), 0.5);
  EXPECT_THROW(ThresholdSearch().best(), Error);
}

}  // namespace
}  // namespace seglab
