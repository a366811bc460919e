#pragma once
// A graph interpreted with LibTorch ops and autograd (internal to this folder).
#include <ATen/ATen.h>

#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "backends/backend.h"
#include "backends/libtorch/torch_amp.h"
#include "backends/libtorch/torch_optimizer.h"

namespace seglab::torch_backend {

class TorchNetwork final : public Network {
 public:
  TorchNetwork(const Graph& graph, const NamedTensors& initial_weights, const CompileOptions& options,
               at::Device device);

  float train_step(const Tensor& images, const Tensor& targets, double lr) override;
  std::function<float()> queue_train_step(const Tensor& images, const Tensor& targets, double lr) override;
  Tensor predict(const Tensor& images) override;
  Tensor logits(const Tensor& images) override;
  NamedTensors gradients() const override;
  NamedTensors weights() const override;
  void load_weights(const NamedTensors& weights) override;
  NamedTensors optimizer_state() const override;
  void load_optimizer_state(const NamedTensors& state) override;
  std::string device() const override { return device_.str(); }
  std::vector<Tensor> node_values(const Tensor& images, const std::vector<int>& nodes) override;
  void set_frozen(const std::vector<std::string>& parameter_names) override;

 private:
  // Runs the graph and returns the values of `wanted` nodes; in inference,
  // other intermediate values are released after their last use.
  std::vector<at::Tensor> forward(const at::Tensor& input, bool training, const std::vector<int>& wanted);
  at::Tensor to_device_images(const Tensor& images) const;
  // Queues forward, loss, backward and the optimizer step; returns the loss
  // (fp32, on the device) without waiting for it, except under fp16, where the
  // loss scaler reads whether the gradients are finite.
  at::Tensor queue_step(const Tensor& images, const Tensor& targets, double lr);
  // The first output's logits in fp32, in inference mode.
  at::Tensor inference_logits(const Tensor& images);
  // The conv node's weight and bias with its batch norm folded in (inference).
  const std::pair<at::Tensor, at::Tensor>& folded_conv(const Node& conv);

  Graph graph_;
  at::Device device_;
  CompileOptions options_;
  bool channels_last_;
  std::vector<at::Tensor> params_;  // by graph parameter index
  std::vector<int> last_use_;       // per node: index of the last node reading it
  std::unique_ptr<TorchOptimizer> optimizer_;
  at::ScalarType autocast_dtype_;       // kFloat: autocast off (fp32)
  // Inference on CUDA folds each batch norm into the convolution before it
  // (the BN pass over the activations disappears). bn_of_conv_[conv node] is
  // that batch-norm node, or -1; the folded weight and bias are cached per
  // conv node until the weights change (weights_version_).
  std::vector<int> bn_of_conv_;
  std::map<int, std::pair<at::Tensor, at::Tensor>> folded_;
  int64_t weights_version_ = 0, folded_version_ = -1;
  std::unique_ptr<LossScaler> scaler_;  // fp16 only
};

}  // namespace seglab::torch_backend
