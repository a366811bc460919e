#pragma once
// SGD with momentum, Adam and AdamW written with tensor ops (internal to this
// folder). seglab implements the update rules itself, exactly as PyTorch does,
// so that every backend applies the same arithmetic and the state is exported
// by parameter name.
#include <ATen/ATen.h>

#include <string>
#include <utility>
#include <vector>

#include "backends/backend.h"

namespace seglab::torch_backend {

class TorchOptimizer {
 public:
  TorchOptimizer(OptimizerSpec spec, std::vector<std::pair<std::string, at::Tensor>> params);

  void zero_grad();
  void step(double lr);

  NamedTensors state() const;
  void load_state(const NamedTensors& state);

 private:
  OptimizerSpec spec_;
  std::vector<std::string> names_;
  std::vector<at::Tensor> params_;
  std::vector<at::Tensor> first_;   // momentum_buffer (sgd) or exp_avg (adam)
  std::vector<at::Tensor> second_;  // exp_avg_sq (adam)
  int64_t steps_ = 0;
};

}  // namespace seglab::torch_backend
