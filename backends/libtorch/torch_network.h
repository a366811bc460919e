#pragma once
// A graph interpreted with LibTorch ops and autograd (internal to this folder).
#include <ATen/ATen.h>

#include <memory>
#include <vector>

#include "backends/backend.h"
#include "backends/libtorch/torch_optimizer.h"

namespace seglab::torch_backend {

class TorchNetwork final : public Network {
 public:
  TorchNetwork(const Graph& graph, const NamedTensors& initial_weights, const CompileOptions& options,
               at::Device device);

  float train_step(const Tensor& images, const Tensor& targets, double lr) override;
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

  Graph graph_;
  at::Device device_;
  CompileOptions options_;
  bool channels_last_;
  std::vector<at::Tensor> params_;  // by graph parameter index
  std::vector<int> last_use_;       // per node: index of the last node reading it
  std::unique_ptr<TorchOptimizer> optimizer_;
};

}  // namespace seglab::torch_backend
