// Test-time augmentation: transforms and their inverses, a model that is
// flip- and rotation-equivariant by construction (convolutions with
// D4-symmetric kernels) gives the plain prediction, and an ordinary model's
// averaged prediction becomes equivariant.
#include <gtest/gtest.h>

#include "core/rng.h"
#include "engine/test_time_augmentation.h"
#include "models/graph_builder.h"
#include "tests/backends/backend_test_support.h"

namespace seglab {
namespace {

// Two 3x3 convolutions with a ReLU between them, 1 output channel.
Graph two_conv_graph() {
  Graph graph;
  GraphBuilder b(graph);
  const int x = graph.add_input(3);
  const int hidden = b.relu(b.conv(x, "conv1", 4, 3, 1, 1));
  graph.add_output(b.conv(hidden, "conv2", 1, 3, 1, 1));
  return graph;
}

// Each 3x3 kernel replaced by the mean of its eight flips and rotations.
NamedTensors symmetrised(NamedTensors weights) {
  for (auto& [name, t] : weights) {
    if (t.rank() != 4) continue;
    const Tensor kernels = t.reshaped({t.dim(0) * t.dim(1), 1, 3, 3});
    Tensor sum(kernels.shape());
    for (const auto& transform : tta_transforms("d4")) {
      const Tensor k = apply_transform(kernels, transform);
      for (int64_t i = 0; i < sum.numel(); ++i) sum[i] += k[i] / 8.0f;
    }
    t = sum.reshaped(t.shape());
  }
  return weights;
}

std::unique_ptr<Network> compile(const NamedTensors& weights) {
  const Config config = test::small_unet_config();
  return make_backend(config)->compile(two_conv_graph(), weights, compile_options(config));
}

Tensor random_images(uint64_t seed) {
  Tensor images({2, 3, 12, 12});
  Rng rng(seed);
  for (auto& v : images.values()) v = static_cast<float>(rng.normal());
  return images;
}

TEST(TestTimeAugmentation, TransformsMatchNumpyAndUndoThemselves) {
  // numpy.rot90([[1, 2], [3, 4]]) == [[2, 4], [1, 3]]; numpy.fliplr -> [[2, 1], [4, 3]].
  const Tensor t({1, 1, 2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(apply_transform(t, {1, false}).values(), (std::vector<float>{2, 4, 1, 3}));
  EXPECT_EQ(apply_transform(t, {0, true}).values(), (std::vector<float>{2, 1, 4, 3}));
  EXPECT_EQ(apply_transform(t, {2, true}).values(), (std::vector<float>{3, 4, 1, 2}));  // vertical flip
  const Tensor images = random_images(1);
  for (const auto& mode : tta_modes())
    for (const auto& transform : tta_transforms(mode))
      EXPECT_EQ(undo_transform(apply_transform(images, transform), transform).values(), images.values()) << mode;
  EXPECT_EQ(tta_transforms("none").size(), 1u);
  EXPECT_EQ(tta_transforms("flips").size(), 3u);
  EXPECT_EQ(tta_transforms("rot90").size(), 4u);
  EXPECT_EQ(tta_transforms("d4").size(), 8u);
  EXPECT_THROW(tta_transforms("flip"), UsageError);
}

TEST(TestTimeAugmentation, EquivariantModelGivesThePlainPrediction) {
  auto network = compile(symmetrised(initialize_parameters(two_conv_graph(), 5)));
  const Tensor images = random_images(2);
  const Tensor plain = network->predict(images);
  for (const auto& mode : tta_modes()) {
    const Tensor averaged = predict_with_tta(*network, images, mode);
    ASSERT_EQ(averaged.shape(), plain.shape());
    EXPECT_LT(max_abs_difference(averaged, plain), 1e-5) << mode;
  }
}

TEST(TestTimeAugmentation, AveragingMakesAnOrdinaryModelEquivariant) {
  auto network = compile(initialize_parameters(two_conv_graph(), 6));
  const Tensor images = random_images(3);
  const Tensor plain = network->predict(images);
  const Tensor averaged = predict_with_tta(*network, images, "d4");
  EXPECT_GT(max_abs_difference(averaged, plain), 1e-3);  // the model is not symmetric...
  for (const auto& transform : tta_transforms("d4")) {   // ...its D4 average is
    const Tensor moved = predict_with_tta(*network, apply_transform(images, transform), "d4");
    EXPECT_LT(max_abs_difference(moved, apply_transform(averaged, transform)), 1e-5);
  }
  // flips: the mean of the plain, left-right and up-down predictions.
  const Tensor flips = predict_with_tta(*network, images, "flips");
  const Tensor lr = apply_transform(network->predict(apply_transform(images, {0, true})), {0, true});
  const Tensor ud = apply_transform(network->predict(apply_transform(images, {2, true})), {2, true});
  Tensor expected(plain.shape());
  for (int64_t i = 0; i < expected.numel(); ++i) expected[i] = (plain[i] + lr[i] + ud[i]) / 3.0f;
  EXPECT_LT(max_abs_difference(flips, expected), 1e-6);
}

}  // namespace
}  // namespace seglab
