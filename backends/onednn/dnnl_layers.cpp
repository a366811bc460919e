// The non-convolution layers: batch norm, activations, pooling, bilinear
// resampling, concat, add and mul. Each works in the layout its input arrives
// in (format_tag::any for its output), so no reorder separates them from the
// convolutions around them.
#include "backends/onednn/dnnl_layers.h"

#include <cstring>

#include "core/error.h"

namespace seglab::onednn_backend {
namespace {

using dims = memory::dims;
using dnnl::algorithm;
using dnnl::prop_kind;

prop_kind forward_kind(const Plan& plan) {
  return plan.training ? prop_kind::forward_training : prop_kind::forward_inference;
}

class BatchNormLayer final : public Layer {
 public:
  BatchNormLayer(Plan& plan, const Node& bn, bool fuse_relu, int input) : bn_(bn) {
    inputs = {input};
    const memory::desc md = plan.values[input].md;  // a copy: add_value() below grows `values`
    const int64_t c = md.dims()[1];
    flags_ = dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;
    if (fuse_relu) flags_ = flags_ | dnnl::normalization_flags::fuse_norm_relu;
    auto fwd_flags = flags_;
    if (!plan.training) fwd_flags = fwd_flags | dnnl::normalization_flags::use_global_stats;
    const dnnl::batch_normalization_forward::desc d(forward_kind(plan), md, static_cast<float>(bn.attrs.eps),
                                                    fwd_flags);
    pd_ = dnnl::batch_normalization_forward::primitive_desc(d, plan.attr(), plan.context.engine);
    fwd_ = dnnl::batch_normalization_forward(pd_);
    const memory::desc vec({c}, dt::f32, tag::x);
    auto& p = plan.params.values;
    scale_ = plan.wrap(vec, p[bn.params[0]].data());
    shift_ = plan.wrap(vec, p[bn.params[1]].data());
    if (plan.training) {
      mean_ = memory(vec, plan.context.engine);
      var_ = memory(vec, plan.context.engine);
    } else {
      mean_ = plan.wrap(vec, p[bn.params[2]].data());
      var_ = plan.wrap(vec, p[bn.params[3]].data());
    }
    output = plan.add_value(pd_.dst_desc());
    args_ = {{DNNL_ARG_SRC, plan.values[input].mem}, {DNNL_ARG_DST, plan.values[output].mem},
             {DNNL_ARG_SCALE, scale_},           {DNNL_ARG_SHIFT, shift_},
             {DNNL_ARG_MEAN, mean_},             {DNNL_ARG_VARIANCE, var_}};
    if (plan.training && fuse_relu) {
      workspace_ = plan.forward_buffer(pd_.workspace_desc());
      args_[DNNL_ARG_WORKSPACE] = workspace_;
    }
    plan.add_scratchpad(pd_.scratchpad_desc(), args_);
    const auto& dd = md.dims();
    count_ = dd[0] * dd[2] * dd[3];
  }

  void forward(Plan& plan) override {
    plan.exec(fwd_, args_);
    if (!plan.training) return;
    plan.context.stream.wait();
    // PyTorch's running statistics: the variance is the unbiased one.
    auto& p = plan.params.values;
    float* running_mean = p[bn_.params[2]].data();
    float* running_var = p[bn_.params[3]].data();
    const float* mean = static_cast<const float*>(mean_.get_data_handle());
    const float* var = static_cast<const float*>(var_.get_data_handle());
    const float m = static_cast<float>(bn_.attrs.momentum);
    const float unbias = count_ > 1 ? static_cast<float>(count_) / static_cast<float>(count_ - 1) : 1.0f;
    for (size_t i = 0; i < p[bn_.params[2]].size(); ++i) {
      running_mean[i] = (1 - m) * running_mean[i] + m * mean[i];
      running_var[i] = (1 - m) * running_var[i] + m * var[i] * unbias;
    }
    p[bn_.params[4]][0] += 1.0f;
  }

  void prepare_backward(Plan& plan) override {
    const dnnl::batch_normalization_backward::desc d(prop_kind::backward, plan.values[output].md,
                                                     plan.values[inputs[0]].md, static_cast<float>(bn_.attrs.eps),
                                                     flags_);
    const dnnl::batch_normalization_backward::primitive_desc bpd(d, plan.attr(), plan.context.engine, pd_);
    bwd_ = dnnl::batch_normalization_backward(bpd);
    sink_.init(plan, inputs[0], bpd.diff_src_desc(), accumulate[0]);
    const memory::desc vec({scale_.get_desc().dims()[0]}, dt::f32, tag::x);
    auto& g = plan.params.grads;
    bwd_args_ = {{DNNL_ARG_SRC, plan.values[inputs[0]].mem},
                 {DNNL_ARG_MEAN, mean_},
                 {DNNL_ARG_VARIANCE, var_},
                 {DNNL_ARG_SCALE, scale_},
                 {DNNL_ARG_SHIFT, shift_},
                 {DNNL_ARG_DIFF_DST, plan.values[output].diff},
                 {DNNL_ARG_DIFF_SRC, sink_.target()},
                 {DNNL_ARG_DIFF_SCALE, plan.wrap(vec, g[bn_.params[0]].data())},
                 {DNNL_ARG_DIFF_SHIFT, plan.wrap(vec, g[bn_.params[1]].data())}};
    if (workspace_) bwd_args_[DNNL_ARG_WORKSPACE] = workspace_;
    plan.add_scratchpad(bpd.scratchpad_desc(), bwd_args_);
  }

  void backward(Plan& plan) override {
    plan.exec(bwd_, bwd_args_);
    sink_.flush(plan);
  }

 private:
  const Node& bn_;
  dnnl::normalization_flags flags_;
  dnnl::batch_normalization_forward::primitive_desc pd_;
  dnnl::primitive fwd_, bwd_;
  memory scale_, shift_, mean_, var_, workspace_;
  Args args_, bwd_args_;
  DiffSink sink_;
  int64_t count_ = 1;
};

class EltwiseLayer final : public Layer {
 public:
  EltwiseLayer(Plan& plan, const Node& node, int input) : f_(activation_of(node.op)) {
    inputs = {input};
    const dnnl::eltwise_forward::desc d(forward_kind(plan), f_.algorithm, plan.values[input].md, f_.alpha, f_.beta);
    pd_ = dnnl::eltwise_forward::primitive_desc(d, plan.attr(), plan.context.engine);
    fwd_ = dnnl::eltwise_forward(pd_);
    output = plan.add_value(pd_.dst_desc());
    args_ = {{DNNL_ARG_SRC, plan.values[input].mem}, {DNNL_ARG_DST, plan.values[output].mem}};
    plan.add_scratchpad(pd_.scratchpad_desc(), args_);
  }
  void forward(Plan& plan) override { plan.exec(fwd_, args_); }
  void prepare_backward(Plan& plan) override {
    const Value& kept = plan.values[f_.backward_uses_dst ? output : inputs[0]];
    const dnnl::eltwise_backward::desc d(f_.algorithm, plan.values[output].md, kept.md, f_.alpha, f_.beta);
    const dnnl::eltwise_backward::primitive_desc bpd(d, plan.attr(), plan.context.engine, pd_);
    bwd_ = dnnl::eltwise_backward(bpd);
    sink_.init(plan, inputs[0], bpd.diff_src_desc(), accumulate[0]);
    bwd_args_ = {{f_.backward_uses_dst ? DNNL_ARG_DST : DNNL_ARG_SRC, kept.mem},
                 {DNNL_ARG_DIFF_DST, plan.values[output].diff},
                 {DNNL_ARG_DIFF_SRC, sink_.target()}};
    plan.add_scratchpad(bpd.scratchpad_desc(), bwd_args_);
  }
  void backward(Plan& plan) override {
    plan.exec(bwd_, bwd_args_);
    sink_.flush(plan);
  }

 private:
  Activation f_;
  dnnl::eltwise_forward::primitive_desc pd_;
  dnnl::primitive fwd_, bwd_;
  Args args_, bwd_args_;
  DiffSink sink_;
};

class PoolLayer final : public Layer {
 public:
  PoolLayer(Plan& plan, const Node& node, int input, const Shape& in_shape, const Shape& out_shape) {
    inputs = {input};
    const auto& a = node.attrs;
    if (node.op == Op::global_avg_pool) {
      kernel_ = {in_shape[2], in_shape[3]};
      strides_ = {1, 1};
      pad_l_ = pad_r_ = {0, 0};
    } else {
      kernel_ = {a.kernel, a.kernel};
      strides_ = {a.stride, a.stride};
      pad_l_ = {a.padding, a.padding};
      pad_r_ = {(out_shape[2] - 1) * a.stride + a.kernel - in_shape[2] - a.padding,
                (out_shape[3] - 1) * a.stride + a.kernel - in_shape[3] - a.padding};
    }
    // PyTorch's avg_pool2d counts the zero padding (count_include_pad = true).
    algorithm_ = node.op == Op::max_pool ? algorithm::pooling_max : algorithm::pooling_avg_include_padding;
    const memory::desc dst_any(out_shape, plan.act_dt, tag::any);
    const dnnl::pooling_forward::desc d(forward_kind(plan), algorithm_, plan.values[input].md, dst_any, strides_,
                                        kernel_, pad_l_, pad_r_);
    pd_ = dnnl::pooling_forward::primitive_desc(d, plan.attr(), plan.context.engine);
    fwd_ = dnnl::pooling_forward(pd_);
    output = plan.add_value(pd_.dst_desc());
    args_ = {{DNNL_ARG_SRC, plan.values[input].mem}, {DNNL_ARG_DST, plan.values[output].mem}};
    if (plan.training && node.op == Op::max_pool) {
      workspace_ = plan.forward_buffer(pd_.workspace_desc());
      args_[DNNL_ARG_WORKSPACE] = workspace_;
    }
    plan.add_scratchpad(pd_.scratchpad_desc(), args_);
  }
  void forward(Plan& plan) override { plan.exec(fwd_, args_); }
  void prepare_backward(Plan& plan) override {
    const dnnl::pooling_backward::desc d(algorithm_, plan.values[inputs[0]].md, plan.values[output].md, strides_,
                                         kernel_, pad_l_, pad_r_);
    const dnnl::pooling_backward::primitive_desc bpd(d, plan.attr(), plan.context.engine, pd_);
    bwd_ = dnnl::pooling_backward(bpd);
    sink_.init(plan, inputs[0], bpd.diff_src_desc(), accumulate[0]);
    bwd_args_ = {{DNNL_ARG_DIFF_DST, plan.values[output].diff}, {DNNL_ARG_DIFF_SRC, sink_.target()}};
    if (workspace_) bwd_args_[DNNL_ARG_WORKSPACE] = workspace_;
    plan.add_scratchpad(bpd.scratchpad_desc(), bwd_args_);
  }
  void backward(Plan& plan) override {
    plan.exec(bwd_, bwd_args_);
    sink_.flush(plan);
  }

 private:
  algorithm algorithm_;
  dims kernel_, strides_, pad_l_, pad_r_;
  dnnl::pooling_forward::primitive_desc pd_;
  dnnl::primitive fwd_, bwd_;
  memory workspace_;
  Args args_, bwd_args_;
  DiffSink sink_;
};

class ResampleLayer final : public Layer {
 public:
  ResampleLayer(Plan& plan, const Node& node, int input, const Shape& out_shape) {
    inputs = {input};
    if (node.attrs.align_corners)
      throw BackendError("bilinear upsampling with align_corners = true is not supported by the onednn backend",
                         node_label(node), "use backend.name = libtorch for this model");
    // oneDNN's linear resampling uses half-pixel centres, as PyTorch does with
    // align_corners = false.
    const memory::desc dst_any(out_shape, plan.act_dt, tag::any);
    const dnnl::resampling_forward::desc d(forward_kind(plan), algorithm::resampling_linear, plan.values[input].md,
                                           dst_any);
    pd_ = dnnl::resampling_forward::primitive_desc(d, plan.attr(), plan.context.engine);
    fwd_ = dnnl::resampling_forward(pd_);
    output = plan.add_value(pd_.dst_desc());
    args_ = {{DNNL_ARG_SRC, plan.values[input].mem}, {DNNL_ARG_DST, plan.values[output].mem}};
    plan.add_scratchpad(pd_.scratchpad_desc(), args_);
  }
  void forward(Plan& plan) override { plan.exec(fwd_, args_); }
  void prepare_backward(Plan& plan) override {
    const dnnl::resampling_backward::desc d(algorithm::resampling_linear, plan.values[inputs[0]].md,
                                            plan.values[output].md);
    const dnnl::resampling_backward::primitive_desc bpd(d, plan.attr(), plan.context.engine, pd_);
    bwd_ = dnnl::resampling_backward(bpd);
    sink_.init(plan, inputs[0], bpd.diff_src_desc(), accumulate[0]);
    bwd_args_ = {{DNNL_ARG_DIFF_DST, plan.values[output].diff}, {DNNL_ARG_DIFF_SRC, sink_.target()}};
    plan.add_scratchpad(bpd.scratchpad_desc(), bwd_args_);
  }
  void backward(Plan& plan) override {
    plan.exec(bwd_, bwd_args_);
    sink_.flush(plan);
  }

 private:
  dnnl::resampling_forward::primitive_desc pd_;
  dnnl::primitive fwd_, bwd_;
  Args args_, bwd_args_;
  DiffSink sink_;
};

class ConcatLayer final : public Layer {
 public:
  ConcatLayer(Plan& plan, const Node& node, const std::vector<int>& ins, const std::vector<Shape>& in_shapes)
      : shapes_(in_shapes) {
    inputs = ins;
    std::vector<memory::desc> srcs;
    for (int v : ins) srcs.push_back(plan.values[v].md);
    pd_ = dnnl::concat::primitive_desc(1, srcs, plan.context.engine, plan.attr());
    fwd_ = dnnl::concat(pd_);
    output = plan.add_value(pd_.dst_desc());
    for (size_t k = 0; k < ins.size(); ++k) args_[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(k)] = plan.values[ins[k]].mem;
    args_[DNNL_ARG_DST] = plan.values[output].mem;
    plan.add_scratchpad(pd_.scratchpad_desc(), args_);
  }
  void forward(Plan& plan) override { plan.exec(fwd_, args_); }

  // The gradient of each input is a channel slice of the output's gradient. A
  // blocked layout can only be sliced at block boundaries; otherwise the
  // gradient is first reordered to plain NCHW.
  void prepare_backward(Plan& plan) override {
    memory whole = plan.values[output].diff;
    std::vector<memory::desc> slices;
    try {
      slice_descs(whole.get_desc(), slices);
    } catch (const dnnl::error&) {
      plain_ = plan.backward_buffer(memory::desc(whole.get_desc().dims(), whole.get_desc().data_type(), tag::nchw));
      to_plain_ = dnnl::reorder(whole, plain_);
      whole = plain_;
      slices.clear();
      slice_descs(whole.get_desc(), slices);
    }
    sinks_.resize(inputs.size());
    moves_.resize(inputs.size());
    move_args_.resize(inputs.size());
    for (size_t k = 0; k < inputs.size(); ++k) {
      if (!plan.values[inputs[k]].needs_grad) continue;
      const memory part(slices[k], plan.context.engine, DNNL_MEMORY_NONE);
      sinks_[k].init(plan, inputs[k], plan.values[inputs[k]].md, accumulate[k]);
      moves_[k] = dnnl::reorder(part, sinks_[k].target());
      move_args_[k] = {{DNNL_ARG_FROM, part}, {DNNL_ARG_TO, sinks_[k].target()}};
    }
    if (to_plain_) plain_args_ = {{DNNL_ARG_FROM, plan.values[output].diff}, {DNNL_ARG_TO, plain_}};
    whole_ = whole;
  }
  void backward(Plan& plan) override {
    if (to_plain_) plan.exec(to_plain_, plain_args_);
    for (size_t k = 0; k < inputs.size(); ++k) {
      if (!moves_[k]) continue;
      // The slices view the gradient buffer, placed in the arena after they were made.
      move_args_[k][DNNL_ARG_FROM].set_data_handle(whole_.get_data_handle());
      plan.exec(moves_[k], move_args_[k]);
      sinks_[k].flush(plan);
    }
  }

 private:
  void slice_descs(const memory::desc& whole, std::vector<memory::desc>& out) const {
    int64_t offset = 0;
    for (const Shape& s : shapes_) {
      out.push_back(whole.submemory_desc(s, {0, offset, 0, 0}));
      offset += s[1];
    }
  }

  std::vector<Shape> shapes_;
  dnnl::concat::primitive_desc pd_;
  dnnl::primitive fwd_, to_plain_;
  memory plain_, whole_;
  Args args_, plain_args_;
  std::vector<DiffSink> sinks_;
  std::vector<dnnl::primitive> moves_;
  std::vector<Args> move_args_;
};

class AddLayer final : public Layer {
 public:
  AddLayer(Plan& plan, int a, int b) {
    inputs = {a, b};
    const memory::desc dst_any(plan.values[a].md.dims(), plan.act_dt, tag::any);
    const dnnl::binary::desc d(algorithm::binary_add, plan.values[a].md, plan.values[b].md, dst_any);
    const dnnl::binary::primitive_desc pd(d, plan.attr(), plan.context.engine);
    fwd_ = dnnl::binary(pd);
    output = plan.add_value(pd.dst_desc());
    args_ = {{DNNL_ARG_SRC_0, plan.values[a].mem},
             {DNNL_ARG_SRC_1, plan.values[b].mem},
             {DNNL_ARG_DST, plan.values[output].mem}};
    plan.add_scratchpad(pd.scratchpad_desc(), args_);
  }
  void forward(Plan& plan) override { plan.exec(fwd_, args_); }
  // d(a + b) passes the output's gradient to both inputs unchanged.
  void prepare_backward(Plan& plan) override {
    for (size_t k = 0; k < 2; ++k)
      if (plan.values[inputs[k]].needs_grad) {
        sinks_[k].init(plan, inputs[k], plan.values[output].md, accumulate[k]);
        copies_[k] = dnnl::reorder(plan.values[output].diff, sinks_[k].target());
        copy_args_[k] = {{DNNL_ARG_FROM, plan.values[output].diff}, {DNNL_ARG_TO, sinks_[k].target()}};
      }
  }
  void backward(Plan& plan) override {
    for (size_t k = 0; k < 2; ++k)
      if (copies_[k]) {
        plan.exec(copies_[k], copy_args_[k]);
        sinks_[k].flush(plan);
      }
  }

 private:
  dnnl::primitive fwd_;
  Args args_;
  DiffSink sinks_[2];
  dnnl::primitive copies_[2];
  Args copy_args_[2];
};

// Element-wise product, where one side may be a per-channel gate (N x C x 1 x 1)
// broadcast over the other, as in squeeze-excitation, or the second a per-pixel
// gate (N x 1 x H x W) broadcast over the channels, as in attention gates and
// sSE. The backward pass runs in plain NCHW with loops: a gate's gradient is a
// sum over the positions it was broadcast to.
class MulLayer final : public Layer {
 public:
  MulLayer(Plan& plan, int a, int b, const Shape& a_shape, const Shape& b_shape) {
    // oneDNN broadcasts only its second source: keep the gate second.
    swapped_ = a_shape[2] * a_shape[3] < b_shape[2] * b_shape[3];
    inputs = swapped_ ? std::vector<int>{b, a} : std::vector<int>{a, b};
    full_shape_ = swapped_ ? b_shape : a_shape;
    gate_shape_ = swapped_ ? a_shape : b_shape;
    const memory::desc dst_any(full_shape_, plan.act_dt, tag::any);
    const dnnl::binary::desc d(algorithm::binary_mul, plan.values[inputs[0]].md, plan.values[inputs[1]].md, dst_any);
    const dnnl::binary::primitive_desc pd(d, plan.attr(), plan.context.engine);
    fwd_ = dnnl::binary(pd);
    output = plan.add_value(pd.dst_desc());
    args_ = {{DNNL_ARG_SRC_0, plan.values[inputs[0]].mem},
             {DNNL_ARG_SRC_1, plan.values[inputs[1]].mem},
             {DNNL_ARG_DST, plan.values[output].mem}};
    plan.add_scratchpad(pd.scratchpad_desc(), args_);
  }
  void forward(Plan& plan) override { plan.exec(fwd_, args_); }
  void prepare_backward(Plan& plan) override {
    const memory::desc full(full_shape_, dt::f32, tag::nchw), gate(gate_shape_, dt::f32, tag::nchw);
    plain_dy_ = plan.backward_buffer(full);
    plain_x_[0] = plan.backward_buffer(full);
    plain_x_[1] = plan.backward_buffer(gate);
    to_plain_.push_back({dnnl::reorder(plan.values[output].diff, plain_dy_),
                         {{DNNL_ARG_FROM, plan.values[output].diff}, {DNNL_ARG_TO, plain_dy_}}});
    for (size_t k = 0; k < 2; ++k)
      to_plain_.push_back({dnnl::reorder(plan.values[inputs[k]].mem, plain_x_[k]),
                           {{DNNL_ARG_FROM, plan.values[inputs[k]].mem}, {DNNL_ARG_TO, plain_x_[k]}}});
    for (size_t k = 0; k < 2; ++k)
      if (plan.values[inputs[k]].needs_grad) sinks_[k].init(plan, inputs[k], k == 0 ? full : gate, accumulate[k]);
  }
  void backward(Plan& plan) override {
    for (auto& [reorder, args] : to_plain_) plan.exec(reorder, args);
    plan.context.stream.wait();
    const float* dy = static_cast<const float*>(plain_dy_.get_data_handle());
    const float* x = static_cast<const float*>(plain_x_[0].get_data_handle());
    const float* gate = static_cast<const float*>(plain_x_[1].get_data_handle());
    float* dx = plan.values[inputs[0]].needs_grad ? static_cast<float*>(sinks_[0].target().get_data_handle()) : nullptr;
    float* dgate = plan.values[inputs[1]].needs_grad ? static_cast<float*>(sinks_[1].target().get_data_handle()) : nullptr;
    const int64_t n = full_shape_[0], c = full_shape_[1], area = full_shape_[2] * full_shape_[3];
    if (gate_shape_[1] == 1 && c > 1) {
      // A pixel gate (N x 1 x H x W): its gradient sums over the channels.
#pragma omp parallel for collapse(2)
      for (int64_t b = 0; b < n; ++b)
        for (int64_t i = 0; i < area; ++i) {
          const float g = gate[b * area + i];
          float sum = 0;
          for (int64_t k = 0; k < c; ++k) {
            const int64_t at = (b * c + k) * area + i;
            if (dx) dx[at] = dy[at] * g;
            sum += dy[at] * x[at];
          }
          if (dgate) dgate[b * area + i] = sum;
        }
    } else {
      // Equal shapes, or a channel gate (N x C x 1 x 1) whose gradient sums over the plane.
      const bool channel_gate = gate_shape_[2] * gate_shape_[3] == 1 && area != 1;
#pragma omp parallel for
      for (int64_t p = 0; p < n * c; ++p) {
        float sum = 0;
        for (int64_t i = 0; i < area; ++i) {
          const int64_t at = p * area + i;
          const float g = channel_gate ? gate[p] : gate[at];
          if (dx) dx[at] = dy[at] * g;
          if (!channel_gate && dgate) dgate[at] = dy[at] * x[at];
          sum += dy[at] * x[at];
        }
        if (channel_gate && dgate) dgate[p] = sum;
      }
    }
    for (size_t k = 0; k < 2; ++k)
      if (plan.values[inputs[k]].needs_grad) sinks_[k].flush(plan);
  }

 private:
  bool swapped_ = false;
  Shape full_shape_, gate_shape_;
  dnnl::primitive fwd_;
  Args args_;
  memory plain_dy_, plain_x_[2];
  std::vector<std::pair<dnnl::primitive, Args>> to_plain_;
  DiffSink sinks_[2];
};

}  // namespace

Activation activation_of(Op op) {
  switch (op) {
    case Op::relu: return {algorithm::eltwise_relu, 0.0f, 0.0f, false};
    case Op::relu6: return {algorithm::eltwise_clip_v2, 0.0f, 6.0f, false};
    case Op::silu: return {algorithm::eltwise_swish, 1.0f, 0.0f, false};
    case Op::sigmoid: return {algorithm::eltwise_logistic_use_dst_for_bwd, 0.0f, 0.0f, true};
    default: break;
  }
  throw BackendError(std::string("op '") + op_name(op) + "' is not an activation", "onednn backend");
}

dnnl::primitive_attr attr_with_activation(const Plan& plan, const Node* act) {
  dnnl::primitive_attr attr = plan.attr();
  if (act) {
    const Activation f = activation_of(act->op);
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, f.algorithm, f.alpha, f.beta);
    attr.set_post_ops(ops);
  }
  return attr;
}

std::unique_ptr<Layer> make_batch_norm_layer(Plan& plan, const Node& bn, bool fuse_relu, int input) {
  return std::make_unique<BatchNormLayer>(plan, bn, fuse_relu, input);
}
std::unique_ptr<Layer> make_eltwise_layer(Plan& plan, const Node& node, int input) {
  return std::make_unique<EltwiseLayer>(plan, node, input);
}
std::unique_ptr<Layer> make_pool_layer(Plan& plan, const Node& node, int input, const Shape& in_shape,
                                       const Shape& out_shape) {
  return std::make_unique<PoolLayer>(plan, node, input, in_shape, out_shape);
}
std::unique_ptr<Layer> make_resample_layer(Plan& plan, const Node& node, int input, const Shape& out_shape) {
  return std::make_unique<ResampleLayer>(plan, node, input, out_shape);
}
std::unique_ptr<Layer> make_concat_layer(Plan& plan, const Node& node, const std::vector<int>& inputs,
                                         const std::vector<Shape>& in_shapes) {
  return std::make_unique<ConcatLayer>(plan, node, inputs, in_shapes);
}
std::unique_ptr<Layer> make_add_layer(Plan& plan, const Node& node, int a, int b) {
  return std::make_unique<AddLayer>(plan, a, b);
}
std::unique_ptr<Layer> make_mul_layer(Plan& plan, const Node& node, int a, int b, const Shape& a_shape,
                                      const Shape& b_shape) {
  return std::make_unique<MulLayer>(plan, a, b, a_shape, b_shape);
}

}  // namespace seglab::onednn_backend
