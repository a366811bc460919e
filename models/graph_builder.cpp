#include "models/graph_builder.h"

namespace seglab {

int GraphBuilder::conv(int x, const std::string& name, int64_t out_channels, int kernel, int stride, int padding,
                       bool bias, int groups, int dilation) {
  OpAttributes a;
  a.out_channels = out_channels;
  a.kernel = kernel;
  a.stride = stride;
  a.padding = padding;
  a.bias = bias;
  a.groups = groups;
  a.dilation = dilation;
  return graph_.add(Op::conv2d, {x}, a, name);
}

int GraphBuilder::conv_transpose(int x, const std::string& name, int64_t out_channels, int kernel, int stride,
                                 bool bias) {
  OpAttributes a;
  a.out_channels = out_channels;
  a.kernel = kernel;
  a.stride = stride;
  a.bias = bias;
  return graph_.add(Op::conv_transpose2d, {x}, a, name);
}

int GraphBuilder::batch_norm(int x, const std::string& name, double eps, double momentum) {
  OpAttributes a;
  a.eps = eps;
  a.momentum = momentum;
  return graph_.add(Op::batch_norm, {x}, a, name);
}

int GraphBuilder::max_pool(int x, int kernel, int stride, int padding) {
  OpAttributes a;
  a.kernel = kernel;
  a.stride = stride;
  a.padding = padding;
  return graph_.add(Op::max_pool, {x}, a);
}

int GraphBuilder::avg_pool(int x, int kernel, int stride, int padding) {
  OpAttributes a;
  a.kernel = kernel;
  a.stride = stride;
  a.padding = padding;
  return graph_.add(Op::avg_pool, {x}, a);
}

int GraphBuilder::upsample(int x, int scale) {
  OpAttributes a;
  a.scale = scale;
  return graph_.add(Op::upsample_bilinear, {x}, a);
}

int GraphBuilder::conv_bn_relu(int x, const std::string& conv_name, const std::string& bn_name, int64_t out_channels,
                               int kernel, int padding, bool batch_norm) {
  int y = conv(x, conv_name, out_channels, kernel, 1, padding, /*bias=*/!batch_norm);
  if (batch_norm) y = this->batch_norm(y, bn_name);
  return relu(y);
}

}  // namespace seglab
