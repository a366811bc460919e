#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "datasets/dataset_adapter.h"
#include "tests/datasets/data_config.h"

namespace seglab {
namespace {

std::unique_ptr<DatasetAdapter> synthetic(int seed, int size = 64) {
  return make_adapter(test::data_config("[data]\nadapter = synthetic\nnum_samples = 10\nsynthetic_size = " +
                                           std::to_string(size) + "\nsynthetic_seed = " + std::to_string(seed) + "\n"));
}

TEST(SyntheticAdapter, SameSeedSameSamplesOtherSeedOtherSamples) {
  auto a = synthetic(1), b = synthetic(1), c = synthetic(2);
  ASSERT_EQ(a->size(), 10u);
  const LoadedSample x = a->load(3), y = b->load(3), z = c->load(3);
  EXPECT_EQ(cv::norm(x.image, y.image, cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(x.mask, y.mask, cv::NORM_INF), 0);
  EXPECT_GT(cv::norm(x.image, z.image, cv::NORM_L1), 0);
  EXPECT_EQ(a->fingerprint(), b->fingerprint());
  EXPECT_NE(a->fingerprint(), c->fingerprint());
  EXPECT_EQ(x.id, "synthetic_00003");
}

TEST(SyntheticAdapter, LesionsAreDarkBlobsInsideTheImage) {
  auto dataset = synthetic(7, 96);
  for (size_t i = 0; i < dataset->size(); ++i) {
    const LoadedSample s = dataset->load(i);
    ASSERT_EQ(s.image.size(), cv::Size(96, 96));
    const double fraction = cv::countNonZero(s.mask) / double(s.mask.total());
    EXPECT_GT(fraction, 0.03) << i;
    EXPECT_LT(fraction, 0.5) << i;
    // Darker than the ring of skin around it.
    cv::Mat grown;
    cv::dilate(s.mask, grown, cv::Mat::ones(9, 9, CV_8U));
    EXPECT_LT(cv::mean(s.image, s.mask)[1] + 15, cv::mean(s.image, (grown != 0) & (s.mask == 0))[1]) << i;
  }
}

}  // namespace
}  // namespace seglab
