#include "datasets/batch_loader.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "datasets/dataset_adapter.h"
#include "engine/experiment.h"

namespace seglab {
namespace {

std::unique_ptr<DatasetAdapter> dataset() {
  return make_adapter(config_from_text("[data]\nnum_samples = 10\nsynthetic_size = 40\n", "test"));
}

std::vector<size_t> order_of_epoch(BatchLoader& loader, int epoch) {
  loader.start_epoch(epoch);
  std::vector<size_t> order;
  Batch b;
  while (loader.next(b)) order.insert(order.end(), b.indices.begin(), b.indices.end());
  return order;
}

TEST(BatchLoader, ShapesResizeAndNormalisation) {
  auto data = dataset();
  LoaderOptions o;
  o.image_size = 32;
  o.batch_size = 4;
  BatchLoader loader(*data, {0, 1, 2, 3, 4, 5, 6}, o);
  EXPECT_EQ(loader.batches_per_epoch(), 2u);
  Batch b;
  ASSERT_TRUE(loader.next(b));
  EXPECT_EQ(b.images.shape(), (Shape{4, 3, 32, 32}));
  EXPECT_EQ(b.targets.shape(), (Shape{4, 1, 32, 32}));
  EXPECT_EQ(b.indices, (std::vector<size_t>{0, 1, 2, 3}));
  for (float t : b.targets.values()) EXPECT_TRUE(t == 0.0f || t == 1.0f);
  // A pixel's red value v arrives as (v/255 - 0.485) / 0.229.
  const LoadedSample s = data->load(0);
  cv::Mat small;
  cv::resize(s.image, small, {32, 32}, 0, 0, cv::INTER_AREA);
  EXPECT_NEAR(b.images[0], (small.at<cv::Vec3b>(0, 0)[0] / 255.0f - 0.485f) / 0.229f, 1e-5);
  ASSERT_TRUE(loader.next(b));
  EXPECT_EQ(b.images.dim(0), 3);  // the smaller last batch is kept without drop_last
  EXPECT_FALSE(loader.next(b));
}

TEST(BatchLoader, ShuffledOrderDependsOnSeedAndEpochOnly) {
  auto data = dataset();
  LoaderOptions o;
  o.image_size = 16;
  o.batch_size = 3;
  o.shuffle = true;
  o.drop_last = true;
  o.seed = 5;
  BatchLoader a(*data, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, o), b(*data, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, o);
  EXPECT_EQ(a.batches_per_epoch(), 3u);
  const auto first = order_of_epoch(a, 1);
  EXPECT_EQ(first.size(), 9u);
  EXPECT_EQ(first, order_of_epoch(b, 1));
  EXPECT_NE(first, order_of_epoch(a, 2));
  o.seed = 6;
  BatchLoader c(*data, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, o);
  EXPECT_NE(first, order_of_epoch(c, 1));
}

}  // namespace
}  // namespace seglab
