#include "models/torchvision_layers.h"

namespace seglab {

int apply_activation(GraphBuilder& b, int x, Activation activation) {
  switch (activation) {
    case Activation::none: return x;
    case Activation::relu: return b.relu(x);
    case Activation::relu6: return b.relu6(x);
    case Activation::silu: return b.silu(x);
  }
  return x;
}

int conv_norm_activation(GraphBuilder& b, int x, const std::string& scope, int64_t out_channels, int kernel,
                         int stride, int groups, Activation activation, double bn_eps) {
  int y = b.conv(x, scope + ".0", out_channels, kernel, stride, (kernel - 1) / 2, /*bias=*/false, groups);
  y = b.batch_norm(y, scope + ".1", bn_eps);
  return apply_activation(b, y, activation);
}

}  // namespace seglab
