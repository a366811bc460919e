#include "datasets/batch_loader.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "datasets/dataset_adapter.h"
#include "tests/datasets/data_config.h"

namespace seglab {
namespace {

std::unique_ptr<DatasetAdapter> dataset() {
  return make_adapter(test::data_config("[data]\nnum_samples = 10\nsynthetic_size = 40\n"));
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

#include <atomic>
#include <chrono>
#include <thread>

#include "core/error.h"
#include "datasets/sample_source.h"

namespace seglab {
namespace {

struct Epochs {
  std::vector<std::vector<size_t>> indices;
  std::vector<Tensor> images, targets;
};

Epochs two_epochs(const std::shared_ptr<const SampleSource>& source, int workers) {
  const Config config = test::data_config(
      "[augment]\npipeline = hflip, rotate, scale_crop, elastic, color_jitter, gaussian_noise, normalize\n"
      "[augment.rotate]\np = 1\n[augment.elastic]\np = 1\n[augment.gaussian_noise]\np = 1\n");
  LoaderOptions o;
  o.image_size = 40;
  o.batch_size = 3;
  o.shuffle = true;
  o.seed = 17;
  o.workers = workers;
  o.augmentations = make_augmentations(config);
  BatchLoader loader(source, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, o);
  Epochs out;
  for (int epoch = 1; epoch <= 2; ++epoch) {
    loader.start_epoch(epoch);
    Batch b;
    while (loader.next(b)) {
      out.indices.push_back(b.indices);
      out.images.push_back(b.images);
      out.targets.push_back(b.targets);
    }
  }
  return out;
}

TEST(BatchLoader, SameOrderAndContentWithOneOrFourWorkers) {
  auto data = make_adapter(test::data_config("[data]\nnum_samples = 12\nsynthetic_size = 48\n"));
  auto source = std::make_shared<DecodingSource>(*data, 40, true);
  const Epochs inline_built = two_epochs(source, 0), one = two_epochs(source, 1), four = two_epochs(source, 4);
  ASSERT_EQ(one.indices.size(), 8u);  // 4 batches (3, 3, 3, 2) per epoch
  EXPECT_EQ(one.indices, four.indices);
  EXPECT_EQ(one.indices, inline_built.indices);
  for (size_t b = 0; b < one.images.size(); ++b) {
    EXPECT_EQ(max_abs_difference(one.images[b], four.images[b]), 0.0) << "batch " << b;
    EXPECT_EQ(max_abs_difference(one.targets[b], four.targets[b]), 0.0) << "batch " << b;
    EXPECT_EQ(max_abs_difference(one.images[b], inline_built.images[b]), 0.0) << "batch " << b;
  }
  // Epochs differ (order and augmentation), and augmentation did change the samples.
  EXPECT_NE(std::vector<size_t>(one.indices[0]), std::vector<size_t>(one.indices[4]));
  const LoadedSample plain = source->get(one.indices[0][0]);
  Tensor plain_tensor({1, 3, 40, 40});
  pack_image(plain.image, plain_tensor.data());
  EXPECT_GT(max_abs_difference(one.images[0].slice0(0).reshaped({1, 3, 40, 40}), plain_tensor), 0.1);
}

// Counts get() calls and fails on one index.
class CountingSource final : public SampleSource {
 public:
  explicit CountingSource(size_t bad) : bad_(bad) {}
  LoadedSample get(size_t index) const override {
    ++calls;
    if (index == bad_) throw DataError("cannot decode image", "sample-" + std::to_string(index));
    LoadedSample s;
    s.image = cv::Mat(8, 8, CV_8UC3, cv::Scalar(static_cast<double>(index), 0, 0));
    s.mask = cv::Mat::zeros(8, 8, CV_8U);
    return s;
  }
  mutable std::atomic<int> calls{0};

 private:
  size_t bad_;
};

TEST(BatchLoader, WorkersStayABoundedQueueAheadAndPassErrorsOn) {
  auto source = std::make_shared<CountingSource>(13);
  LoaderOptions o;
  o.image_size = 8;
  o.batch_size = 2;
  o.workers = 2;
  o.queue_batches = 3;
  std::vector<size_t> indices(20);
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = i;
  BatchLoader loader(source, indices, o);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_GT(source->calls.load(), 0);   // built ahead of the consumer
  EXPECT_LE(source->calls.load(), 6);   // but no more than 3 batches of 2
  Batch b;
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(loader.next(b));
    EXPECT_EQ(b.indices[0], static_cast<size_t>(2 * i));
  }
  try {
    loader.next(b);  // batch 6 holds samples 12 and 13
    ADD_FAILURE() << "the worker's error was lost";
  } catch (const DataError& e) {
    EXPECT_EQ(e.input(), "sample-13");
  }
  ASSERT_TRUE(loader.next(b));  // later batches are still delivered
  EXPECT_EQ(b.indices[0], 14u);
}

}  // namespace
}  // namespace seglab
