#include "backends/libtorch/torch_optimizer.h"

#include <ATen/core/grad_mode.h>

#include <cmath>

#include "backends/libtorch/torch_convert.h"
#include "core/error.h"

namespace seglab::torch_backend {

TorchOptimizer::TorchOptimizer(OptimizerSpec spec, std::vector<std::pair<std::string, at::Tensor>> params)
    : spec_(std::move(spec)) {
  if (spec_.name != "sgd" && spec_.name != "adam" && spec_.name != "adamw")
    throw BackendError("optimizer '" + spec_.name + "' is not implemented by the libtorch backend");
  for (auto& [name, tensor] : params) {
    names_.push_back(name);
    params_.push_back(tensor);
  }
  first_.resize(params_.size());
  second_.resize(params_.size());
}

void TorchOptimizer::zero_grad() {
  for (auto& p : params_)
    if (p.grad().defined()) p.mutable_grad().reset();
}

void TorchOptimizer::step(double lr) {
  at::NoGradGuard no_grad;
  ++steps_;
  // All parameters with a gradient this step are updated together with
  // LibTorch's _foreach ops: on CUDA one multi-tensor kernel per operation
  // rather than one per parameter (a ResNet-34 U-Net has over a hundred, so
  // the host would otherwise spend milliseconds a step launching kernels). On
  // the CPU they run the per-tensor ops, so the arithmetic is unchanged.
  std::vector<at::Tensor> p, g;
  std::vector<size_t> index;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!params_[i].grad().defined()) continue;  // frozen or unused this step
    p.push_back(params_[i]);
    g.push_back(params_[i].grad());
    index.push_back(i);
  }
  if (p.empty()) return;
  if (spec_.name == "adamw") {
    at::_foreach_mul_(p, 1.0 - lr * spec_.weight_decay);
  } else if (spec_.weight_decay != 0.0) {
    g = at::_foreach_add(g, p, spec_.weight_decay);
  }
  if (spec_.name == "sgd") {
    if (spec_.momentum != 0.0) {
      std::vector<at::Tensor> buffers, grads;
      for (size_t k = 0; k < index.size(); ++k) {
        at::Tensor& buffer = first_[index[k]];
        if (!buffer.defined()) {
          buffer = g[k].clone();  // the first step's buffer is the gradient itself
        } else {
          buffers.push_back(buffer);
          grads.push_back(g[k]);
        }
        g[k] = buffer;
      }
      if (!buffers.empty()) {
        at::_foreach_mul_(buffers, spec_.momentum);
        at::_foreach_add_(buffers, grads);
      }
    }
    at::_foreach_add_(p, g, -lr);
    return;
  }
  std::vector<at::Tensor> m, v;
  for (size_t i : index) {
    if (!first_[i].defined()) {
      first_[i] = at::zeros_like(params_[i]);
      second_[i] = at::zeros_like(params_[i]);
    }
    m.push_back(first_[i]);
    v.push_back(second_[i]);
  }
  at::_foreach_mul_(m, spec_.beta1);
  at::_foreach_add_(m, g, 1.0 - spec_.beta1);
  at::_foreach_mul_(v, spec_.beta2);
  at::_foreach_addcmul_(v, g, g, 1.0 - spec_.beta2);
  const double correction1 = 1.0 - std::pow(spec_.beta1, static_cast<double>(steps_));
  const double correction2 = 1.0 - std::pow(spec_.beta2, static_cast<double>(steps_));
  std::vector<at::Tensor> denominator = at::_foreach_sqrt(v);
  at::_foreach_div_(denominator, std::sqrt(correction2));
  at::_foreach_add_(denominator, spec_.eps);
  at::_foreach_addcdiv_(p, m, denominator, -lr / correction1);
}

NamedTensors TorchOptimizer::state() const {
  NamedTensors out;
  const std::string first_slot = spec_.name == "sgd" ? "momentum_buffer" : "exp_avg";
  for (size_t i = 0; i < params_.size(); ++i) {
    if (first_[i].defined()) out[names_[i] + "." + first_slot] = from_torch(first_[i]);
    if (second_[i].defined()) out[names_[i] + ".exp_avg_sq"] = from_torch(second_[i]);
  }
  out["step"] = Tensor({}, static_cast<float>(steps_));
  return out;
}

void TorchOptimizer::load_state(const NamedTensors& state) {
  const std::string first_slot = spec_.name == "sgd" ? "momentum_buffer" : "exp_avg";
  auto step = state.find("step");
  if (step == state.end()) throw BackendError("optimizer state has no 'step' entry", "optimizer state");
  for (size_t i = 0; i < params_.size(); ++i) {
    const auto device = params_[i].device();
    auto load = [&](const std::string& slot, at::Tensor& target) {
      auto it = state.find(names_[i] + "." + slot);
      if (it == state.end()) {
        target = at::Tensor();
        return;
      }
      if (Shape(params_[i].sizes().begin(), params_[i].sizes().end()) != it->second.shape())
        throw BackendError("optimizer state " + it->first + " has shape " + shape_to_string(it->second.shape()),
                           "optimizer state");
      target = to_torch(it->second, device);
    };
    load(first_slot, first_[i]);
    if (spec_.name != "sgd") load("exp_avg_sq", second_[i]);
  }
  steps_ = static_cast<int64_t>(std::llround(step->second[0]));
}

}  // namespace seglab::torch_backend
