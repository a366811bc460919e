#include "backends/libtorch/torch_network.h"

#include <ATen/core/grad_mode.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/autograd.h>

#include "backends/libtorch/torch_convert.h"
#include "backends/libtorch/torch_loss.h"
#include "backends/weights_fit.h"
#include "core/error.h"

namespace seglab::torch_backend {

TorchNetwork::TorchNetwork(const Graph& graph, const NamedTensors& initial_weights, const CompileOptions& options,
                           at::Device device)
    : graph_(graph),
      device_(device),
      options_(options),
      // auto: channels_last on CUDA only; LibTorch 1.13's fp32 channels_last
      // weight gradients on the CPU are inaccurate (README, oneDNN backend).
      channels_last_(options.layout == "nhwc" || (options.layout == "auto" && device.is_cuda())) {
  params_.resize(graph_.params().size());
  for (size_t i = 0; i < graph_.params().size(); ++i)
    params_[i] = at::zeros(graph_.params()[i].shape, at::TensorOptions().dtype(at::kFloat).device(device_));
  load_weights(initial_weights);

  std::vector<std::pair<std::string, at::Tensor>> trainable;
  for (size_t i = 0; i < graph_.params().size(); ++i) {
    const ParamSpec& spec = graph_.params()[i];
    if (!spec.trainable) continue;
    if (channels_last_ && params_[i].dim() == 4) params_[i] = params_[i].contiguous(at::MemoryFormat::ChannelsLast);
    params_[i].set_requires_grad(true);
    trainable.emplace_back(spec.name, params_[i]);
  }
  optimizer_ = std::make_unique<TorchOptimizer>(options_.optimizer, std::move(trainable));

  last_use_.assign(graph_.nodes().size(), -1);
  for (const auto& node : graph_.nodes())
    for (int in : node.inputs) last_use_[in] = node.id;
  for (int out : graph_.outputs()) last_use_[out] = static_cast<int>(graph_.nodes().size());
}

std::vector<at::Tensor> TorchNetwork::forward(const at::Tensor& input, bool training, const std::vector<int>& wanted) {
  std::vector<at::Tensor> values(graph_.nodes().size());
  std::vector<bool> keep(graph_.nodes().size(), false);
  for (int node : wanted) keep.at(static_cast<size_t>(node)) = true;
  for (const auto& node : graph_.nodes()) {
    const auto& a = node.attrs;
    auto in = [&](size_t k) -> const at::Tensor& { return values[node.inputs[k]]; };
    auto param = [&](size_t k) -> const at::Tensor& { return params_[node.params[k]]; };
    at::Tensor y;
    switch (node.op) {
      case Op::input: y = input; break;
      case Op::conv2d:
        y = at::conv2d(in(0), param(0), node.params.size() > 1 ? param(1) : at::Tensor(), {a.stride, a.stride},
                       {a.padding, a.padding}, {a.dilation, a.dilation}, a.groups);
        break;
      case Op::conv_transpose2d:
        y = at::conv_transpose2d(in(0), param(0), node.params.size() > 1 ? param(1) : at::Tensor(),
                                 {a.stride, a.stride}, {a.padding, a.padding}, {0, 0}, a.groups,
                                 {a.dilation, a.dilation});
        break;
      case Op::batch_norm:
        y = at::batch_norm(in(0), param(0), param(1), param(2), param(3), training, a.momentum, a.eps,
                           /*cudnn_enabled=*/true);
        if (training) {
          at::NoGradGuard no_grad;
          params_[node.params[4]].add_(1.0);
        }
        break;
      case Op::relu: y = at::relu(in(0)); break;
      case Op::relu6: y = at::hardtanh(in(0), 0.0, 6.0); break;
      case Op::silu: y = at::silu(in(0)); break;
      case Op::sigmoid: y = at::sigmoid(in(0)); break;
      case Op::max_pool: y = at::max_pool2d(in(0), {a.kernel, a.kernel}, {a.stride, a.stride}, {a.padding, a.padding}); break;
      case Op::avg_pool: y = at::avg_pool2d(in(0), {a.kernel, a.kernel}, {a.stride, a.stride}, {a.padding, a.padding}); break;
      case Op::global_avg_pool: y = at::adaptive_avg_pool2d(in(0), {1, 1}); break;
      case Op::upsample_bilinear:
        y = at::upsample_bilinear2d(in(0), {in(0).size(2) * a.scale, in(0).size(3) * a.scale}, a.align_corners);
        break;
      case Op::concat: {
        std::vector<at::Tensor> parts;
        for (int i : node.inputs) parts.push_back(values[i]);
        y = at::cat(parts, 1);
        break;
      }
      case Op::add: y = in(0) + in(1); break;
      case Op::mul: y = in(0) * in(1); break;
    }
    values[node.id] = std::move(y);
    if (!training)
      for (int i : node.inputs)
        if (last_use_[i] == node.id && !keep[i]) values[i].reset();
  }
  std::vector<at::Tensor> out;
  for (int node : wanted) out.push_back(values[node]);
  return out;
}

at::Tensor TorchNetwork::to_device_images(const Tensor& images) const {
  if (images.rank() != 4 || images.dim(1) != graph_.node(graph_.input()).channels)
    throw BackendError("expected images N x " + std::to_string(graph_.node(graph_.input()).channels) +
                           " x H x W, got " + shape_to_string(images.shape()),
                       "libtorch backend input");
  at::Tensor x = to_torch(images, device_);
  return channels_last_ ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
}

float TorchNetwork::train_step(const Tensor& images, const Tensor& targets, double lr) {
  const at::Tensor x = to_device_images(images);
  const at::Tensor t = to_torch(targets, device_);
  optimizer_->zero_grad();
  const std::vector<at::Tensor> outputs = forward(x, /*training=*/true, graph_.outputs());
  at::Tensor loss = compute_loss(options_.loss, outputs[0], t);
  for (size_t i = 1; i < outputs.size(); ++i) loss = loss + compute_loss(options_.loss, outputs[i], t);
  if (outputs.size() > 1) loss = loss / static_cast<double>(outputs.size());
  loss.backward();
  optimizer_->step(lr);
  return loss.item<float>();
}

Tensor TorchNetwork::predict(const Tensor& images) {
  c10::InferenceMode inference;
  const at::Tensor logits = forward(to_device_images(images), /*training=*/false, {graph_.outputs().front()})[0];
  return from_torch(logits.size(1) == 1 ? at::sigmoid(logits) : at::softmax(logits, 1));
}

std::vector<Tensor> TorchNetwork::node_values(const Tensor& images, const std::vector<int>& nodes) {
  for (int node : nodes)
    if (node < 0 || node >= static_cast<int>(graph_.nodes().size()))
      throw BackendError("the graph has no node " + std::to_string(node), "libtorch node_values");
  c10::InferenceMode inference;
  std::vector<Tensor> out;
  for (const at::Tensor& value : forward(to_device_images(images), /*training=*/false, nodes))
    out.push_back(from_torch(value.contiguous()));
  return out;
}

void TorchNetwork::set_frozen(const std::vector<std::string>& parameter_names) {
  std::vector<bool> frozen(graph_.params().size(), false);
  for (const auto& name : parameter_names) {
    bool found = false;
    for (size_t i = 0; i < graph_.params().size(); ++i)
      if (graph_.params()[i].name == name) frozen[i] = found = true;
    if (!found) throw BackendError("the model has no parameter '" + name + "' to freeze", "libtorch set_frozen");
  }
  // A frozen parameter gets no gradient, so the optimizer skips it and backward
  // does not compute it.
  for (size_t i = 0; i < graph_.params().size(); ++i)
    if (graph_.params()[i].trainable) params_[i].set_requires_grad(!frozen[i]);
}

Tensor TorchNetwork::logits(const Tensor& images) {
  c10::InferenceMode inference;
  return from_torch(forward(to_device_images(images), /*training=*/false, {graph_.outputs().front()})[0].contiguous());
}

NamedTensors TorchNetwork::gradients() const {
  NamedTensors out;
  for (size_t i = 0; i < params_.size(); ++i)
    if (graph_.params()[i].trainable && params_[i].grad().defined())
      out[graph_.params()[i].name] = from_torch(params_[i].grad());
  return out;
}

NamedTensors TorchNetwork::weights() const {
  NamedTensors out;
  for (size_t i = 0; i < params_.size(); ++i) out[graph_.params()[i].name] = from_torch(params_[i]);
  return out;
}

void TorchNetwork::load_weights(const NamedTensors& weights) {
  check_weights_fit(graph_, weights);
  at::NoGradGuard no_grad;
  for (size_t i = 0; i < params_.size(); ++i)
    params_[i].copy_(to_torch(weights.at(graph_.params()[i].name), device_));
}

NamedTensors TorchNetwork::optimizer_state() const { return optimizer_->state(); }

void TorchNetwork::load_optimizer_state(const NamedTensors& state) { optimizer_->load_state(state); }

}  // namespace seglab::torch_backend
