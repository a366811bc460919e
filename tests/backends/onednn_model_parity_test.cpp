// The oneDNN backend against the LibTorch backend on whole models built by the
// model registry: forward outputs within 1e-4 and gradients within 1e-3 of every
// parameter, 20 training steps that follow the same loss curve within 1e-3,
// weights and optimizer state that move between the backends, results that do
// not depend on the thread count, training on real PH2 images selected by the
// config, and errors that name the op or input.
#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/image_io.h"
#include "datasets/preprocess.h"
#include "models/graph_builder.h"
#include "tests/backends/backend_test_support.h"
#include "tests/backends/onednn_parity_support.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

Graph unet(const std::string& model_keys) {
  return build_model(test::small_unet_config("[model]\n" + model_keys));
}

struct ModelCase {
  std::string name;
  std::string model_keys;
};

// The CTest name shows the case's name, not the struct's bytes (which hold
// pointers, so the name would change from build to build).
void PrintTo(const ModelCase& c, std::ostream* os) { *os << c.name; }

class OneDnnModelParity : public ::testing::TestWithParam<ModelCase> {};

TEST_P(OneDnnModelParity, ForwardAndGradientsMatchLibTorch) {
  const Graph graph = unet(GetParam().model_keys);
  const NamedTensors weights = test::varied_weights(graph, 3);
  const CompileOptions options = test::parity_options("bce_dice", 2, "sgd");
  auto reference = test::compile_with("libtorch", graph, weights, options);
  auto dnn = test::compile_with("onednn", graph, weights, options);
  const int64_t size = 2 * graph.max_stride();
  const Tensor images = test::random_images({2, 3, size, size}, 5);
  const Tensor targets = test::random_targets({2, 1, size, size}, 2, 6);
  EXPECT_LE(test::scaled_difference(dnn->logits(images), reference->logits(images)), 1e-4);
  const float expected = reference->train_step(images, targets, 0.05);
  EXPECT_NEAR(dnn->train_step(images, targets, 0.05), expected, 1e-4 * std::abs(expected));
  std::string worst;
  EXPECT_LE(test::scaled_difference(dnn->gradients(), reference->gradients(), &worst), 1e-3) << worst;
  EXPECT_LE(test::scaled_difference(dnn->weights(), reference->weights(), &worst), 1e-4) << worst;
  EXPECT_LE(test::scaled_difference(dnn->predict(images), reference->predict(images)), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(
    Models, OneDnnModelParity,
    ::testing::Values(ModelCase{"unet_transposed_bn", "base_channels = 16\ndepth = 3\n"},
                      ModelCase{"unet_bilinear_no_bn", "base_channels = 8\ndepth = 2\nupsampling = bilinear\nbatch_norm = false\n"},
                      ModelCase{"unet_narrow", "base_channels = 4\ndepth = 2\n"}),
    [](const ::testing::TestParamInfo<ModelCase>& info) { return info.param.name; });

TEST(OneDnnTraining, TwentyStepsFollowTheLibTorchLossCurve) {
  const Graph graph = unet("base_channels = 8\ndepth = 2\n");
  const NamedTensors weights = initialize_parameters(graph, 21);
  for (const char* optimizer : {"adamw", "sgd"}) {
    const CompileOptions options = test::parity_options("bce_dice", 2, optimizer);
    auto reference = test::compile_with("libtorch", graph, weights, options);
    auto dnn = test::compile_with("onednn", graph, weights, options);
    Tensor images, targets;
    test::random_batch(2, 16, 8, images, targets);
    float first = 0, last = 0;
    double worst = 0;
    for (int step = 0; step < 20; ++step) {
      const double lr = 1e-3 * (1.0 - step / 40.0);  // a schedule, as the engine passes one in
      const float expected = reference->train_step(images, targets, lr);
      const float got = dnn->train_step(images, targets, lr);
      worst = std::max(worst, std::abs(static_cast<double>(got) - expected) / std::abs(expected));
      if (step == 0) first = got;
      last = got;
    }
    EXPECT_LE(worst, 1e-3) << optimizer;
    EXPECT_LT(last, first) << optimizer;
    std::printf("%s: largest relative loss difference over 20 steps %.2e\n", optimizer, worst);
  }
}

// Every variant of the update loop (dnnl_optimizer.cpp has one per optimizer,
// weight-decay kind and momentum case): three steps on both backends from the
// same weights, then the same weights and optimizer state. Without batch norm:
// a convolution bias before a batch norm has a gradient that cancels to float
// noise, and Adam, which divides by the gradient's size, turns that noise into
// full-size steps of either sign, far beyond the weights' bound.
TEST(OneDnnTraining, EveryOptimizerVariantUpdatesLikeLibTorch) {
  const Graph graph = unet("base_channels = 8\ndepth = 2\nbatch_norm = false\n");
  const NamedTensors weights = initialize_parameters(graph, 6);
  Tensor images, targets;
  test::random_batch(2, 16, 10, images, targets);
  struct Variant {
    const char* optimizer;
    double momentum, weight_decay;
  };
  for (const Variant& v : {Variant{"sgd", 0.0, 0.0}, Variant{"sgd", 0.0, 1e-2}, Variant{"sgd", 0.9, 0.0},
                           Variant{"sgd", 0.9, 1e-2}, Variant{"adam", 0.0, 0.0}, Variant{"adam", 0.0, 1e-2},
                           Variant{"adamw", 0.0, 1e-2}}) {
    CompileOptions options = test::parity_options("bce_dice", 2, v.optimizer);
    options.optimizer.momentum = v.momentum;
    options.optimizer.weight_decay = v.weight_decay;
    const std::string what = std::string(v.optimizer) + " momentum " + std::to_string(v.momentum) +
                             " weight decay " + std::to_string(v.weight_decay);
    auto reference = test::compile_with("libtorch", graph, weights, options);
    auto dnn = test::compile_with("onednn", graph, weights, options);
    for (int step = 0; step < 3; ++step) {
      reference->train_step(images, targets, 1e-2);
      dnn->train_step(images, targets, 1e-2);
    }
    EXPECT_LE(test::scaled_difference(dnn->weights(), reference->weights()), 1e-4) << what;
    const NamedTensors expected_state = reference->optimizer_state();
    const NamedTensors state = dnn->optimizer_state();
    EXPECT_EQ(state.size(), expected_state.size()) << what;
    EXPECT_LE(test::scaled_difference(state, expected_state), 1e-3) << what;
    // The update moved the weights: a no-op loop would pass the comparisons above only by luck.
    EXPECT_GT(test::scaled_difference(dnn->weights(), weights), 1e-4) << what;
  }
}

TEST(OneDnnTraining, WeightsAndOptimizerStateMoveBetweenBackends) {
  const Graph graph = unet("base_channels = 8\ndepth = 2\n");
  const NamedTensors weights = initialize_parameters(graph, 4);
  Tensor images, targets;
  test::random_batch(2, 16, 9, images, targets);
  for (const char* optimizer : {"sgd", "adam", "adamw"}) {
    const CompileOptions options = test::parity_options("bce_dice", 2, optimizer);
    // Train with oneDNN, resume with LibTorch, and the other way round.
    for (const auto& [first, second] : {std::pair<std::string, std::string>{"onednn", "libtorch"},
                                        std::pair<std::string, std::string>{"libtorch", "onednn"}}) {
      auto a = test::compile_with(first, graph, weights, options);
      a->train_step(images, targets, 1e-2);
      a->train_step(images, targets, 1e-2);
      auto b = test::compile_with(second, graph, initialize_parameters(graph, 99), options);
      b->load_weights(a->weights());
      b->load_optimizer_state(a->optimizer_state());
      EXPECT_EQ(b->optimizer_state().size(), a->optimizer_state().size());
      EXPECT_LE(test::scaled_difference(b->predict(images), a->predict(images)), 1e-4) << optimizer << " " << first;
      const float la = a->train_step(images, targets, 5e-3);
      const float lb = b->train_step(images, targets, 5e-3);
      EXPECT_NEAR(lb, la, 1e-4 * std::abs(la)) << optimizer << " " << first;
      EXPECT_LE(test::scaled_difference(b->weights(), a->weights()), 1e-4) << optimizer << " " << first;
      EXPECT_EQ(b->optimizer_state().at("step")[0], 3.0f);
    }
  }
}

TEST(OneDnnTraining, ResultsDoNotDependOnThreadsBeyondRounding) {
  const Graph graph = unet("base_channels = 16\ndepth = 2\n");
  const NamedTensors weights = initialize_parameters(graph, 4);
  Tensor images, targets;
  test::random_batch(2, 32, 10, images, targets);
  auto one = test::compile_with("onednn", graph, weights, test::parity_options("bce_dice", 2, "adam", 1));
  const float loss_one = one->train_step(images, targets, 1e-3);
  const NamedTensors grads_one = one->gradients();
  const Tensor predict_one = one->predict(images);
  auto two = test::compile_with("onednn", graph, weights, test::parity_options("bce_dice", 2, "adam", 2));
  EXPECT_NEAR(two->train_step(images, targets, 1e-3), loss_one, 1e-5 * loss_one);
  EXPECT_LE(test::scaled_difference(two->gradients(), grads_one), 1e-4);
  EXPECT_LE(test::scaled_difference(two->predict(images), predict_one), 1e-5);
}

// Real PH2 images and their lesion masks, read and packed by the project's own
// readers (as the loader does), at size x size.
void ph2_batch(const std::vector<std::string>& ids, int size, Tensor& images, Tensor& targets) {
  const std::string root = test::shared_data("skin-lesions");
  std::vector<cv::Mat> rgb;
  targets = Tensor({static_cast<int64_t>(ids.size()), 1, size, size});
  for (size_t i = 0; i < ids.size(); ++i) {
    rgb.push_back(resize_image(read_rgb_image(root + "/images/" + ids[i] + ".bmp"), size, size));
    const cv::Mat mask = resize_mask(read_binary_mask(root + "/masks/" + ids[i] + "_lesion.bmp"), size, size);
    pack_mask(mask, targets.data() + i * size * size);
  }
  images = images_to_tensor(rgb);
}

// Dice of the thresholded lesion probabilities against 0/1 targets, pooled over the batch.
double pooled_dice(const Tensor& probabilities, const Tensor& targets) {
  double overlap = 0, predicted = 0, actual = 0;
  for (int64_t k = 0; k < targets.numel(); ++k) {
    const double p = probabilities[k] > 0.5f ? 1 : 0;
    overlap += p * targets[k];
    predicted += p;
    actual += targets[k];
  }
  return 2 * overlap / (predicted + actual);
}

TEST(OneDnnTraining, ConfigSelectsTheBackendAndTrainsOnPh2) {
  const Config config = test::small_unet_config("[model]\nbase_channels = 8\n[backend]\nname = onednn\nthreads = 1\n");
  auto net = test::compile_network(config, 1);
  EXPECT_EQ(net->device(), "cpu");
  EXPECT_EQ(make_backend(config)->library_versions().count("onednn"), 1u);
  Tensor images, targets;
  // 16x16 keeps it to seconds; the lesion is still a blob of its own shape there.
  ph2_batch({"IMD004", "IMD006", "IMD009", "IMD010"}, 16, images, targets);
  // The lesions cover part of each image: calling everything lesion scores
  // this Dice, which the trained network must beat clearly.
  double lesion = 0;
  for (int64_t k = 0; k < targets.numel(); ++k) lesion += targets[k];
  const double all_lesion_dice = 2 * lesion / (lesion + targets.numel());
  ASSERT_GT(lesion, 0.05 * targets.numel());
  ASSERT_LT(all_lesion_dice, 0.8);

  const double dice_before = pooled_dice(net->predict(images), targets);
  const float first = net->train_step(images, targets, 1e-2);
  float last = first;
  for (int i = 0; i < 29; ++i) last = net->train_step(images, targets, 1e-2);
  const double dice_after = pooled_dice(net->predict(images), targets);
  std::printf("loss %.4f -> %.4f, Dice %.3f -> %.3f (all-lesion Dice %.3f)\n", first, last, dice_before, dice_after,
              all_lesion_dice);
  EXPECT_LT(last, 0.7 * first);
  EXPECT_GT(dice_after, 0.85);
  EXPECT_GT(dice_after, all_lesion_dice + 0.1);
  const NamedTensors w = net->weights();
  EXPECT_EQ(w.at("encoder.stage0.bn1.num_batches_tracked")[0], 30.0f);
}

TEST(OneDnnErrors, BadInputsNameTheOpOrInput) {
  const Config config = test::small_unet_config("[backend]\nname = onednn\n");
  auto net = test::compile_network(config, 1);
  try {
    net->predict(Tensor({1, 4, 16, 16}));
    FAIL();
  } catch (const BackendError& e) {
    EXPECT_NE(std::string(e.what()).find("expected images N x 3 x H x W, got [1, 4, 16, 16]"), std::string::npos)
        << e.what();
  }
  Tensor images, targets;
  test::random_batch(1, 16, 3, images, targets);
  EXPECT_THROW(net->train_step(images, Tensor({1, 1, 8, 8}), 1e-2), BackendError);
  EXPECT_THROW(net->predict(Tensor({1, 3, 14, 14})), ModelError);  // not a multiple of the stride: names the concat

  Graph graph;
  GraphBuilder b(graph);
  OpAttributes a;
  a.align_corners = true;
  graph.add_output(graph.add(Op::upsample_bilinear, {b.conv(graph.add_input(3), "c", 4, 1, 2)}, a));
  try {
    test::compile_with("onednn", graph, initialize_parameters(graph, 1), test::parity_options("cross_entropy", 4));
    FAIL();
  } catch (const BackendError& e) {
    EXPECT_NE(std::string(e.what()).find("upsample_bilinear"), std::string::npos) << e.what();
    EXPECT_NE(e.input().find("upsample_bilinear node 2"), std::string::npos) << e.input();
  }
  const auto caps = make_backend(config)->capabilities();
  EXPECT_EQ(caps.preferred_layout, "blocked");
  EXPECT_EQ(caps.ops.size(), all_ops().size());
}

}  // namespace
}  // namespace seglab
