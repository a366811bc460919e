#pragma once
// The layers a Plan is made of, one per op or fused chain of ops (internal to
// this folder). Each builds its forward primitive in its constructor and its
// backward primitives in prepare_backward().
#include <memory>

#include "backends/onednn/dnnl_plan.h"

namespace seglab::onednn_backend {

// conv2d or conv_transpose2d; in inference a following batch norm (`bn`) is
// folded into the weights and a following activation (`act`) becomes a post-op.
std::unique_ptr<Layer> make_conv_layer(Plan& plan, const Node& conv, const Node* bn, const Node* act, int input,
                                       const Shape& in_shape, const Shape& out_shape);
// A transposed convolution whose kernel equals its stride (no padding,
// dilation or groups), the U-Net's up-convolution, runs as matrix products
// instead (make_upconv_layer); `act` as in make_conv_layer.
bool runs_as_upconv(const Node& conv, const Shape& in_shape, const Shape& out_shape);
std::unique_ptr<Layer> make_upconv_layer(Plan& plan, const Node& conv, const Node* act, int input,
                                         const Shape& in_shape, const Shape& out_shape);
// Batch norm in training (batch statistics, running-stat update) or inference
// mode; `fuse_relu` applies a following ReLU inside the primitive.
std::unique_ptr<Layer> make_batch_norm_layer(Plan& plan, const Node& bn, bool fuse_relu, int input);
std::unique_ptr<Layer> make_eltwise_layer(Plan& plan, const Node& node, int input);
std::unique_ptr<Layer> make_pool_layer(Plan& plan, const Node& node, int input, const Shape& in_shape,
                                       const Shape& out_shape);
std::unique_ptr<Layer> make_resample_layer(Plan& plan, const Node& node, int input, const Shape& out_shape);
std::unique_ptr<Layer> make_concat_layer(Plan& plan, const Node& node, const std::vector<int>& inputs,
                                         const std::vector<Shape>& in_shapes);
std::unique_ptr<Layer> make_add_layer(Plan& plan, const Node& node, int a, int b);
std::unique_ptr<Layer> make_mul_layer(Plan& plan, const Node& node, int a, int b, const Shape& a_shape,
                                      const Shape& b_shape);

// The oneDNN eltwise algorithm and alpha/beta of an activation op, for
// standalone layers (training: the variant whose backward reads what it keeps).
struct Activation {
  dnnl::algorithm algorithm;
  float alpha = 0, beta = 0;
  bool backward_uses_dst = false;
};
Activation activation_of(Op op);
// The plan's attributes plus, when `act` is set, that activation as an eltwise
// post-op of the primitive (a fused conv/up-conv + activation in inference).
dnnl::primitive_attr attr_with_activation(const Plan& plan, const Node* act);

}  // namespace seglab::onednn_backend
