#include "models/graph.h"

#include <algorithm>

#include "core/error.h"

namespace seglab {

const char* op_name(Op op) {
  switch (op) {
    case Op::input: return "input";
    case Op::conv2d: return "conv2d";
    case Op::conv_transpose2d: return "conv_transpose2d";
    case Op::batch_norm: return "batch_norm";
    case Op::relu: return "relu";
    case Op::relu6: return "relu6";
    case Op::silu: return "silu";
    case Op::sigmoid: return "sigmoid";
    case Op::max_pool: return "max_pool";
    case Op::avg_pool: return "avg_pool";
    case Op::global_avg_pool: return "global_avg_pool";
    case Op::upsample_bilinear: return "upsample_bilinear";
    case Op::concat: return "concat";
    case Op::add: return "add";
    case Op::mul: return "mul";
  }
  return "?";
}

std::vector<Op> all_ops() {
  return {Op::input, Op::conv2d, Op::conv_transpose2d, Op::batch_norm, Op::relu, Op::relu6, Op::silu, Op::sigmoid,
          Op::max_pool, Op::avg_pool, Op::global_avg_pool, Op::upsample_bilinear, Op::concat, Op::add, Op::mul};
}

namespace {

std::string node_label(const Node& n) {
  return std::string(op_name(n.op)) + " node " + std::to_string(n.id) + (n.scope.empty() ? "" : " (" + n.scope + ")");
}

}  // namespace

int Graph::add_input(int64_t channels) {
  if (input_ >= 0) throw ModelError("a graph has exactly one input");
  Node n;
  n.id = static_cast<int>(nodes_.size());
  n.op = Op::input;
  n.channels = channels;
  nodes_.push_back(n);
  input_ = n.id;
  return n.id;
}

int Graph::add_param(const std::string& scope, const std::string& leaf, Shape shape, ParamKind kind, bool trainable,
                     int64_t fan_in) {
  const std::string name = scope.empty() ? leaf : scope + "." + leaf;
  for (const auto& p : params_)
    if (p.name == name) throw ModelError("parameter '" + name + "' defined twice");
  params_.push_back({name, std::move(shape), kind, trainable, fan_in});
  return static_cast<int>(params_.size()) - 1;
}

int Graph::tagged(const std::string& name) const {
  auto it = tags_.find(name);
  if (it == tags_.end()) throw ModelError("graph has no node tagged '" + name + "'");
  return it->second;
}

int Graph::add(Op op, std::vector<int> inputs, const OpAttributes& attrs, const std::string& scope) {
  Node n;
  n.id = static_cast<int>(nodes_.size());
  n.op = op;
  n.inputs = std::move(inputs);
  n.attrs = attrs;
  n.scope = scope;
  for (int in : n.inputs)
    if (in < 0 || in >= n.id) throw ModelError("input " + std::to_string(in) + " is not an earlier node", node_label(n));
  const size_t arity = n.inputs.size();
  auto expect_inputs = [&](size_t count) {
    if (arity != count)
      throw ModelError("expects " + std::to_string(count) + " input(s), got " + std::to_string(arity), node_label(n));
  };
  const Node* first = arity > 0 ? &nodes_[n.inputs[0]] : nullptr;

  switch (op) {
    case Op::input: throw ModelError("use add_input() for the graph input");
    case Op::conv2d:
    case Op::conv_transpose2d: {
      expect_inputs(1);
      const int64_t in_channels = first->channels;
      if (attrs.out_channels <= 0 || attrs.groups <= 0 || in_channels % attrs.groups != 0 ||
          attrs.out_channels % attrs.groups != 0)
        throw ModelError("channels " + std::to_string(in_channels) + " -> " + std::to_string(attrs.out_channels) +
                             " do not divide into " + std::to_string(attrs.groups) + " groups",
                         node_label(n));
      const int64_t k = attrs.kernel;
      if (op == Op::conv2d) {
        const int64_t fan_in = in_channels / attrs.groups * k * k;
        n.params.push_back(add_param(scope, "weight", {attrs.out_channels, in_channels / attrs.groups, k, k},
                                     ParamKind::weight, true, fan_in));
        if (attrs.bias) n.params.push_back(add_param(scope, "bias", {attrs.out_channels}, ParamKind::bias, true, fan_in));
        n.stride = first->stride * attrs.stride;
      } else {
        // PyTorch stores transposed weights as [in, out/groups, k, k] and takes
        // fan-in from dimension 1.
        const int64_t fan_in = attrs.out_channels / attrs.groups * k * k;
        n.params.push_back(add_param(scope, "weight", {in_channels, attrs.out_channels / attrs.groups, k, k},
                                     ParamKind::weight, true, fan_in));
        if (attrs.bias) n.params.push_back(add_param(scope, "bias", {attrs.out_channels}, ParamKind::bias, true, fan_in));
        if (first->stride % attrs.stride != 0)
          throw ModelError("upsamples beyond the input resolution", node_label(n));
        n.stride = first->stride / attrs.stride;
      }
      n.channels = attrs.out_channels;
      break;
    }
    case Op::batch_norm: {
      expect_inputs(1);
      const int64_t c = first->channels;
      n.params.push_back(add_param(scope, "weight", {c}, ParamKind::weight, true, 0));
      n.params.push_back(add_param(scope, "bias", {c}, ParamKind::bias, true, 0));
      n.params.push_back(add_param(scope, "running_mean", {c}, ParamKind::running_mean, false, 0));
      n.params.push_back(add_param(scope, "running_var", {c}, ParamKind::running_var, false, 0));
      n.params.push_back(add_param(scope, "num_batches_tracked", {}, ParamKind::num_batches_tracked, false, 0));
      n.channels = c;
      n.stride = first->stride;
      break;
    }
    case Op::relu:
    case Op::relu6:
    case Op::silu:
    case Op::sigmoid:
      expect_inputs(1);
      n.channels = first->channels;
      n.stride = first->stride;
      break;
    case Op::max_pool:
    case Op::avg_pool:
      expect_inputs(1);
      n.channels = first->channels;
      n.stride = first->stride * attrs.stride;
      break;
    case Op::global_avg_pool:
      expect_inputs(1);
      n.channels = first->channels;
      n.stride = 0;  // 1x1 whatever the input size
      break;
    case Op::upsample_bilinear:
      expect_inputs(1);
      if (attrs.scale < 1 || first->stride % attrs.scale != 0)
        throw ModelError("upsamples beyond the input resolution", node_label(n));
      n.channels = first->channels;
      n.stride = first->stride / attrs.scale;
      break;
    case Op::concat: {
      if (arity < 2) throw ModelError("expects at least 2 inputs", node_label(n));
      for (int in : n.inputs) {
        if (nodes_[in].stride != first->stride)
          throw ModelError("concatenates inputs of different resolutions (strides " + std::to_string(first->stride) +
                               " and " + std::to_string(nodes_[in].stride) + ")",
                           node_label(n));
        n.channels += nodes_[in].channels;
      }
      n.stride = first->stride;
      break;
    }
    case Op::add:
    case Op::mul: {
      expect_inputs(2);
      const Node& second = nodes_[n.inputs[1]];
      // mul broadcasts a per-channel gate (N,C,1,1) over a feature map, as in
      // squeeze-excitation, and a per-pixel gate (N,1,H,W) given as the second
      // input over the channels, as in attention gates and sSE; add needs
      // equal shapes.
      const bool broadcast = op == Op::mul && (second.stride == 0 || first->stride == 0);
      const bool pixel_gate = op == Op::mul && second.channels == 1 && first->stride == second.stride;
      if (pixel_gate) {
        n.channels = first->channels;
        n.stride = first->stride;
        break;
      }
      if (first->channels != second.channels || (!broadcast && first->stride != second.stride))
        throw ModelError("inputs differ in shape (channels " + std::to_string(first->channels) + " vs " +
                             std::to_string(second.channels) + ")",
                         node_label(n));
      n.channels = first->channels;
      n.stride = first->stride == 0 ? second.stride : first->stride;
      break;
    }
  }
  nodes_.push_back(std::move(n));
  return nodes_.back().id;
}

int Graph::max_stride() const {
  int s = 1;
  for (const auto& n : nodes_) s = std::max(s, n.stride);
  return s;
}

ShapeMap Graph::infer_shapes(int64_t batch, int64_t height, int64_t width) const {
  ShapeMap shapes(nodes_.size());
  for (const auto& n : nodes_) {
    const Shape* in = n.inputs.empty() ? nullptr : &shapes[n.inputs[0]];
    const auto& a = n.attrs;
    auto spatial = [&](int64_t size) {
      return (size + 2 * a.padding - a.dilation * (a.kernel - 1) - 1) / a.stride + 1;
    };
    switch (n.op) {
      case Op::input: shapes[n.id] = {batch, n.channels, height, width}; break;
      case Op::conv2d:
      case Op::max_pool:
      case Op::avg_pool: {
        const int64_t h = spatial((*in)[2]), w = spatial((*in)[3]);
        if (h <= 0 || w <= 0)
          throw ModelError("input " + shape_to_string(*in) + " is too small", std::string(op_name(n.op)) + " " + n.scope);
        shapes[n.id] = {batch, n.channels, h, w};
        break;
      }
      case Op::conv_transpose2d: {
        auto up = [&](int64_t size) { return (size - 1) * a.stride - 2 * a.padding + a.dilation * (a.kernel - 1) + 1; };
        shapes[n.id] = {batch, n.channels, up((*in)[2]), up((*in)[3])};
        break;
      }
      case Op::global_avg_pool: shapes[n.id] = {batch, n.channels, 1, 1}; break;
      case Op::upsample_bilinear: shapes[n.id] = {batch, n.channels, (*in)[2] * a.scale, (*in)[3] * a.scale}; break;
      case Op::concat: {
        for (int i : n.inputs)
          if (shapes[i][2] != (*in)[2] || shapes[i][3] != (*in)[3])
            throw ModelError("concatenates " + shape_to_string(*in) + " with " + shape_to_string(shapes[i]),
                             "concat node " + std::to_string(n.id),
                             "use an image size that is a multiple of " + std::to_string(max_stride()));
        shapes[n.id] = {batch, n.channels, (*in)[2], (*in)[3]};
        break;
      }
      case Op::add:
      case Op::mul: {
        const Shape& b = shapes[n.inputs[1]];
        const bool b_is_gate = b[2] == 1 && b[3] == 1;
        const bool a_is_gate = (*in)[2] == 1 && (*in)[3] == 1;
        const bool b_is_pixel_gate = b[1] == 1 && b[2] == (*in)[2] && b[3] == (*in)[3];
        if (*in != b && !(n.op == Op::mul && (a_is_gate || b_is_gate || b_is_pixel_gate)))
          throw ModelError("inputs " + shape_to_string(*in) + " and " + shape_to_string(b) + " differ",
                           std::string(op_name(n.op)) + " node " + std::to_string(n.id),
                           "use an image size that is a multiple of " + std::to_string(max_stride()));
        shapes[n.id] = a_is_gate ? b : *in;
        break;
      }
      default: shapes[n.id] = *in; shapes[n.id][1] = n.channels; break;
    }
  }
  return shapes;
}

int64_t Graph::trainable_parameter_count() const {
  int64_t count = 0;
  for (const auto& p : params_)
    if (p.trainable) count += shape_numel(p.shape);
  return count;
}

double Graph::forward_flops(int64_t height, int64_t width) const {
  const ShapeMap shapes = infer_shapes(1, height, width);
  double flops = 0;
  for (const auto& n : nodes_) {
    if (n.op != Op::conv2d && n.op != Op::conv_transpose2d) continue;
    const Shape& weight = params_[n.params[0]].shape;
    const double per_position = static_cast<double>(shape_numel(weight));
    // conv2d: each output position does out*in/groups*k*k MACs; a transposed
    // conv does in*out/groups*k*k per input position.
    const Shape& positions = n.op == Op::conv2d ? shapes[n.id] : shapes[n.inputs[0]];
    flops += 2.0 * per_position * static_cast<double>(positions[2] * positions[3]);
  }
  return flops;
}

}  // namespace seglab
