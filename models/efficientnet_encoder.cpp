#include "models/efficientnet_encoder.h"

#include <algorithm>
#include <set>
#include <string>

#include "models/torchvision_layers.h"

namespace seglab {
namespace {

struct MBConvStage {
  int expand_ratio;
  int kernel;
  int stride;
  int64_t in_channels;
  int64_t out_channels;
  int layers;
};
// torchvision's _efficientnet_conf("efficientnet_b0"): width and depth 1.0.
const MBConvStage kB0[] = {{1, 3, 1, 32, 16, 1},  {6, 3, 2, 16, 24, 2},   {6, 5, 2, 24, 40, 2},  {6, 3, 2, 40, 80, 3},
                           {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1}};
const std::set<int> kFeatureStages = {1, 2, 3, 5, 8};

// torchvision's _make_divisible(v, 8).
int64_t make_divisible(double v) {
  int64_t rounded = std::max<int64_t>(8, static_cast<int64_t>(v + 4) / 8 * 8);
  if (rounded < 0.9 * v) rounded += 8;
  return rounded;
}

// torchvision.ops.SqueezeExcitation with SiLU: x * sigmoid(fc2(silu(fc1(avgpool(x))))).
int squeeze_excitation(GraphBuilder& b, int x, const std::string& scope, int64_t squeeze_channels) {
  int s = b.global_avg_pool(x);
  s = b.silu(b.conv(s, scope + ".fc1", squeeze_channels, 1, 1, 0, /*bias=*/true));
  s = b.sigmoid(b.conv(s, scope + ".fc2", b.channels(x), 1, 1, 0, /*bias=*/true));
  return b.mul(x, s);
}

int mbconv(GraphBuilder& b, int x, const std::string& scope, const MBConvStage& s, int64_t in_channels, int stride) {
  const int64_t expanded = make_divisible(static_cast<double>(in_channels * s.expand_ratio));
  int y = x;
  int layer = 0;  // index inside torchvision's `block` Sequential
  auto next = [&]() { return scope + ".block." + std::to_string(layer++); };
  if (expanded != in_channels) y = conv_norm_activation(b, y, next(), expanded, 1, 1, 1, Activation::silu);
  y = conv_norm_activation(b, y, next(), expanded, s.kernel, stride, static_cast<int>(expanded), Activation::silu);
  y = squeeze_excitation(b, y, next(), std::max<int64_t>(1, in_channels / 4));
  y = conv_norm_activation(b, y, next(), s.out_channels, 1, 1, 1, Activation::none);
  return stride == 1 && in_channels == s.out_channels ? b.add(y, x) : y;
}

EncoderFeatures build_efficientnet_b0(GraphBuilder& b, int input) {
  EncoderFeatures f;
  f.unused_weight_prefixes = {EncoderHead::classifier};
  auto keep = [&](int stage, int x) {
    if (kFeatureStages.count(stage)) f.nodes.push_back(x);
  };
  int x = conv_norm_activation(b, input, "encoder.features.0", kB0[0].in_channels, 3, 2, 1, Activation::silu);
  int stage = 1;
  for (const MBConvStage& s : kB0) {
    for (int i = 0; i < s.layers; ++i) {
      const std::string scope = "encoder.features." + std::to_string(stage) + "." + std::to_string(i);
      x = mbconv(b, x, scope, s, i == 0 ? s.in_channels : s.out_channels, i == 0 ? s.stride : 1);
    }
    keep(stage++, x);
  }
  x = conv_norm_activation(b, x, "encoder.features.8", 4 * kB0[6].out_channels, 1, 1, 1, Activation::silu);
  keep(8, x);
  for (int node : f.nodes) {
    f.channels.push_back(b.channels(node));
    f.strides.push_back(b.graph().node(node).stride);
  }
  return f;
}

}  // namespace

void register_efficientnet_encoder(Registry<EncoderFactory>& registry) {
  registry.add({"efficientnet_b0", "torchvision efficientnet_b0 (MBConv, squeeze-excitation, SiLU); features at strides 2..32", {}},
               [](GraphBuilder& b, int input, const Config&) { return build_efficientnet_b0(b, input); });
}

}  // namespace seglab
