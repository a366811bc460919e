#include "models/vgg_encoder.h"

#include <string>

#include "models/torchvision_layers.h"

namespace seglab {
namespace {

// torchvision's configuration "D"; 0 = max pooling.
const int kVgg16[] = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512};

EncoderFeatures build_vgg16_bn(GraphBuilder& b, int input) {
  EncoderFeatures f;
  f.unused_weight_prefixes = {EncoderHead::classifier};
  int x = input;
  int index = 0;  // torchvision's module index in `features`
  for (int width : kVgg16) {
    if (width == 0) {
      f.nodes.push_back(x);  // the feature before each pooling
      x = b.max_pool(x, 2, 2);
      index += 1;
      continue;
    }
    x = b.conv(x, "encoder.features." + std::to_string(index), width, 3, 1, 1, /*bias=*/true);
    x = b.batch_norm(x, "encoder.features." + std::to_string(index + 1));
    x = b.relu(x);
    index += 3;
  }
  f.nodes.push_back(x);  // features.42, before the last pooling
  for (int node : f.nodes) {
    f.channels.push_back(b.channels(node));
    f.strides.push_back(b.graph().node(node).stride);
  }
  return f;
}

}  // namespace

void register_vgg_encoder(Registry<EncoderFactory>& registry) {
  registry.add({"vgg16_bn", "torchvision vgg16_bn (13 conv+BN+ReLU); features at strides 1..16", {}},
               [](GraphBuilder& b, int input, const Config&) { return build_vgg16_bn(b, input); });
}

}  // namespace seglab
