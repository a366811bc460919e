#pragma once
// Encoders are graph builders that return their multi-scale features, shallow to
// deep, with channel counts and strides, for the shared U-Net decoder. They live
// in a registry selected by `model.encoder`.
#include <functional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/registry.h"
#include "models/graph_builder.h"

namespace seglab {

struct EncoderFeatures {
  std::vector<int> nodes;        // feature map nodes, shallow to deep
  std::vector<int64_t> channels; // their channel counts
  std::vector<int> strides;      // their strides (1 = input resolution)
  // Checkpoint key prefixes of the source network that the encoder leaves out
  // (torchvision's classifier head, "fc."): ignored when importing weights.
  std::vector<std::string> unused_weight_prefixes;
};

using EncoderFactory = std::function<EncoderFeatures(GraphBuilder& builder, int input, const Config& config)>;

Registry<EncoderFactory>& encoder_registry();

}  // namespace seglab
