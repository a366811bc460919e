// The LibTorch backend's Network contract: weights and optimizer state move by
// name without changing results, bad weights are refused by name, training on
// real PH2 images lowers the loss.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"
#include "datasets/batch_loader.h"
#include "datasets/dataset_adapter.h"
#include "tests/backends/backend_test_support.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

TEST(LibTorchNetwork, WeightExportImportGivesIdenticalPredictions) {
  const Config config = test::small_unet_config();
  auto a = test::compile_network(config, 1);
  auto b = test::compile_network(config, 2);
  Tensor images, targets;
  test::random_batch(2, 16, 3, images, targets);
  a->train_step(images, targets, 1e-2);  // move the BN statistics away from their initial values
  EXPECT_GT(max_abs_difference(a->predict(images), b->predict(images)), 1e-3);
  b->load_weights(a->weights());
  EXPECT_EQ(a->predict(images).values(), b->predict(images).values());
  const NamedTensors w = a->weights();
  EXPECT_EQ(w.at("encoder.stage0.bn1.num_batches_tracked")[0], 1.0f);
}

TEST(LibTorchNetwork, OptimizerStateRoundTripContinuesIdentically) {
  for (const char* optimizer : {"sgd", "adam", "adamw"}) {
    const Config config = test::small_unet_config(std::string("[train]\noptimizer = ") + optimizer + "\n");
    auto a = test::compile_network(config, 1);
    Tensor images, targets;
    test::random_batch(2, 16, 4, images, targets);
    a->train_step(images, targets, 1e-2);
    a->train_step(images, targets, 1e-2);
    auto b = test::compile_network(config, 9);
    b->load_weights(a->weights());
    b->load_optimizer_state(a->optimizer_state());
    EXPECT_EQ(a->train_step(images, targets, 5e-3), b->train_step(images, targets, 5e-3)) << optimizer;
    EXPECT_EQ(test::max_relative_difference(a->weights(), b->weights()), 0.0) << optimizer;
    EXPECT_EQ(a->optimizer_state().at("step")[0], 3.0f);
  }
}

TEST(LibTorchNetwork, BadWeightsAreRefusedByNameOnEveryBackend) {
  for (const char* backend : {"libtorch", "onednn"}) {
    SCOPED_TRACE(backend);
    const Config config = test::small_unet_config(std::string("[backend]\nname = ") + backend + "\n");
    auto net = test::compile_network(config, 1);
    NamedTensors w = net->weights();
    w.erase("head.bias");
    w["encoder.stage0.conv1.weight"] = Tensor({1, 2, 3, 3});
    w["extra.weight"] = Tensor({1});
    try {
      net->load_weights(w);
      ADD_FAILURE() << "weights that do not fit were loaded";
    } catch (const BackendError& e) {
      const std::string text = e.what();
      EXPECT_NE(text.find("missing head.bias"), std::string::npos) << text;
      EXPECT_NE(text.find("encoder.stage0.conv1.weight has shape [1, 2, 3, 3], expected [4, 3, 3, 3]"), std::string::npos)
          << text;
      EXPECT_NE(text.find("unexpected extra.weight"), std::string::npos) << text;
    }
  }
}

TEST(LibTorchNetwork, CudaIsRefusedClearlyWhenAbsentAndUsedWhenPresent) {
  const Config config = test::small_unet_config("[backend]\ndevice = cuda\n");
  const auto caps = make_backend(config)->capabilities();
  const bool has_cuda = std::find(caps.devices.begin(), caps.devices.end(), "cuda") != caps.devices.end();
  if (has_cuda) {
    EXPECT_EQ(test::compile_network(config, 1)->device(), "cuda:0");
  } else {
    try {
      test::compile_network(config, 1);
      FAIL();
    } catch (const BackendError& e) {
      EXPECT_EQ(e.input(), "backend.device");
    }
  }
}

TEST(LibTorchNetwork, LossesRefuseTheWrongNumberOfClasses) {
  EXPECT_THROW(test::compile_network(test::small_unet_config("[model]\nnum_classes = 3\n[train]\nloss = bce\n"), 1),
               ConfigError);
  EXPECT_THROW(test::compile_network(test::small_unet_config("[train]\nloss = cross_entropy\n"), 1), ConfigError);
}

TEST(LibTorchNetwork, MultiClassCrossEntropyTrainsAndPredictsProbabilities) {
  const Config config = test::small_unet_config("[model]\nnum_classes = 3\n[train]\nloss = cross_entropy\n");
  auto net = test::compile_network(config, 1);
  Tensor images, targets;
  test::random_batch(2, 16, 5, images, targets);
  for (int64_t i = 0; i < 16; ++i) targets[i] = 2;     // a third class along the top row
  for (int64_t i = 16; i < 20; ++i) targets[i] = 255;  // ignored pixels
  const float first = net->train_step(images, targets, 1e-2);
  float last = first;
  for (int i = 0; i < 20; ++i) last = net->train_step(images, targets, 1e-2);
  EXPECT_LT(last, first);
  const Tensor p = net->predict(images);
  ASSERT_EQ(p.shape(), (Shape{2, 3, 16, 16}));
  for (int64_t px = 0; px < 256; px += 37) EXPECT_NEAR(p[px] + p[256 + px] + p[512 + px], 1.0, 1e-5);
}

TEST(LibTorchNetwork, ShortTrainingOnRealPh2ImagesLowersTheLoss) {
  const std::string root = test::shared_data("skin-lesions");
  const Config config = config_from_text("[data]\nadapter = folder\nroot = " + root +
                                             "\nmask_suffix = _lesion\nimage_size = 64\n"
                                             "[model]\nbase_channels = 8\ndepth = 3\n"
                                             "[backend]\ndevice = cpu\n[train]\nlr = 3e-3\n",
                                         "test");
  auto dataset = make_adapter(config);
  ASSERT_EQ(dataset->size(), 90u);
  LoaderOptions options;
  options.image_size = 64;
  options.batch_size = 8;
  BatchLoader loader(*dataset, {0, 1, 2, 3, 4, 5, 6, 7}, options);
  Batch batch;
  ASSERT_TRUE(loader.next(batch));
  auto net = test::compile_network(config, 7);
  std::vector<float> losses;
  for (int step = 0; step < 25; ++step) losses.push_back(net->train_step(batch.images, batch.targets, 3e-3));
  const float late = (losses[22] + losses[23] + losses[24]) / 3;
  EXPECT_LT(late, 0.7f * losses[0]) << "first " << losses[0] << ", last " << late;
}

}  // namespace
}  // namespace seglab
