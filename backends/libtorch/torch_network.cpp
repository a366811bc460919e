#include "backends/libtorch/torch_network.h"

#include <ATen/core/grad_mode.h>
#include <c10/core/Event.h>
#include <c10/core/InferenceMode.h>
#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <torch/csrc/autograd/autograd.h>

#include <chrono>
#include <thread>

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
      // weight gradients on the CPU are inaccurate (docs/backends.md).
      channels_last_(options.layout == "nhwc" || (options.layout == "auto" && device.is_cuda())),
      autocast_dtype_(options.precision == "fp16"   ? at::kHalf
                      : options.precision == "bf16" ? at::kBFloat16
                                                    : at::kFloat) {
  if (options.precision == "fp16") scaler_ = std::make_unique<LossScaler>(device_);
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
  std::vector<int> readers(graph_.nodes().size(), 0);
  for (const auto& node : graph_.nodes())
    for (int in : node.inputs) {
      last_use_[in] = node.id;
      ++readers[in];
    }
  for (int out : graph_.outputs()) last_use_[out] = static_cast<int>(graph_.nodes().size());
  bn_of_conv_.assign(graph_.nodes().size(), -1);
  if (device_.is_cuda())
    for (const auto& node : graph_.nodes())
      if (node.op == Op::batch_norm && graph_.node(node.inputs[0]).op == Op::conv2d && readers[node.inputs[0]] == 1 &&
          last_use_[node.inputs[0]] == node.id)
        bn_of_conv_[node.inputs[0]] = node.id;
}

const std::pair<at::Tensor, at::Tensor>& TorchNetwork::folded_conv(const Node& conv) {
  if (folded_version_ != weights_version_) {
    folded_.clear();
    folded_version_ = weights_version_;
  }
  auto it = folded_.find(conv.id);
  if (it != folded_.end()) return it->second;
  const Node& bn = graph_.node(bn_of_conv_[conv.id]);
  const at::Tensor& weight = params_[conv.params[0]];
  const at::Tensor& gamma = params_[bn.params[0]];
  const at::Tensor& beta = params_[bn.params[1]];
  const at::Tensor& mean = params_[bn.params[2]];
  const at::Tensor& var = params_[bn.params[3]];
  const at::Tensor scale = gamma / at::sqrt(var + bn.attrs.eps);
  const at::Tensor bias = conv.params.size() > 1 ? params_[conv.params[1]] : at::zeros_like(mean);
  const at::Tensor folded_weight = weight * scale.reshape({-1, 1, 1, 1});
  const at::Tensor folded_bias = beta + (bias - mean) * scale;
  return folded_.emplace(conv.id, std::make_pair(folded_weight.detach(), folded_bias.detach())).first->second;
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
        if (!training && bn_of_conv_[node.id] >= 0 && !keep[node.id]) {
          const auto& [weight, bias] = folded_conv(node);
          y = at::conv2d(in(0), weight, bias, {a.stride, a.stride}, {a.padding, a.padding}, {a.dilation, a.dilation},
                         a.groups);
        } else {
          y = at::conv2d(in(0), param(0), node.params.size() > 1 ? param(1) : at::Tensor(), {a.stride, a.stride},
                         {a.padding, a.padding}, {a.dilation, a.dilation}, a.groups);
        }
        break;
      case Op::conv_transpose2d:
        y = at::conv_transpose2d(in(0), param(0), node.params.size() > 1 ? param(1) : at::Tensor(),
                                 {a.stride, a.stride}, {a.padding, a.padding}, {0, 0}, a.groups,
                                 {a.dilation, a.dilation});
        break;
      case Op::batch_norm:
        if (!training && bn_of_conv_[node.inputs[0]] == node.id && !keep[node.inputs[0]]) {
          y = in(0);  // folded into the convolution
          break;
        }
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

at::Tensor TorchNetwork::queue_step(const Tensor& images, const Tensor& targets, double lr) {
  ++weights_version_;  // the step changes weights and batch-norm statistics
  const at::Tensor x = to_device_images(images);
  const at::Tensor t = to_torch(targets, device_);
  optimizer_->zero_grad();
  std::vector<at::Tensor> outputs;
  {
    AutocastScope autocast(device_.type(), autocast_dtype_);
    outputs = forward(x, /*training=*/true, graph_.outputs());
  }
  // Losses in fp32 whatever the precision, as under torch.autocast.
  at::Tensor loss = compute_loss(options_.loss, outputs[0].to(at::kFloat), t);
  for (size_t i = 1; i < outputs.size(); ++i) loss = loss + compute_loss(options_.loss, outputs[i].to(at::kFloat), t);
  if (outputs.size() > 1) loss = loss / static_cast<double>(outputs.size());
  if (!scaler_) {
    loss.backward();
    optimizer_->step(lr);
    return loss.detach();
  }
  scaler_->scale(loss).backward();
  std::vector<at::Tensor> gradients;
  for (size_t i = 0; i < params_.size(); ++i)
    if (graph_.params()[i].trainable && params_[i].grad().defined()) gradients.push_back(params_[i].grad());
  // A step whose gradients overflowed in fp16 is skipped, as GradScaler does.
  if (scaler_->unscale(gradients)) optimizer_->step(lr);
  scaler_->update();
  return loss.detach();
}

float TorchNetwork::train_step(const Tensor& images, const Tensor& targets, double lr) {
  return queue_step(images, targets, lr).item<float>();
}

std::function<float()> TorchNetwork::queue_train_step(const Tensor& images, const Tensor& targets, double lr) {
  const at::Tensor loss = queue_step(images, targets, lr);
  if (device_.is_cpu()) {
    const float value = loss.item<float>();
    return [value] { return value; };
  }
  // The loss goes to pinned host memory behind the step's work; the reader
  // waits on an event recorded there, so it waits for this step only, not for
  // a later one queued meanwhile (as loss.item() would).
  at::Tensor host = at::empty({1}, at::TensorOptions().dtype(at::kFloat).pinned_memory(true));
  host.copy_(loss.reshape({1}), /*non_blocking=*/true);
  auto done = std::make_shared<c10::Event>(device_.type());
  done->record(c10::impl::getDeviceGuardImpl(device_.type())->getStream(device_));
  return [done, host] {
    while (!done->query()) std::this_thread::sleep_for(std::chrono::microseconds(20));
    return host.data_ptr<float>()[0];
  };
}

at::Tensor TorchNetwork::inference_logits(const Tensor& images) {
  AutocastScope autocast(device_.type(), autocast_dtype_);
  return forward(to_device_images(images), /*training=*/false, {graph_.outputs().front()})[0].to(at::kFloat);
}

Tensor TorchNetwork::predict(const Tensor& images) {
  c10::InferenceMode inference;
  const at::Tensor logits = inference_logits(images);
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
  return from_torch(inference_logits(images).contiguous());
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
  ++weights_version_;
  at::NoGradGuard no_grad;
  for (size_t i = 0; i < params_.size(); ++i)
    params_[i].copy_(to_torch(weights.at(graph_.params()[i].name), device_));
}

NamedTensors TorchNetwork::optimizer_state() const { return optimizer_->state(); }

void TorchNetwork::load_optimizer_state(const NamedTensors& state) { optimizer_->load_state(state); }

}  // namespace seglab::torch_backend
