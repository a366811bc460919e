// Each augmentation keeps image and mask aligned (an asymmetric L drawn into
// both must still coincide after it), keeps masks binary, and is reproducible
// from the seed; photometric ones leave the mask alone.
#include "datasets/augmentation.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "datasets/batch_loader.h"
#include "datasets/dataset_registration.h"
#include "tests/datasets/data_config.h"

namespace seglab {
namespace {

const std::vector<std::string> kGeometric = {"hflip", "vflip", "rot90", "rotate", "scale_crop", "affine", "elastic"};
const std::vector<std::string> kPhotometric = {"color_jitter", "gamma", "gaussian_blur", "gaussian_noise"};

void draw_mark(cv::Mat& image, cv::Mat& mask, int size = 64) {
  image = cv::Mat(size, size, CV_8UC3, cv::Scalar(40, 90, 40));
  mask = cv::Mat::zeros(size, size, CV_8U);
  // An asymmetric L well inside the image: any flip, rotation or shift moves it somewhere distinct.
  const int u = size / 16;
  for (const cv::Rect r : {cv::Rect(5 * u, 4 * u, 7 * u, 2 * u), cv::Rect(5 * u, 4 * u, 2 * u, 8 * u)}) {
    image(r).setTo(cv::Scalar(250, 0, 0));
    mask(r).setTo(1);
  }
}

Augmentation only(const std::string& name, const std::string& options = "p = 1\n") {
  const auto pipeline =
      make_augmentations(test::data_config("[augment]\npipeline = " + name + "\n[augment." + name + "]\n" + options));
  EXPECT_EQ(pipeline.size(), 1u);
  return pipeline.at(0);
}

double iou(const cv::Mat& a, const cv::Mat& b) {
  return cv::countNonZero(a & b) / static_cast<double>(std::max(1, cv::countNonZero(a | b)));
}

TEST(Augmentation, GeometricOnesMoveImageAndMaskTogether) {
  for (const auto& name : kGeometric) {
    const Augmentation step = only(name);
    int moved = 0;
    for (uint64_t seed = 0; seed < 8; ++seed) {
      cv::Mat image, mask, original_mask;
      draw_mark(image, mask);
      original_mask = mask.clone();
      Rng rng(seed);
      step(image, mask, rng);
      ASSERT_EQ(mask.size(), original_mask.size()) << name;
      ASSERT_EQ(mask.type(), CV_8U) << name;
      double low, high;
      cv::minMaxLoc(mask, &low, &high);
      EXPECT_TRUE(low == 0 && high <= 1) << name << ": mask values must stay 0 and 1 (nearest neighbour)";
      cv::Mat red;
      cv::inRange(image, cv::Scalar(160, 0, 0), cv::Scalar(255, 60, 60), red);
      if (cv::countNonZero(mask) == 0) {  // a crop may leave the mark out: then the image must lose it too
        EXPECT_LE(cv::countNonZero(red), 8) << name << " seed " << seed;
      } else {
        // Flips and quarter turns are exact; interpolating ones blur the edge by a pixel.
        const bool exact = name == "hflip" || name == "vflip" || name == "rot90";
        EXPECT_GE(iou(red != 0, mask != 0), exact ? 1.0 : 0.75) << name << " seed " << seed;
      }
      moved += cv::countNonZero(mask != original_mask) > 0;
    }
    EXPECT_GE(moved, 6) << name << " with p = 1 left the mask where it was";
  }
}

TEST(Augmentation, PhotometricOnesChangeColoursOnly) {
  for (const auto& name : kPhotometric) {
    int changed = 0;
    for (uint64_t seed = 0; seed < 6; ++seed) {
      cv::Mat image, mask;
      draw_mark(image, mask);
      const cv::Mat before = image.clone(), mask_before = mask.clone();
      Rng rng(seed);
      only(name)(image, mask, rng);
      EXPECT_EQ(cv::countNonZero(mask != mask_before), 0) << name;
      cv::Mat diff;
      cv::absdiff(image, before, diff);
      changed += cv::sum(diff)[0] + cv::sum(diff)[1] + cv::sum(diff)[2] > 0;
    }
    EXPECT_GE(changed, 5) << name << " with p = 1 did nothing";
  }
}

TEST(Augmentation, EveryOneIsReproducibleFromTheSeed) {
  std::vector<std::string> all = kGeometric;
  all.insert(all.end(), kPhotometric.begin(), kPhotometric.end());
  for (const auto& name : all) {
    const Augmentation step = only(name);
    auto run = [&](uint64_t seed) {
      cv::Mat image, mask;
      draw_mark(image, mask);
      Rng rng(seed);
      step(image, mask, rng);
      return std::make_pair(image, mask);
    };
    const auto a = run(11), b = run(11);
    EXPECT_EQ(cv::norm(a.first, b.first, cv::NORM_INF), 0) << name;
    EXPECT_EQ(cv::norm(a.second, b.second, cv::NORM_INF), 0) << name;
    if (name == "hflip" || name == "vflip") continue;  // at p = 1 a flip has nothing left to draw
    bool differs = false;
    for (uint64_t seed = 12; seed < 16 && !differs; ++seed) differs = cv::norm(run(seed).first, a.first, cv::NORM_INF) > 0;
    EXPECT_TRUE(differs) << name << ": other seeds should give other results";
  }
}

TEST(Augmentation, ProbabilityZeroLeavesSamplesAlone) {
  for (const auto& name : {"hflip", "rotate", "elastic", "color_jitter", "gaussian_noise"}) {
    cv::Mat image, mask;
    draw_mark(image, mask);
    const cv::Mat before = image.clone();
    Rng rng(1);
    only(name, "p = 0\n")(image, mask, rng);
    EXPECT_EQ(cv::norm(image, before, cv::NORM_INF), 0) << name;
  }
}

TEST(Augmentation, PipelineStepsDrawFromTheirOwnStreams) {
  // Whether (and how strongly) an earlier step fires must not change what a later one does.
  auto mask_after = [](const std::string& gamma_p) {
    const auto pipeline = make_augmentations(test::data_config(
        "[augment]\npipeline = gamma, rotate\n[augment.gamma]\np = " + gamma_p + "\n[augment.rotate]\np = 1\n"));
    cv::Mat image, mask;
    draw_mark(image, mask);
    apply_augmentations(pipeline, image, mask, Rng(5));
    return mask;
  };
  const cv::Mat a = mask_after("0"), b = mask_after("1");
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0);
  cv::Mat original, unused;
  draw_mark(unused, original);
  EXPECT_GT(cv::countNonZero(a != original), 0);
}

TEST(Augmentation, NormalizeSetsTheLoadersMeanAndStdAndMustBeLast) {
  const Config config = test::data_config(
      "[augment]\npipeline = hflip, normalize\n[augment.normalize]\nmean = 0.5, 0.5, 0.5\nstd = 0.25, 0.5, 1\n");
  EXPECT_EQ(make_augmentations(config).size(), 1u);
  const Normalization n = normalization_from_config(config);
  EXPECT_FLOAT_EQ(n.mean[0], 0.5f);
  EXPECT_FLOAT_EQ(n.std[2], 1.0f);
  cv::Mat pixel(1, 1, CV_8UC3, cv::Scalar(255, 0, 255));
  float out[3];
  pack_image(pixel, out, n);
  EXPECT_FLOAT_EQ(out[0], 2.0f);   // (1 - 0.5) / 0.25
  EXPECT_FLOAT_EQ(out[1], -1.0f);  // (0 - 0.5) / 0.5
  EXPECT_FLOAT_EQ(out[2], 0.5f);
  const Normalization imagenet = normalization_from_config(test::data_config("[augment]\npipeline = hflip\n"));
  EXPECT_FLOAT_EQ(imagenet.mean[1], 0.456f);
  EXPECT_THROW(make_augmentations(test::data_config("[augment]\npipeline = normalize, hflip\n")), ConfigError);
}

}  // namespace
}  // namespace seglab
