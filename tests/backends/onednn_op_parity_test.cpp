// The oneDNN backend against the LibTorch backend, op by op: the same small
// graph, weights and inputs on both; forward outputs (logits, inference mode)
// within 1e-4, the loss and every parameter gradient of one training step
// within 1e-3, and the updated weights and batch-norm statistics within 1e-4
// (all relative to each tensor's largest value).
#include <gtest/gtest.h>

#include <functional>

#include "models/graph_builder.h"
#include "tests/backends/onednn_parity_support.h"

namespace seglab {
namespace {

struct OpCase {
  OpCase(std::string name_, std::function<int(GraphBuilder&, int)> body_, int64_t size_ = 12, float image_scale_ = 1.0f,
         std::string loss_ = {})
      : name(std::move(name_)), body(std::move(body_)), size(size_), image_scale(image_scale_), loss(std::move(loss_)) {}
  std::string name;
  std::function<int(GraphBuilder&, int)> body;  // input node -> output node
  int64_t size;
  float image_scale;
  std::string loss;  // empty: bce_dice for one output channel, cross_entropy otherwise
};

void PrintTo(const OpCase& c, std::ostream* os) { *os << c.name; }

int conv(GraphBuilder& b, int x, const std::string& name, int64_t out, int k = 3, int stride = 1, int padding = 1,
         bool bias = true, int groups = 1, int dilation = 1) {
  return b.conv(x, name, out, k, stride, padding, bias, groups, dilation);
}

int conv_transpose(GraphBuilder& b, int x, const std::string& name, int64_t out, int k, int stride, int padding,
                   int groups, bool bias) {
  OpAttributes a;
  a.out_channels = out;
  a.kernel = k;
  a.stride = stride;
  a.padding = padding;
  a.groups = groups;
  a.bias = bias;
  return b.graph().add(Op::conv_transpose2d, {x}, a, name);
}

// A squeeze-excitation gate: global pool, two 1x1 convolutions, sigmoid.
int gate(GraphBuilder& b, int x, int64_t channels) {
  int g = b.global_avg_pool(x);
  g = b.relu(conv(b, g, "se.reduce", 4, 1, 1, 0));
  return b.sigmoid(conv(b, g, "se.expand", channels, 1, 1, 0));
}

std::vector<OpCase> op_cases() {
  return {
      {"conv3x3_bias", [](GraphBuilder& b, int x) { return conv(b, x, "c", 16); }},
      {"conv_stride2_no_bias", [](GraphBuilder& b, int x) { return conv(b, x, "c", 16, 3, 2, 1, false); }},
      {"conv_grouped", [](GraphBuilder& b, int x) { return conv(b, conv(b, x, "a", 8, 1, 1, 0), "c", 16, 3, 1, 1, true, 4); }},
      {"conv_depthwise",
       [](GraphBuilder& b, int x) { return conv(b, conv(b, x, "a", 16, 1, 1, 0), "c", 16, 3, 1, 1, false, 16); }},
      {"conv_dilated", [](GraphBuilder& b, int x) { return conv(b, x, "c", 16, 3, 1, 2, true, 1, 2); }},
      {"conv_few_channels", [](GraphBuilder& b, int x) { return conv(b, conv(b, x, "a", 5), "c", 6); }},
      {"conv_transpose_k2s2",
       [](GraphBuilder& b, int x) { return conv_transpose(b, conv(b, x, "a", 16, 3, 2, 1), "up", 8, 2, 2, 0, 1, true); }},
      // Kernel == stride: the matmul up-convolution; the others: oneDNN's deconvolution.
      {"conv_transpose_k2s2_no_bias",
       [](GraphBuilder& b, int x) { return conv_transpose(b, conv(b, x, "a", 16, 3, 2, 1), "up", 8, 2, 2, 0, 1, false); }},
      {"conv_transpose_k3s3",
       [](GraphBuilder& b, int x) { return conv_transpose(b, conv(b, x, "a", 16, 3, 3, 1), "up", 5, 3, 3, 0, 1, true); }},
      {"conv_transpose_k2s2_relu_fused_inference",
       [](GraphBuilder& b, int x) { return b.relu(conv_transpose(b, conv(b, x, "a", 16, 3, 2, 1), "up", 8, 2, 2, 0, 1, true)); }},
      // 64 input columns and more: the up-convolution's matmul writes straight
      // into the output (the cases above go through its patch buffer).
      {"conv_transpose_k2s2_wide",
       [](GraphBuilder& b, int x) { return conv_transpose(b, conv(b, x, "a", 8, 3, 2, 1), "up", 4, 2, 2, 0, 1, true); },
       128},
      {"conv_transpose_k2s2_wide_relu_fused_inference",
       [](GraphBuilder& b, int x) { return b.relu(conv_transpose(b, conv(b, x, "a", 8, 3, 2, 1), "up", 4, 2, 2, 0, 1, true)); },
       128},
      {"conv_transpose_grouped",
       [](GraphBuilder& b, int x) { return conv_transpose(b, conv(b, x, "a", 16, 3, 2, 1), "up", 8, 2, 2, 0, 2, false); }},
      {"conv_transpose_k3s2p1",
       [](GraphBuilder& b, int x) { return conv_transpose(b, conv(b, x, "a", 16, 3, 2, 1), "up", 6, 3, 2, 1, 1, true); }},
      {"batch_norm_relu", [](GraphBuilder& b, int x) { return b.relu(b.batch_norm(conv(b, x, "c", 16, 3, 1, 1, false), "bn")); }},
      {"batch_norm_after_relu", [](GraphBuilder& b, int x) { return b.batch_norm(b.relu(conv(b, x, "c", 16)), "bn"); }},
      {"batch_norm_few_channels",
       [](GraphBuilder& b, int x) { return b.relu(b.batch_norm(conv(b, x, "c", 6, 3, 1, 1, false), "bn")); }},
      {"batch_norm_sigmoid",
       [](GraphBuilder& b, int x) { return b.sigmoid(b.batch_norm(conv(b, x, "c", 16, 3, 1, 1, false), "bn")); }},
      {"relu", [](GraphBuilder& b, int x) { return conv(b, b.relu(conv(b, x, "a", 16)), "c", 16); }},
      {"relu6", [](GraphBuilder& b, int x) { return conv(b, b.relu6(conv(b, x, "a", 16)), "c", 16); }, 12, 8.0f},
      {"silu", [](GraphBuilder& b, int x) { return conv(b, b.silu(conv(b, x, "a", 16)), "c", 16); }},
      {"sigmoid", [](GraphBuilder& b, int x) { return conv(b, b.sigmoid(conv(b, x, "a", 16)), "c", 16); }},
      {"relu6_fused_inference", [](GraphBuilder& b, int x) { return b.relu6(conv(b, x, "c", 16)); }, 12, 8.0f},
      {"silu_fused_inference", [](GraphBuilder& b, int x) { return b.silu(conv(b, x, "c", 16)); }},
      {"max_pool_k2s2", [](GraphBuilder& b, int x) { return b.max_pool(conv(b, x, "a", 16), 2, 2); }},
      {"max_pool_k3s2p1", [](GraphBuilder& b, int x) { return b.max_pool(conv(b, x, "a", 16), 3, 2, 1); }},
      {"avg_pool_k2s2", [](GraphBuilder& b, int x) { return b.avg_pool(conv(b, x, "a", 16), 2, 2); }},
      {"avg_pool_k3s1p1", [](GraphBuilder& b, int x) { return b.avg_pool(conv(b, x, "a", 6), 3, 1, 1); }},
      {"global_avg_pool", [](GraphBuilder& b, int x) { return conv(b, b.global_avg_pool(conv(b, x, "a", 16)), "c", 5, 1, 1, 0); }},
      {"mul_gate",
       [](GraphBuilder& b, int x) {
         const int y = conv(b, x, "a", 16);
         return b.mul(y, gate(b, y, 16));
       }},
      {"mul_gate_first",
       [](GraphBuilder& b, int x) {
         const int y = conv(b, x, "a", 16);
         return b.mul(gate(b, y, 16), y);
       }},
      {"mul_same_shape", [](GraphBuilder& b, int x) { return b.mul(conv(b, x, "a", 16), conv(b, x, "b", 16)); }},
      {"upsample_bilinear", [](GraphBuilder& b, int x) { return b.upsample(conv(b, x, "a", 16, 3, 2, 1), 2); }},
      {"upsample_few_channels", [](GraphBuilder& b, int x) { return b.upsample(conv(b, x, "a", 5, 3, 2, 1), 2); }},
      {"concat_aligned", [](GraphBuilder& b, int x) { return b.concat({conv(b, x, "a", 16), conv(b, x, "b", 16)}); }},
      {"concat_unaligned", [](GraphBuilder& b, int x) { return b.concat({conv(b, x, "a", 4), conv(b, x, "b", 12)}); }},
      {"concat_skip",
       [](GraphBuilder& b, int x) {
         const int y = conv(b, x, "a", 16);
         const int down = conv(b, b.max_pool(y, 2, 2), "b", 16);
         return conv(b, b.concat({b.upsample(down, 2), y}), "c", 8);
       }},
      {"add_residual",
       [](GraphBuilder& b, int x) {
         const int y = conv(b, x, "a", 16);
         return b.relu(b.add(conv(b, y, "b", 16), y));
       }},
      {"binary_head", [](GraphBuilder& b, int x) { return conv(b, b.relu(conv(b, x, "a", 16)), "head", 1, 1, 1, 0); }},
      {"binary_head_bce", [](GraphBuilder& b, int x) { return conv(b, b.relu(conv(b, x, "a", 16)), "head", 1, 1, 1, 0); },
       12, 1.0f, "bce"},
      {"binary_head_dice", [](GraphBuilder& b, int x) { return conv(b, b.relu(conv(b, x, "a", 16)), "head", 1, 1, 1, 0); },
       12, 1.0f, "dice"},
      {"multi_class_dice", [](GraphBuilder& b, int x) { return conv(b, b.relu(conv(b, x, "a", 16)), "head", 4, 1, 1, 0); },
       12, 1.0f, "dice"},
  };
}

class OneDnnOpParity : public ::testing::TestWithParam<OpCase> {};

TEST_P(OneDnnOpParity, ForwardGradientsAndUpdateMatchLibTorch) {
  const OpCase& c = GetParam();
  Graph graph;
  GraphBuilder b(graph);
  graph.add_output(c.body(b, graph.add_input(3)));
  const int64_t batch = 2;
  const Shape out = graph.infer_shapes(batch, c.size, c.size)[graph.outputs().front()];
  const int64_t k = out[1];
  const std::string loss = !c.loss.empty() ? c.loss : (k == 1 ? "bce_dice" : "cross_entropy");
  const int64_t classes = k == 1 ? 2 : k;
  const CompileOptions options = test::parity_options(loss, classes, "sgd");
  const NamedTensors weights = test::varied_weights(graph, 5);
  auto reference = test::compile_with("libtorch", graph, weights, options);
  auto dnn = test::compile_with("onednn", graph, weights, options);

  Tensor images = test::random_images({batch, 3, c.size, c.size}, 17);
  for (auto& v : images.values()) v *= c.image_scale;
  const Tensor targets = test::random_targets({out[0], 1, out[2], out[3]}, classes, 18);

  EXPECT_LE(test::scaled_difference(dnn->logits(images), reference->logits(images)), 1e-4) << "forward (inference)";

  const float expected_loss = reference->train_step(images, targets, 0.1);
  const float loss_dnn = dnn->train_step(images, targets, 0.1);
  EXPECT_NEAR(loss_dnn, expected_loss, 1e-3 * std::abs(expected_loss)) << "loss";
  std::string worst;
  EXPECT_LE(test::scaled_difference(dnn->gradients(), reference->gradients(), &worst), 1e-3) << "gradient of " << worst;
  EXPECT_LE(test::scaled_difference(dnn->weights(), reference->weights(), &worst), 1e-4) << "updated " << worst;

  // Inference again, with the updated weights and running statistics.
  EXPECT_LE(test::scaled_difference(dnn->logits(images), reference->logits(images)), 1e-4) << "forward after a step";
}

INSTANTIATE_TEST_SUITE_P(Ops, OneDnnOpParity, ::testing::ValuesIn(op_cases()),
                         [](const ::testing::TestParamInfo<OpCase>& info) { return info.param.name; });

}  // namespace
}  // namespace seglab
