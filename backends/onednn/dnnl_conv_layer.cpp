// Convolution and transposed convolution on oneDNN primitives: weights in the
// layout the primitive picks (format_tag::any), reordered from the master
// copy where it is stored otherwise. A training plan stores the master copy
// in the blocking of the weight gradient (ParamStore::adopt_layout), so the
// gradient needs no reorder and the pass wanting that blocking none either.
// In inference a following batch norm is folded into weights and bias and a
// following activation runs as a post-op.
#include <cmath>

#include "backends/onednn/dnnl_layers.h"

namespace seglab::onednn_backend {
namespace {

using dims = memory::dims;

class ConvLayer final : public Layer {
 public:
  ConvLayer(Plan& plan, const Node& conv, const Node* bn, const Node* act, int input, const Shape& in_shape,
            const Shape& out_shape)
      : transposed_(conv.op == Op::conv_transpose2d), conv_(conv), bn_(bn) {
    inputs = {input};
    const auto& a = conv.attrs;
    const int64_t g = a.groups, k = a.kernel, cin = in_shape[1], cout = out_shape[1];
    const ParamSpec& wspec = plan.graph.params()[conv.params[0]];
    weight_ = conv.params[0];
    bias_ = conv.params.size() > 1 ? conv.params[1] : -1;
    has_bias_ = bias_ >= 0 || bn != nullptr;
    // oneDNN's weights are [out, in] (grouped: [g, out/g, in/g]); PyTorch keeps
    // transposed-convolution weights as [in, out/g], the iohw layout.
    const dims wdims = g == 1 ? dims{cout, cin, k, k} : dims{g, cout / g, cin / g, k, k};
    const tag wtag = transposed_ ? (g == 1 ? tag::iohw : tag::giohw) : (g == 1 ? tag::oihw : tag::goihw);
    plain_w_md_ = memory::desc(wdims, dt::f32, wtag);
    if (static_cast<int64_t>(plain_w_md_.get_size() / sizeof(float)) != shape_numel(wspec.shape))
      throw dnnl::error(dnnl_invalid_arguments, "weight size mismatch");
    bias_md_ = memory::desc({cout}, dt::f32, tag::x);
    strides_ = {a.stride, a.stride};
    dilates_ = {a.dilation - 1, a.dilation - 1};
    pad_l_ = {a.padding, a.padding};
    const int64_t span = (k - 1) * a.dilation + 1;
    auto right = [&](int dim) {
      return transposed_ ? (in_shape[dim] - 1) * a.stride + span - out_shape[dim] - a.padding
                         : (out_shape[dim] - 1) * a.stride + span - in_shape[dim] - a.padding;
    };
    pad_r_ = {right(2), right(3)};

    // Activations and weights in the plan's precision; bias and the master weights in fp32.
    const memory::desc src_any(in_shape, plan.act_dt, tag::any);
    const memory::desc dst_any(out_shape, plan.act_dt, tag::any);
    const memory::desc w_any(wdims, plan.act_dt, tag::any);
    const auto prop = plan.training ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
    const dnnl::primitive_attr attr = attr_with_activation(plan, act);
    const memory::desc none;
    if (transposed_) {
      const dnnl::deconvolution_forward::desc d(prop, dnnl::algorithm::deconvolution_direct, src_any, w_any,
                                                has_bias_ ? bias_md_ : none, dst_any, strides_, dilates_, pad_l_,
                                                pad_r_);
      deconv_pd_ = dnnl::deconvolution_forward::primitive_desc(d, attr, plan.context.engine);
      fwd_ = dnnl::deconvolution_forward(deconv_pd_);
    } else {
      const dnnl::convolution_forward::desc d(prop, dnnl::algorithm::convolution_direct, src_any, w_any,
                                              has_bias_ ? bias_md_ : none, dst_any, strides_, dilates_, pad_l_,
                                              pad_r_);
      conv_pd_ = dnnl::convolution_forward::primitive_desc(d, attr, plan.context.engine);
      fwd_ = dnnl::convolution_forward(conv_pd_);
    }
    const dnnl::primitive_desc_base& pd = fwd_pd();
    src_.init(plan, input, pd.src_desc());

    // The master weights, or (inference with a folded batch norm) a scaled copy.
    if (bn) {
      // The folded weights are made in refresh_weights(), and kept only when the
      // primitive reads them as they are.
      folded_b_.resize(static_cast<size_t>(cout));
      user_w_ = plan.wrap(plain_w_md_, nullptr);
      bias_mem_ = plan.wrap(bias_md_, folded_b_.data());
    } else {
      user_w_ = master_weights(plan);
      if (bias_ >= 0) bias_mem_ = plan.wrap(bias_md_, plan.params.values[bias_].data());
    }
    output = plan.add_value(pd.dst_desc());
    fwd_args_ = {{DNNL_ARG_SRC, src_.current()}, {DNNL_ARG_DST, plan.values[output].mem}};
    if (has_bias_) fwd_args_[DNNL_ARG_BIAS] = bias_mem_;
    plan.add_scratchpad(pd.scratchpad_desc(), fwd_args_);
    // Training decides where the master weights live in prepare_backward().
    if (!plan.training) bind_forward_weights(plan);
  }

  void refresh_weights(Plan& plan) override {
    if (bn_) {
      folded_w_.resize(plain_w_md_.get_size() / sizeof(float));
      fold_batch_norm(plan);
      user_w_.set_data_handle(folded_w_.data());
    }
    if (w_reorder_) plan.exec(w_reorder_, {{DNNL_ARG_FROM, user_w_}, {DNNL_ARG_TO, w_}});
    if (bn_ && w_reorder_) {
      plan.context.stream.wait();
      std::vector<float>().swap(folded_w_);
    }
  }

  void forward(Plan& plan) override {
    // Training changes the weights every step; inference reorders them in refresh_weights.
    if (plan.training && w_reorder_) plan.exec(w_reorder_, {{DNNL_ARG_FROM, user_w_}, {DNNL_ARG_TO, w_}});
    src_.update(plan);
    plan.exec(fwd_, fwd_args_);
  }

  void prepare_backward(Plan& plan) override {
    const dnnl::primitive_desc_base& pd = fwd_pd();
    const memory::desc diff_dst = plan.values[output].md;
    const memory::desc diff_src_any(pd.src_desc().dims(), plan.act_dt, tag::any);
    const memory::desc w_any(plain_w_md_.dims(), plan.act_dt, tag::any);
    const memory::desc dw_any(plain_w_md_.dims(), dt::f32, tag::any);  // fp32 gradients, also in bf16
    const memory::desc none;
    const auto& engine = plan.context.engine;

    dnnl::primitive_desc wpd;
    if (transposed_) {
      const dnnl::deconvolution_backward_weights::desc d(dnnl::algorithm::deconvolution_direct, pd.src_desc(), dw_any,
                                                         bias_ >= 0 ? bias_md_ : none, diff_dst, strides_, dilates_,
                                                         pad_l_, pad_r_);
      wpd = dnnl::deconvolution_backward_weights::primitive_desc(d, plan.attr(), engine, deconv_pd_);
    } else {
      const dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, pd.src_desc(), dw_any,
                                                       bias_ >= 0 ? bias_md_ : none, diff_dst, strides_, dilates_,
                                                       pad_l_, pad_r_);
      wpd = dnnl::convolution_backward_weights::primitive_desc(d, plan.attr(), engine, conv_pd_);
    }
    bwd_weights_ = dnnl::primitive(wpd);
    const memory::desc diff_w_md = wpd.diff_weights_desc();
    plan.add_scratchpad(wpd.scratchpad_desc(), bwd_weights_args_);
    // The first training plan stores the master weights as its weight
    // gradient comes (a later plan with another blocking reorders).
    plan.params.adopt_layout(weight_, plain_w_md_, diff_w_md);
    user_w_ = master_weights(plan);
    bind_forward_weights(plan);
    user_dw_ = plan.wrap(user_w_.get_desc(), plan.params.grads[weight_].data());
    if (diff_w_md == user_dw_.get_desc()) {
      dw_ = user_dw_;
    } else {
      dw_ = plan.backward_buffer(diff_w_md);
      dw_reorder_ = dnnl::reorder(dw_, user_dw_);
    }
    bwd_weights_args_[DNNL_ARG_SRC] = src_.current();
    bwd_weights_args_[DNNL_ARG_DIFF_DST] = plan.values[output].diff;
    bwd_weights_args_[DNNL_ARG_DIFF_WEIGHTS] = dw_;
    if (bias_ >= 0) bwd_weights_args_[DNNL_ARG_DIFF_BIAS] = plan.wrap(bias_md_, plan.params.grads[bias_].data());

    if (plan.values[inputs[0]].needs_grad) {
      dnnl::primitive_desc bpd;
      if (transposed_) {
        const dnnl::deconvolution_backward_data::desc d(dnnl::algorithm::deconvolution_direct, diff_src_any, w_any,
                                                        diff_dst, strides_, dilates_, pad_l_, pad_r_);
        bpd = dnnl::deconvolution_backward_data::primitive_desc(d, plan.attr(), engine, deconv_pd_);
      } else {
        const dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, diff_src_any, w_any,
                                                      diff_dst, strides_, dilates_, pad_l_, pad_r_);
        bpd = dnnl::convolution_backward_data::primitive_desc(d, plan.attr(), engine, conv_pd_);
      }
      bwd_data_ = dnnl::primitive(bpd);
      sink_.init(plan, inputs[0], bpd.diff_src_desc(), accumulate[0]);
      const memory::desc bwd_w_md = bpd.weights_desc();
      plan.add_scratchpad(bpd.scratchpad_desc(), bwd_data_args_);
      // The master weights as they are, or a copy (the forward pass's
      // reordered weights are gone by now: weights_buffer).
      memory w = user_w_;
      if (bwd_w_md != user_w_.get_desc()) {
        bwd_weights_copy_ = plan.backward_buffer(bwd_w_md);
        bwd_weights_reorder_ = dnnl::reorder(user_w_, bwd_weights_copy_);
        w = bwd_weights_copy_;
      }
      bwd_data_args_[DNNL_ARG_DIFF_DST] = plan.values[output].diff;
      bwd_data_args_[DNNL_ARG_WEIGHTS] = w;
      bwd_data_args_[DNNL_ARG_DIFF_SRC] = sink_.target();
    }
  }

  void backward(Plan& plan) override {
    plan.exec(bwd_weights_, bwd_weights_args_);
    if (dw_reorder_) plan.exec(dw_reorder_, {{DNNL_ARG_FROM, dw_}, {DNNL_ARG_TO, user_dw_}});
    if (bwd_data_) {
      if (bwd_weights_reorder_)
        plan.exec(bwd_weights_reorder_, {{DNNL_ARG_FROM, user_w_}, {DNNL_ARG_TO, bwd_weights_copy_}});
      plan.exec(bwd_data_, bwd_data_args_);
      sink_.flush(plan);
    }
  }

 private:
  const dnnl::primitive_desc_base& fwd_pd() const {
    if (transposed_) return deconv_pd_;
    return conv_pd_;
  }

  // The fp32 master weights, in the layout the parameter store keeps them in.
  memory master_weights(Plan& plan) const {
    return plan.wrap(plan.params.stored_layout(weight_, plain_w_md_), plan.params.values[weight_].data());
  }

  // The forward primitive reads user_w_ itself when it wants that layout, else
  // a copy reordered from it.
  void bind_forward_weights(Plan& plan) {
    const memory::desc& wanted = fwd_pd().weights_desc();
    if (wanted == user_w_.get_desc()) {
      w_ = user_w_;
    } else {
      w_ = plan.weights_buffer(wanted);
      w_reorder_ = dnnl::reorder(user_w_, w_);
    }
    fwd_args_[DNNL_ARG_WEIGHTS] = w_;
  }

  // w' = w * gamma / sqrt(var + eps) per output channel; b' = (b - mean) * that + beta.
  void fold_batch_norm(Plan& plan) {
    const auto& p = plan.params.values;
    const std::vector<float> plain_w = plan.params.to_plain(weight_, p[weight_]);
    const float* w = plain_w.data();
    const float* gamma = p[bn_->params[0]].data();
    const float* beta = p[bn_->params[1]].data();
    const float* mean = p[bn_->params[2]].data();
    const float* var = p[bn_->params[3]].data();
    const size_t cout = folded_b_.size(), per_out = folded_w_.size() / cout;
    for (size_t o = 0; o < cout; ++o) {
      const float scale = gamma[o] / std::sqrt(var[o] + static_cast<float>(bn_->attrs.eps));
      for (size_t i = 0; i < per_out; ++i) folded_w_[o * per_out + i] = w[o * per_out + i] * scale;
      const float b = bias_ >= 0 ? p[bias_][o] : 0.0f;
      folded_b_[o] = (b - mean[o]) * scale + beta[o];
    }
  }

  bool transposed_;
  const Node& conv_;
  const Node* bn_;
  int weight_ = -1, bias_ = -1;
  bool has_bias_ = false;
  memory::desc plain_w_md_, bias_md_;  // the weights in PyTorch's layout
  dims strides_, dilates_, pad_l_, pad_r_;
  dnnl::convolution_forward::primitive_desc conv_pd_;
  dnnl::deconvolution_forward::primitive_desc deconv_pd_;
  dnnl::primitive fwd_, w_reorder_;
  SourceView src_;
  memory user_w_, w_, bias_mem_;
  std::vector<float> folded_w_, folded_b_;
  Args fwd_args_;

  dnnl::primitive bwd_data_, bwd_weights_, dw_reorder_, bwd_weights_reorder_;
  memory bwd_weights_copy_, dw_, user_dw_;
  DiffSink sink_;
  Args bwd_data_args_, bwd_weights_args_;
};

}  // namespace

std::unique_ptr<Layer> make_conv_layer(Plan& plan, const Node& conv, const Node* bn, const Node* act, int input,
                                       const Shape& in_shape, const Shape& out_shape) {
  return std::make_unique<ConvLayer>(plan, conv, bn, act, input, in_shape, out_shape);
}

}  // namespace seglab::onednn_backend
