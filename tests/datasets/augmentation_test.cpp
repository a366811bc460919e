// Each augmentation keeps image and mask aligned (an L-shaped mark drawn into
// both must still coincide) and is reproducible from the seed.
#include "datasets/augmentation.h"

#include <gtest/gtest.h>

#include "datasets/dataset_registration.h"
#include "engine/experiment.h"

namespace seglab {
namespace {

void draw_mark(cv::Mat& image, cv::Mat& mask) {
  image = cv::Mat(32, 32, CV_8UC3, cv::Scalar(10, 10, 10));
  mask = cv::Mat::zeros(32, 32, CV_8U);
  // An asymmetric L: any flip or rotation moves it somewhere distinct.
  for (const cv::Rect r : {cv::Rect(3, 4, 12, 3), cv::Rect(3, 4, 3, 20)}) {
    image(r).setTo(cv::Scalar(250, 0, 0));
    mask(r).setTo(1);
  }
}

TEST(Augmentation, GeometricAugmentationsMoveImageAndMaskTogether) {
  for (const std::string name : {"hflip", "vflip", "rot90"}) {
    const Config config =
        config_from_text("[augment]\npipeline = " + name + "\n[augment." + name + "]\np = 1\n", "test");
    const auto pipeline = make_augmentations(config);
    ASSERT_EQ(pipeline.size(), 1u);
    for (uint64_t seed = 0; seed < 6; ++seed) {
      cv::Mat image, mask, original_mask;
      draw_mark(image, mask);
      original_mask = mask.clone();
      Rng rng(seed);
      pipeline[0](image, mask, rng);
      cv::Mat red;
      cv::inRange(image, cv::Scalar(200, 0, 0), cv::Scalar(255, 50, 50), red);
      EXPECT_EQ(cv::countNonZero(red != (mask * 255)), 0) << name << " seed " << seed;
      EXPECT_GT(cv::countNonZero(mask != original_mask), 0) << name << " did nothing with p = 1";
    }
  }
}

TEST(Augmentation, ProbabilityZeroLeavesSamplesAlone) {
  const auto pipeline = make_augmentations(config_from_text("[augment]\npipeline = hflip\n[augment.hflip]\np = 0\n", "t"));
  cv::Mat image, mask;
  draw_mark(image, mask);
  const cv::Mat before = mask.clone();
  Rng rng(1);
  pipeline[0](image, mask, rng);
  EXPECT_EQ(cv::countNonZero(mask != before), 0);
}

TEST(Augmentation, SameSeedSameResult) {
  const auto pipeline = make_augmentations(config_from_text("[augment]\npipeline = hflip, vflip, rot90\n", "t"));
  std::vector<cv::Mat> results;
  for (int run = 0; run < 2; ++run) {
    cv::Mat image, mask;
    draw_mark(image, mask);
    Rng rng(99);
    for (const auto& step : pipeline) step(image, mask, rng);
    results.push_back(mask);
  }
  EXPECT_EQ(cv::countNonZero(results[0] != results[1]), 0);
}

}  // namespace
}  // namespace seglab
