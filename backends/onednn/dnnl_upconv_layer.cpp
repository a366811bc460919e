// The U-Net's up-convolution, a transposed convolution whose kernel equals its
// stride (no padding, dilation or groups), on matmul and 1x1-convolution
// primitives instead of oneDNN's deconvolution.
//
// Why: oneDNN 2.6 runs deconvolution as a convolution's backward-data pass,
// whose bf16 kernel is many times slower than the same work as a matrix
// product (the timings: docs/benchmarks.md, "oneDNN up-convolutions"), and which
// wants blocked layouts where every neighbouring layer works in NHWC, so each
// up-convolution also cost two reorders. With kernel == stride every input
// pixel owns its own k x k output patch, so in NHWC:
//   forward: out[n, k*y+i, k*x+j, :] = in[n, y, x, :] . W[:, :, i, j] + b,
//     one batched matmul [N*H, 1, W, IC] x [1, k, IC, k*OC] whose destination
//     is a strided view of the NHWC output: no copy (narrow layers: one
//     matmul into a patch buffer, then one reorder, see kMinDirectWidth);
//   backward: the output gradient regrouped into D = [N, H, W, k*k*OC] (one
//     reorder) is the output gradient of the equivalent 1x1 convolution with
//     k*k*OC outputs; input gradient = D x W' (a matmul), weight and bias
//     gradients from that 1x1 convolution's backward-weights primitive.
#include <algorithm>

#include "backends/onednn/dnnl_layers.h"

namespace seglab::onednn_backend {
namespace {

using dims = memory::dims;

// From this input width on, the forward matmul writes straight into the
// output, one image row (W pixels) per product. Narrower rows are too short
// to keep the CPU busy, so narrower layers compute every pixel's whole patch
// in one product [N*H*W, IC] x [IC, k*k*OC] into a scratch buffer and scatter
// it into the output with a reorder, which is faster there. From 64 columns on
// the direct product wins (the timings that set this threshold:
// docs/benchmarks.md, "oneDNN up-convolutions").
constexpr int64_t kMinDirectWidth = 64;

// A memory over another one's storage with another descriptor: the arena
// places its buffers only after every layer is built, so the handle is taken
// again before each use.
class View {
 public:
  View() = default;
  View(const memory& base, const memory::desc& md) : base_(base), view_(md, base.get_engine(), DNNL_MEMORY_NONE) {}
  const memory& get() {
    view_.set_data_handle(base_.get_data_handle());
    return view_;
  }

 private:
  memory base_, view_;
};

class UpConvLayer final : public Layer {
 public:
  UpConvLayer(Plan& plan, const Node& conv, const Node* act, int input, const Shape& in_shape, const Shape& out_shape)
      : k_(conv.attrs.kernel), n_(in_shape[0]), ic_(in_shape[1]), h_(in_shape[2]), w_(in_shape[3]), oc_(out_shape[1]) {
    inputs = {input};
    weight_ = conv.params[0];
    bias_ = conv.params.size() > 1 ? conv.params[1] : -1;
    const dt act_dt = plan.act_dt;
    const auto& engine = plan.context.engine;

    src_.init(plan, input, memory::desc(in_shape, act_dt, tag::nhwc));
    output = plan.add_value(memory::desc(out_shape, act_dt, tag::nhwc));
    const dnnl::primitive_attr attr = attr_with_activation(plan, act);
    const memory::desc none;
    memory::desc src_md, w_md, b_md, dst_md, master_md, fwd_w_md;
    if (w_ < kMinDirectWidth) {
      // patches [pixels, (i, j, oc)] = in [pixels, IC] x W [IC, (i, j, oc)],
      // then one reorder scatters each pixel's patch into the output.
      const int64_t pixels = n_ * h_ * w_, kk_oc = k_ * k_ * oc_;
      src_md = memory::desc({pixels, ic_}, act_dt, tag::ab);
      w_md = memory::desc({ic_, kk_oc}, act_dt, tag::ab);
      b_md = memory::desc({1, kk_oc}, dt::f32, tag::ab);
      dst_md = memory::desc({pixels, kk_oc}, act_dt, tag::ab);
      // [ic][i][j][oc] from the PyTorch layout [ic][oc][i][j].
      master_md = memory::desc({ic_, k_, k_, oc_}, dt::f32, dims{oc_ * k_ * k_, k_, 1, k_ * k_});
      fwd_w_md = memory::desc({ic_, k_, k_, oc_}, act_dt, tag::abcd);
      const memory patches = plan.forward_scratch(dst_md);
      scatter_ = dnnl::reorder(dnnl::reorder::primitive_desc(engine, patches_5d(act_dt), engine,
                                                             output_as_patches(act_dt)));
      patches_as_5d_ = View(patches, patches_5d(act_dt));
      output_as_patches_ = View(plan.values[output].mem, output_as_patches(act_dt));
      dst_view_ = View(patches, dst_md);
    } else {
      // One image row's pixels times each i's [IC, (j, oc)] weights, written
      // straight into the output rows 2y+i: no copy.
      const int64_t rows = n_ * h_, kw_oc = k_ * oc_;
      src_md = memory::desc({rows, 1, w_, ic_}, act_dt, dims{w_ * ic_, w_ * ic_, ic_, 1});
      w_md = memory::desc({1, k_, ic_, kw_oc}, act_dt, tag::abcd);
      b_md = memory::desc({1, 1, 1, kw_oc}, dt::f32, tag::abcd);
      dst_md = memory::desc({rows, k_, w_, kw_oc}, act_dt, dims{k_ * w_ * kw_oc, w_ * kw_oc, kw_oc, 1});
      // [i][ic][j][oc] from the PyTorch layout [ic][oc][i][j].
      master_md = memory::desc({k_, ic_, k_, oc_}, dt::f32, dims{k_, oc_ * k_ * k_, 1, k_ * k_});
      fwd_w_md = memory::desc({k_, ic_, k_, oc_}, act_dt, tag::abcd);
      dst_view_ = View(plan.values[output].mem, dst_md);
    }
    const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src_md, w_md, bias_ >= 0 ? b_md : none, dst_md), attr,
                                          engine);
    fwd_ = dnnl::matmul(pd);
    src_view_ = View(src_.current(), src_md);
    master_fwd_w_ = plan.wrap(master_md, plan.params.values[weight_].data());
    fwd_w_ = plan.weights_buffer(fwd_w_md);
    fwd_w_reorder_ = dnnl::reorder(master_fwd_w_, fwd_w_);
    fwd_w_as_matmul_ = View(fwd_w_, w_md);
    if (bias_ >= 0) {
      fwd_b_.resize(b_md.get_size() / sizeof(float));  // the bias once per column (.., oc)
      fwd_args_[DNNL_ARG_BIAS] = plan.wrap(b_md, fwd_b_.data());
    }
    plan.add_scratchpad(pd.scratchpad_desc(), fwd_args_);
  }

  void refresh_weights(Plan& plan) override { derive_forward_weights(plan); }

  void forward(Plan& plan) override {
    // Training changes the weights every step; inference derives them in refresh_weights.
    if (plan.training) derive_forward_weights(plan);
    src_.update(plan);
    fwd_args_[DNNL_ARG_WEIGHTS] = fwd_w_as_matmul_.get();
    fwd_args_[DNNL_ARG_SRC] = src_view_.get();
    fwd_args_[DNNL_ARG_DST] = dst_view_.get();
    plan.exec(fwd_, fwd_args_);
    if (scatter_) plan.exec(scatter_, {{DNNL_ARG_FROM, patches_as_5d_.get()}, {DNNL_ARG_TO, output_as_patches_.get()}});
  }

  void prepare_backward(Plan& plan) override {
    const dt act_dt = plan.act_dt;
    const auto& engine = plan.context.engine;
    const int64_t kk_oc = k_ * k_ * oc_, pixels = n_ * h_ * w_;
    // The PyTorch weight layout [ic][oc][i][j] seen as [i][j][oc][ic], for the
    // master weights and the master gradient alike.
    const memory::desc master_ijoi({k_, k_, oc_, ic_}, dt::f32, dims{k_, 1, k_ * k_, oc_ * k_ * k_});
    // D: the output gradient as the NHWC output gradient of the equivalent
    // 1x1 convolution, channel (i, j, oc).
    const memory::desc d_md({n_, kk_oc, h_, w_}, act_dt, tag::nhwc);
    d_ = plan.backward_buffer(d_md);
    regroup_ = dnnl::reorder(
        dnnl::reorder::primitive_desc(engine, output_as_patches(act_dt), engine, patches_5d(act_dt)));
    diff_dst_view_ = View(plan.values[output].diff, output_as_patches(act_dt));
    d_as_5d_ = View(d_, patches_5d(act_dt));

    if (plan.values[inputs[0]].needs_grad) {
      // Input gradient [pixels, IC] = D [pixels, k*k*OC] x W' [k*k*OC, IC].
      const memory::desc in_md(plan.values[inputs[0]].md.dims(), act_dt, tag::nhwc);
      sink_.init(plan, inputs[0], in_md, accumulate[0]);
      const memory::desc d_2d({pixels, kk_oc}, act_dt, tag::ab), w_2d({kk_oc, ic_}, act_dt, tag::ab),
          diff_src_2d({pixels, ic_}, act_dt, tag::ab);
      const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(d_2d, w_2d, diff_src_2d), plan.attr(), engine);
      bwd_data_ = dnnl::matmul(pd);
      master_bwd_w_ = plan.wrap(master_ijoi, plan.params.values[weight_].data());
      bwd_w_ = plan.backward_buffer(memory::desc({k_, k_, oc_, ic_}, act_dt, tag::abcd));
      bwd_w_reorder_ = dnnl::reorder(master_bwd_w_, bwd_w_);
      d_as_2d_ = View(d_, d_2d);
      bwd_w_as_2d_ = View(bwd_w_, w_2d);
      diff_src_as_2d_ = View(sink_.target(), diff_src_2d);
      plan.add_scratchpad(pd.scratchpad_desc(), bwd_data_args_);
    }

    // Weight and bias gradients of the equivalent 1x1 convolution (fp32, also in bf16).
    const memory::desc src_md(plan.values[inputs[0]].md.dims(), act_dt, tag::nhwc);
    const memory::desc wdims_any({kk_oc, ic_, 1, 1}, act_dt, tag::any), dw_any({kk_oc, ic_, 1, 1}, dt::f32, tag::any);
    const memory::desc bias_md({kk_oc}, dt::f32, tag::x), none;
    const dims one{1, 1}, zero{0, 0};
    const dnnl::convolution_forward::primitive_desc hint(
        dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, src_md,
                                        wdims_any, bias_md, d_md, one, zero, zero),
        engine);
    const dnnl::convolution_backward_weights::primitive_desc pd(
        dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, src_md, dw_any,
                                                 bias_ >= 0 ? bias_md : none, d_md, one, zero, zero),
        plan.attr(), engine, hint);
    bwd_weights_ = dnnl::convolution_backward_weights(pd);
    const memory::desc dw_plain({k_, k_, oc_, ic_}, dt::f32, tag::abcd);
    const memory::desc dw_oihw({kk_oc, ic_, 1, 1}, dt::f32, tag::oihw);  // the same bytes as dw_plain
    dw_ = plan.backward_buffer(pd.diff_weights_desc());
    if (pd.diff_weights_desc() != dw_oihw) {
      dw_plain_ = plan.backward_buffer(dw_plain);
      dw_to_plain_ = dnnl::reorder(dnnl::reorder::primitive_desc(engine, pd.diff_weights_desc(), engine, dw_oihw));
      dw_plain_as_oihw_ = View(dw_plain_, dw_oihw);
    } else {
      dw_plain_ = dw_;
    }
    master_dw_ = plan.wrap(master_ijoi, plan.params.grads[weight_].data());
    dw_to_master_ = dnnl::reorder(dnnl::reorder::primitive_desc(engine, dw_plain, engine, master_dw_.get_desc()));
    dw_plain_as_4d_ = View(dw_plain_, dw_plain);
    bwd_weights_args_ = {{DNNL_ARG_DIFF_WEIGHTS, dw_}};
    if (bias_ >= 0) {
      db_.resize(static_cast<size_t>(kk_oc));
      bwd_weights_args_[DNNL_ARG_DIFF_BIAS] = plan.wrap(bias_md, db_.data());
    }
    plan.add_scratchpad(pd.scratchpad_desc(), bwd_weights_args_);
    d_as_nhwc_ = View(d_, d_md);
  }

  void backward(Plan& plan) override {
    plan.exec(regroup_, {{DNNL_ARG_FROM, diff_dst_view_.get()}, {DNNL_ARG_TO, d_as_5d_.get()}});

    bwd_weights_args_[DNNL_ARG_SRC] = src_.current();
    bwd_weights_args_[DNNL_ARG_DIFF_DST] = d_as_nhwc_.get();
    plan.exec(bwd_weights_, bwd_weights_args_);
    if (dw_to_plain_) plan.exec(dw_to_plain_, {{DNNL_ARG_FROM, dw_}, {DNNL_ARG_TO, dw_plain_as_oihw_.get()}});
    plan.exec(dw_to_master_, {{DNNL_ARG_FROM, dw_plain_as_4d_.get()}, {DNNL_ARG_TO, master_dw_}});
    if (bias_ >= 0) {
      // The 1x1 convolution has k*k copies of each output channel's bias.
      plan.context.stream.wait();
      float* grad = plan.params.grads[bias_].data();
      for (int64_t oc = 0; oc < oc_; ++oc) {
        float sum = 0;
        for (int64_t tap = 0; tap < k_ * k_; ++tap) sum += db_[static_cast<size_t>(tap * oc_ + oc)];
        grad[oc] = sum;
      }
    }

    if (bwd_data_) {
      plan.exec(bwd_w_reorder_, {{DNNL_ARG_FROM, master_bwd_w_}, {DNNL_ARG_TO, bwd_w_}});
      bwd_data_args_[DNNL_ARG_SRC] = d_as_2d_.get();
      bwd_data_args_[DNNL_ARG_WEIGHTS] = bwd_w_as_2d_.get();
      bwd_data_args_[DNNL_ARG_DST] = diff_src_as_2d_.get();
      plan.exec(bwd_data_, bwd_data_args_);
      sink_.flush(plan);
    }
  }

 private:
  void derive_forward_weights(Plan& plan) {
    plan.exec(fwd_w_reorder_, {{DNNL_ARG_FROM, master_fwd_w_}, {DNNL_ARG_TO, fwd_w_}});
    if (bias_ < 0) return;
    // The matmul's columns are (j, oc) or (i, j, oc): a copy of the bias per tap.
    const float* b = plan.params.values[bias_].data();
    for (size_t at = 0; at < fwd_b_.size(); at += static_cast<size_t>(oc_)) std::copy(b, b + oc_, fwd_b_.data() + at);
  }

  // Pixel patches [N*H, W, i, j, OC] (row-major: each pixel's k x k x OC
  // patch in a row), and the NHWC output (or its gradient) seen in the same
  // shape, pixel (y, x)'s patch being output rows k*y+i, columns k*x+j.
  memory::desc patches_5d(dt type) const { return memory::desc({n_ * h_, w_, k_, k_, oc_}, type, tag::abcde); }
  memory::desc output_as_patches(dt type) const {
    const int64_t out_w = k_ * w_;
    return memory::desc({n_ * h_, w_, k_, k_, oc_}, type, dims{k_ * out_w * oc_, k_ * oc_, out_w * oc_, oc_, 1});
  }

  const int64_t k_, n_, ic_, h_, w_, oc_;
  int weight_ = -1, bias_ = -1;

  SourceView src_;
  View src_view_, dst_view_, fwd_w_as_matmul_;
  dnnl::primitive fwd_, fwd_w_reorder_;
  dnnl::primitive scatter_;  // narrow inputs: patches -> output
  View patches_as_5d_, output_as_patches_;
  memory master_fwd_w_, fwd_w_;
  std::vector<float> fwd_b_;
  Args fwd_args_;

  memory d_;
  View diff_dst_view_, d_as_5d_, d_as_2d_, d_as_nhwc_;
  dnnl::primitive regroup_;

  dnnl::primitive bwd_data_, bwd_w_reorder_;
  memory master_bwd_w_, bwd_w_;
  View bwd_w_as_2d_, diff_src_as_2d_;
  DiffSink sink_;
  Args bwd_data_args_;

  dnnl::primitive bwd_weights_, dw_to_plain_, dw_to_master_;
  memory dw_, dw_plain_, master_dw_;
  View dw_plain_as_oihw_, dw_plain_as_4d_;
  std::vector<float> db_;
  Args bwd_weights_args_;
};

}  // namespace

bool runs_as_upconv(const Node& conv, const Shape& in_shape, const Shape& out_shape) {
  const auto& a = conv.attrs;
  return conv.op == Op::conv_transpose2d && a.groups == 1 && a.kernel == a.stride && a.padding == 0 &&
         a.dilation == 1 && out_shape[2] == in_shape[2] * a.kernel && out_shape[3] == in_shape[3] * a.kernel;
}

std::unique_ptr<Layer> make_upconv_layer(Plan& plan, const Node& conv, const Node* act, int input,
                                         const Shape& in_shape, const Shape& out_shape) {
  return std::make_unique<UpConvLayer>(plan, conv, act, input, in_shape, out_shape);
}

}  // namespace seglab::onednn_backend
