#include "models/resnet_encoder.h"

#include <string>

#include "models/torchvision_layers.h"

namespace seglab {
namespace {

int conv_bn(GraphBuilder& b, int x, const std::string& scope, const std::string& conv, const std::string& bn,
            int64_t out_channels, int kernel, int stride) {
  return b.batch_norm(b.conv(x, scope + "." + conv, out_channels, kernel, stride, (kernel - 1) / 2, false),
                      scope + "." + bn);
}

int shortcut(GraphBuilder& b, int x, const std::string& scope, int64_t out_channels, int stride) {
  if (stride == 1 && b.channels(x) == out_channels) return x;
  return conv_bn(b, x, scope, "downsample.0", "downsample.1", out_channels, 1, stride);
}

int basic_block(GraphBuilder& b, int x, const std::string& scope, int64_t planes, int stride) {
  int y = b.relu(conv_bn(b, x, scope, "conv1", "bn1", planes, 3, stride));
  y = conv_bn(b, y, scope, "conv2", "bn2", planes, 3, 1);
  return b.relu(b.add(y, shortcut(b, x, scope, planes, stride)));
}

int bottleneck(GraphBuilder& b, int x, const std::string& scope, int64_t planes, int stride) {
  int y = b.relu(conv_bn(b, x, scope, "conv1", "bn1", planes, 1, 1));
  y = b.relu(conv_bn(b, y, scope, "conv2", "bn2", planes, 3, stride));
  y = conv_bn(b, y, scope, "conv3", "bn3", planes * 4, 1, 1);
  return b.relu(b.add(y, shortcut(b, x, scope, planes * 4, stride)));
}

EncoderFeatures build_resnet(GraphBuilder& b, int input, const int (&blocks)[4], bool use_bottleneck) {
  EncoderFeatures f;
  f.unused_weight_prefixes = {EncoderHead::resnet};
  int x = b.relu(conv_bn(b, input, "encoder", "conv1", "bn1", 64, 7, 2));
  f.nodes.push_back(x);
  x = b.max_pool(x, 3, 2, 1);
  for (int layer = 0; layer < 4; ++layer) {
    const int64_t planes = int64_t{64} << layer;
    for (int i = 0; i < blocks[layer]; ++i) {
      const std::string scope = "encoder.layer" + std::to_string(layer + 1) + "." + std::to_string(i);
      const int stride = (i == 0 && layer > 0) ? 2 : 1;
      x = use_bottleneck ? bottleneck(b, x, scope, planes, stride) : basic_block(b, x, scope, planes, stride);
    }
    f.nodes.push_back(x);
  }
  for (int node : f.nodes) {
    f.channels.push_back(b.channels(node));
    f.strides.push_back(b.graph().node(node).stride);
  }
  return f;
}

}  // namespace

void register_resnet_encoders(Registry<EncoderFactory>& registry) {
  registry.add({"resnet18", "torchvision resnet18 (basic blocks 2-2-2-2); features at strides 2..32", {}},
               [](GraphBuilder& b, int input, const Config&) { return build_resnet(b, input, {2, 2, 2, 2}, false); });
  registry.add({"resnet34", "torchvision resnet34 (basic blocks 3-4-6-3); features at strides 2..32", {}},
               [](GraphBuilder& b, int input, const Config&) { return build_resnet(b, input, {3, 4, 6, 3}, false); });
  registry.add({"resnet50", "torchvision resnet50 (bottlenecks 3-4-6-3, v1.5); features at strides 2..32", {}},
               [](GraphBuilder& b, int input, const Config&) { return build_resnet(b, input, {3, 4, 6, 3}, true); });
}

}  // namespace seglab
