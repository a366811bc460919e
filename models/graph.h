#pragma once
// The backend-neutral model graph. Nodes are ops with attributes; parameters are
// named as a PyTorch module of the same structure would name them
// ("encoder.layer1.0.conv1.weight"), so weights move between backends, and from
// torchvision checkpoints, by name. Nodes are stored in topological order: every
// input of a node comes before it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace seglab {

enum class Op {
  input,
  conv2d,
  conv_transpose2d,
  batch_norm,
  relu,
  relu6,
  silu,
  sigmoid,
  max_pool,
  avg_pool,
  global_avg_pool,
  upsample_bilinear,
  concat,
  add,
  mul,  // elementwise; broadcasts a second input of N x C x 1 x 1 (channel gate)
        // or N x 1 x H x W (pixel gate, attention gates and sSE) over the first
};

const char* op_name(Op op);
std::vector<Op> all_ops();

struct OpAttributes {
  int64_t out_channels = 0;  // conv2d, conv_transpose2d
  int kernel = 1;            // square kernels (conv, pool)
  int stride = 1;
  int padding = 0;
  int dilation = 1;
  int groups = 1;
  bool bias = false;
  double eps = 1e-5;      // batch_norm
  double momentum = 0.1;  // batch_norm running-stat update, PyTorch convention
  int scale = 2;          // upsample_bilinear: integer factor
  bool align_corners = false;
};

enum class ParamKind { weight, bias, running_mean, running_var, num_batches_tracked };

struct ParamSpec {
  std::string name;  // full PyTorch-style name
  Shape shape;
  ParamKind kind;
  bool trainable;   // false for batch-norm buffers
  int64_t fan_in;   // for PyTorch's default initialisation
};

struct Node {
  int id = 0;
  Op op = Op::input;
  std::vector<int> inputs;
  OpAttributes attrs;
  std::string scope;        // module path of the node ("decoder.block0.conv1"), "" for parameterless ops
  std::vector<int> params;  // indices into Graph::params(): conv {weight[, bias]}; batch_norm
                            // {weight, bias, running_mean, running_var, num_batches_tracked}
  int64_t channels = 0;     // output channels
  int stride = 1;           // output resolution = input resolution / stride (integer scales only)
};

// Output shapes of every node for one input size; see Graph::infer_shapes.
using ShapeMap = std::vector<Shape>;

class Graph {
 public:
  int add_input(int64_t channels);
  // Adds an op; creates its parameters under `scope`. Throws ModelError naming
  // the node when channels or inputs do not fit.
  int add(Op op, std::vector<int> inputs, const OpAttributes& attrs = {}, const std::string& scope = {});
  void add_output(int node) { outputs_.push_back(node); }
  // Names a node ("features.3") so tests and encoders can find it.
  void tag(int node, const std::string& name) { tags_[name] = node; }

  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(int id) const { return nodes_.at(static_cast<size_t>(id)); }
  const std::vector<ParamSpec>& params() const { return params_; }
  const std::vector<int>& outputs() const { return outputs_; }
  int input() const { return input_; }
  const std::map<std::string, int>& tags() const { return tags_; }
  int tagged(const std::string& name) const;

  // NCHW shape of every node for an input of `batch` x C x height x width;
  // throws ModelError naming the node whose inputs disagree.
  ShapeMap infer_shapes(int64_t batch, int64_t height, int64_t width) const;
  // Largest total stride: input sides must be multiples of it.
  int max_stride() const;

  int64_t trainable_parameter_count() const;
  // Multiply-accumulates x 2 of one forward pass of one image (convolutions only).
  double forward_flops(int64_t height, int64_t width) const;

  std::string description;  // one line, e.g. "U-Net (plain encoder, depth 4, base 64)"
  // Checkpoint key prefixes the encoder leaves out ("fc."), see EncoderFeatures.
  std::vector<std::string> unused_encoder_weights;

 private:
  int add_param(const std::string& scope, const std::string& leaf, Shape shape, ParamKind kind, bool trainable,
                int64_t fan_in);
  std::vector<Node> nodes_;
  std::vector<ParamSpec> params_;
  std::vector<int> outputs_;
  std::map<std::string, int> tags_;
  int input_ = -1;
};

}  // namespace seglab
