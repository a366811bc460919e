#pragma once
// SGD with momentum, Adam and AdamW on the fp32 master weights (internal to this
// folder; no oneDNN types). The update rules and the state names
// ("<param>.momentum_buffer", ".exp_avg", ".exp_avg_sq", "step") are those of the
// LibTorch backend's torch_optimizer.cpp, so state moves between the backends.
#include <functional>
#include <string>
#include <vector>

#include "backends/backend.h"

namespace seglab::onednn_backend {

class Optimizer {
 public:
  // `values` and `grads` are the parameters and gradients of `names`, by index.
  Optimizer(OptimizerSpec spec, std::vector<std::string> names, std::vector<std::vector<float>*> values,
            std::vector<std::vector<float>*> grads, std::vector<Shape> shapes);

  void step(double lr);

  // A vector in the stored layout of the optimizer's parameter i turned into
  // PyTorch's layout, or back: the state is kept in the parameter's layout,
  // which the network may change (ParamStore::adopt_layout).
  using Relayout = std::function<std::vector<float>(size_t i, const std::vector<float>&)>;
  NamedTensors state(const Relayout& to_plain) const;
  void load_state(const NamedTensors& state, const Relayout& from_plain);

 private:
  OptimizerSpec spec_;
  std::vector<std::string> names_;
  std::vector<std::vector<float>*> values_, grads_;
  std::vector<Shape> shapes_;
  std::vector<std::vector<float>> first_;   // momentum_buffer (sgd) or exp_avg (adam); empty = none yet
  std::vector<std::vector<float>> second_;  // exp_avg_sq (adam)
  int64_t steps_ = 0;
};

}  // namespace seglab::onednn_backend
