#include "models/mobilenet_encoder.h"

#include <set>
#include <string>

#include "models/torchvision_layers.h"

namespace seglab {
namespace {

struct Stage {
  int expand_ratio;
  int64_t channels;
  int repeats;
  int stride;
};
// torchvision's inverted_residual_setting (t, c, n, s) at width 1.0.
const Stage kStages[] = {{1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                         {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};
const std::set<int> kFeatureIndices = {1, 3, 6, 13, 18};

int inverted_residual(GraphBuilder& b, int x, const std::string& scope, int64_t out_channels, int stride, int expand) {
  const int64_t in_channels = b.channels(x);
  const int64_t hidden = in_channels * expand;
  int y = x;
  int layer = 0;  // index inside torchvision's `conv` Sequential
  if (expand != 1) y = conv_norm_activation(b, y, scope + ".conv." + std::to_string(layer++), hidden, 1, 1, 1, Activation::relu6);
  y = conv_norm_activation(b, y, scope + ".conv." + std::to_string(layer++), hidden, 3, stride, static_cast<int>(hidden),
                           Activation::relu6);
  y = b.conv(y, scope + ".conv." + std::to_string(layer), out_channels, 1, 1, 0, /*bias=*/false);
  y = b.batch_norm(y, scope + ".conv." + std::to_string(layer + 1));
  return stride == 1 && in_channels == out_channels ? b.add(x, y) : y;
}

EncoderFeatures build_mobilenet_v2(GraphBuilder& b, int input) {
  EncoderFeatures f;
  f.unused_weight_prefixes = {EncoderHead::classifier};
  auto keep = [&](int index, int x) {
    if (kFeatureIndices.count(index)) f.nodes.push_back(x);
  };
  int x = conv_norm_activation(b, input, "encoder.features.0", 32, 3, 2, 1, Activation::relu6);
  int index = 1;
  for (const Stage& s : kStages)
    for (int i = 0; i < s.repeats; ++i, ++index) {
      x = inverted_residual(b, x, "encoder.features." + std::to_string(index), s.channels, i == 0 ? s.stride : 1,
                            s.expand_ratio);
      keep(index, x);
    }
  x = conv_norm_activation(b, x, "encoder.features.18", 1280, 1, 1, 1, Activation::relu6);
  keep(18, x);
  for (int node : f.nodes) {
    f.channels.push_back(b.channels(node));
    f.strides.push_back(b.graph().node(node).stride);
  }
  return f;
}

}  // namespace

void register_mobilenet_encoder(Registry<EncoderFactory>& registry) {
  registry.add({"mobilenet_v2", "torchvision mobilenet_v2 (inverted residuals, ReLU6); features at strides 2..32", {}},
               [](GraphBuilder& b, int input, const Config&) { return build_mobilenet_v2(b, input); });
}

}  // namespace seglab
