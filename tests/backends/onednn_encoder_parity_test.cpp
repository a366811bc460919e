// The oneDNN backend against the LibTorch backend on U-Nets with every
// registered encoder and decoder option, at full encoder width but small
// images (batch 2, 32 x 32 or 64 x 64), on the same weights: forward logits
// within 1e-4, the loss within 1e-4, the gradient of every trainable
// parameter within 1e-3 (weights relative to each tensor's largest value, 1-D
// parameters relative to the largest 1-D gradient, biases ahead of a batch
// norm checked to be zero), the updated weights and batch-norm statistics
// within 1e-4, and 20 training steps of a ResNet-18 U-Net that follow the
// same loss curve within 1e-3.
//
// What each case exercises beyond the plain U-Net: vgg16_bn a deep stack of
// fused conv-BN-ReLU; resnet18/34 the 7x7 stride-2 stem, 3x3 stride-2 max
// pooling, residual adds, 1x1 stride-2 shortcuts; efficientnet_b0 SiLU, sigmoid, global
// average pooling and mul with an N x C x 1 x 1 broadcast (squeeze-excitation);
// attention and scSE mul with an N x 1 x H x W broadcast; deep supervision a
// loss averaged over several outputs; resnet50 bottleneck blocks (1x1
// convolutions, stride-2 3x3, 4x expansion); mobilenet_v2 depthwise
// convolutions, ReLU6 and linear bottlenecks; all_decoder_options attention,
// scSE, deep supervision and bilinear upsampling together on resnet18.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "tests/backends/backend_test_support.h"
#include "tests/backends/onednn_parity_support.h"

namespace seglab {
namespace {

struct EncoderCase {
  std::string name;
  std::string model_keys;
  int64_t size;
  bool kink_free = false;  // weights from test::kink_free_weights (see the list below)
};

void PrintTo(const EncoderCase& c, std::ostream* os) { *os << c.name; }

Graph model(const std::string& model_keys) {
  return build_model(experiment_schema().resolve(parse_ini_text("[model]\n" + model_keys, "test")));
}

// Biases of convolutions followed by a batch norm in training mode: the batch
// mean removes them, so their exact gradient is zero and both backends return
// rounding noise, which a bound relative to the tensor's own largest value
// cannot judge. They are checked against the scale of their convolution's
// weight gradient instead.
std::map<std::string, std::string> biases_before_batch_norm(const Graph& graph) {
  std::map<std::string, std::string> out;  // bias -> weight of the same convolution
  for (const auto& node : graph.nodes()) {
    if (node.op != Op::batch_norm) continue;
    const Node& conv = graph.node(node.inputs[0]);
    if (conv.op == Op::conv2d && conv.params.size() > 1)
      out[graph.params()[conv.params[1]].name] = graph.params()[conv.params[0]].name;
  }
  return out;
}

double largest(const Tensor& t) {
  double m = 0;
  for (float v : t.values()) m = std::max(m, static_cast<double>(std::abs(v)));
  return m;
}

class OneDnnEncoderParity : public ::testing::TestWithParam<EncoderCase> {};

TEST_P(OneDnnEncoderParity, ForwardGradientsAndUpdateMatchLibTorch) {
  const EncoderCase& c = GetParam();
  const Graph graph = model(c.model_keys);
  const NamedTensors weights = c.kink_free ? test::kink_free_weights(graph, 3) : test::varied_weights(graph, 3);
  const CompileOptions options = test::parity_options("bce_dice", 2, "sgd");
  auto reference = test::compile_with("libtorch", graph, weights, options);
  auto dnn = test::compile_with("onednn", graph, weights, options);
  const Tensor images = test::random_images({2, 3, c.size, c.size}, 5);
  const Tensor targets = test::random_targets({2, 1, c.size, c.size}, 2, 6);

  EXPECT_LE(test::scaled_difference(dnn->logits(images), reference->logits(images)), 1e-4) << "forward";
  const float expected = reference->train_step(images, targets, 1e-3);
  EXPECT_NEAR(dnn->train_step(images, targets, 1e-3), expected, 1e-4 * std::abs(expected)) << "loss";
  NamedTensors mine = dnn->gradients(), theirs = reference->gradients();
  for (const auto& [bias, weight] : biases_before_batch_norm(graph)) {
    EXPECT_LE(largest(mine.at(bias)), 1e-4 * largest(theirs.at(weight))) << bias << " should be zero";
    EXPECT_LE(largest(theirs.at(bias)), 1e-4 * largest(theirs.at(weight))) << bias << " should be zero";
    mine.erase(bias);
    theirs.erase(bias);
  }
  // Gradients of 1-D parameters (biases, batch-norm weights and biases) are
  // sums over every position of the batch that cancel: some are zero in exact
  // arithmetic (a batch-norm bias whose output reaches only 1x1 convolutions
  // followed by batch norms), so they are judged against the largest
  // gradient of any 1-D parameter of the model rather than their own.
  double vector_scale = 0;
  for (const auto& [name, g] : theirs)
    if (g.rank() == 1) vector_scale = std::max(vector_scale, largest(g));
  double vectors = 0;
  std::string worst_vector;
  for (auto it = theirs.begin(); it != theirs.end();) {
    if (it->second.rank() != 1) {
      ++it;
      continue;
    }
    double diff = 0;
    const Tensor& a = mine.at(it->first);
    for (int64_t i = 0; i < a.numel(); ++i)
      diff = std::max(diff, std::abs(static_cast<double>(a[i]) - it->second[i]));
    if (diff / vector_scale > vectors) {
      vectors = diff / vector_scale;
      worst_vector = it->first;
    }
    mine.erase(it->first);
    it = theirs.erase(it);
  }
  EXPECT_LE(vectors, 1e-3) << "gradient of " << worst_vector;
  std::string worst;
  const double gradients = test::scaled_difference(mine, theirs, &worst);
  EXPECT_LE(gradients, 1e-3) << "gradient of " << worst;
  std::printf("%s: weight gradients within %.1e (worst %s), 1-D parameter gradients within %.1e (worst %s)\n",
              c.name.c_str(), gradients, worst.c_str(), vectors, worst_vector.c_str());
  EXPECT_LE(test::scaled_difference(dnn->weights(), reference->weights(), &worst), 1e-4) << "updated " << worst;
  EXPECT_LE(test::scaled_difference(dnn->predict(images), reference->predict(images)), 1e-4) << "after a step";
}

// resnet50, mobilenet_v2 and resnet18 with every decoder option at once run
// on kink_free_weights. On varied_weights their weight gradients differ by
// more than the bound, and that is float32 conditioning, not a bug of either
// backend: against float64 (PyTorch on the CPU, the same graph, weights and
// batch) either backend can be the one that is off. All of it is ReLU masks:
// a few pre-activations lie within float32 forward rounding of 0 (more so at
// 2 x 2 features, whose batch norms see 8 values), and each backend flips its
// own few. One flipped pixel moves a weight gradient by up to 1/8 at 2 x 2 and
// by about 1/sqrt(pixels) at full size, where the gradient of a convolution
// before a batch norm is a sum that cancels. Larger images do not help: more
// pixels, more flips. With kink_free_weights both backends agree with float64
// and with each other well within the bound; ReLU masks themselves are
// covered op by op (onednn_op_parity_test). Plain resnet18 runs on
// kink_free_weights too: whether one of its pre-activations flips depends on
// which kernels the CPU gets. The per-model figures: docs/benchmarks.md,
// "Accuracy: oneDNN against LibTorch, bf16 against fp32".
// resnet50 has a narrow decoder to keep the case quick.
INSTANTIATE_TEST_SUITE_P(
    Encoders, OneDnnEncoderParity,
    ::testing::Values(EncoderCase{"vgg16_bn", "encoder = vgg16_bn\n", 32},
                      EncoderCase{"resnet18", "encoder = resnet18\n", 64, true},
                      EncoderCase{"resnet34", "encoder = resnet34\n", 64},
                      EncoderCase{"efficientnet_b0", "encoder = efficientnet_b0\n", 64},
                      EncoderCase{"attention", "base_channels = 16\ndepth = 3\nattention = true\n", 32},
                      EncoderCase{"scse", "base_channels = 16\ndepth = 3\nscse = true\n", 32},
                      EncoderCase{"deep_supervision", "base_channels = 16\ndepth = 3\ndeep_supervision = true\n", 32},
                      EncoderCase{"resnet50", "encoder = resnet50\ndecoder_channels = 64, 32, 16, 16, 8\n", 64, true},
                      EncoderCase{"mobilenet_v2", "encoder = mobilenet_v2\n", 64, true},
                      EncoderCase{"all_decoder_options",
                                  "encoder = resnet18\nattention = true\nscse = true\ndeep_supervision = true\n"
                                  "upsampling = bilinear\n",
                                  64, true}),
    [](const ::testing::TestParamInfo<EncoderCase>& info) { return info.param.name; });

TEST(OneDnnEncoderTraining, ResNet18UNetFollowsTheLibTorchLossCurveFor20Steps) {
  const Graph graph = model("encoder = resnet18\n");
  const NamedTensors weights = initialize_parameters(graph, 21);
  const CompileOptions options = test::parity_options("bce_dice", 2, "adamw");
  auto reference = test::compile_with("libtorch", graph, weights, options);
  auto dnn = test::compile_with("onednn", graph, weights, options);
  Tensor images, targets;
  test::random_batch(2, 64, 8, images, targets);
  float first = 0, last = 0;
  double worst = 0;
  for (int step = 0; step < 20; ++step) {
    const double lr = 1e-3 * (1.0 - step / 40.0);
    const float expected = reference->train_step(images, targets, lr);
    const float got = dnn->train_step(images, targets, lr);
    worst = std::max(worst, std::abs(static_cast<double>(got) - expected) / std::abs(expected));
    if (step == 0) first = got;
    last = got;
  }
  std::printf("resnet18 U-Net: largest relative loss difference over 20 steps %.2e (loss %.4f -> %.4f)\n", worst,
              first, last);
  EXPECT_LE(worst, 1e-3);
  EXPECT_LT(last, first);
}

}  // namespace
}  // namespace seglab
