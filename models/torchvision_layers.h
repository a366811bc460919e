#pragma once
// Layer patterns shared by the torchvision encoders, emitted with torchvision's
// module names so that a torchvision state_dict maps onto them by name.
#include <string>

#include "models/graph_builder.h"

namespace seglab {

enum class Activation { none, relu, relu6, silu };

// torchvision's Conv2dNormActivation / ConvBNReLU: conv (no bias, padding
// (k-1)/2) named `<scope>.0`, batch norm `<scope>.1`, then the activation.
int conv_norm_activation(GraphBuilder& b, int x, const std::string& scope, int64_t out_channels, int kernel,
                         int stride, int groups, Activation activation, double bn_eps = 1e-5);

int apply_activation(GraphBuilder& b, int x, Activation activation);

// Checkpoint key prefixes that hold the classifier head, which an encoder
// leaves out ("fc.", "classifier."): reported as ignored, never as unexpected.
struct EncoderHead {
  static constexpr const char* resnet = "fc.";
  static constexpr const char* classifier = "classifier.";
};

}  // namespace seglab
