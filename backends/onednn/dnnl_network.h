#pragma once
// A graph run on oneDNN primitives on the CPU (internal to this folder). Keeps
// the fp32 master weights by graph parameter, compiles one Plan per input shape
// and mode on first use and reuses it for every later step. Weights,
// gradients and optimizer state leave and enter in PyTorch's layout, whatever
// layout the store keeps them in.
#include <map>
#include <memory>
#include <tuple>

#include "backends/onednn/dnnl_optimizer.h"
#include "backends/onednn/dnnl_plan.h"

namespace seglab::onednn_backend {

class DnnlNetwork final : public Network {
 public:
  DnnlNetwork(const Graph& graph, const NamedTensors& initial_weights, const CompileOptions& options);

  float train_step(const Tensor& images, const Tensor& targets, double lr) override;
  Tensor predict(const Tensor& images) override;
  Tensor logits(const Tensor& images) override;
  NamedTensors gradients() const override;
  NamedTensors weights() const override;
  void load_weights(const NamedTensors& weights) override;
  NamedTensors optimizer_state() const override;
  void load_optimizer_state(const NamedTensors& state) override;
  std::string device() const override { return "cpu"; }

 private:
  Plan& plan(bool training, const Tensor& images);
  // The optimizer's state with the parameters' layouts converted.
  Optimizer::Relayout optimizer_to_plain() const;
  Optimizer::Relayout optimizer_from_plain() const;

  Graph graph_;
  CompileOptions options_;
  Context context_;
  ParamStore params_;
  std::unique_ptr<Optimizer> optimizer_;
  std::vector<size_t> trainable_;  // the optimizer's parameter i is graph parameter trainable_[i]
  // (training, N, H, W) -> plan; a few shapes at most (train batch, eval batch, last batch).
  std::map<std::tuple<bool, int64_t, int64_t, int64_t>, std::unique_ptr<Plan>> plans_;
  std::vector<Tensor> logits_grads_;  // d loss / d logits, per output
};

}  // namespace seglab::onednn_backend
