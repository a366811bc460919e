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
  const bool sgd = spec_.name == "sgd";
  const bool decoupled = spec_.name == "adamw";
  for (size_t i = 0; i < params_.size(); ++i) {
    at::Tensor& p = params_[i];
    if (!p.grad().defined()) continue;  // frozen or unused this step
    at::Tensor g = p.grad();
    if (decoupled) {
      p.mul_(1.0 - lr * spec_.weight_decay);
    } else if (spec_.weight_decay != 0.0) {
      g = g.add(p, spec_.weight_decay);
    }
    if (sgd) {
      if (spec_.momentum != 0.0) {
        if (!first_[i].defined())
          first_[i] = g.clone();
        else
          first_[i].mul_(spec_.momentum).add_(g);
        g = first_[i];
      }
      p.add_(g, -lr);
      continue;
    }
    if (!first_[i].defined()) {
      first_[i] = at::zeros_like(p);
      second_[i] = at::zeros_like(p);
    }
    first_[i].mul_(spec_.beta1).add_(g, 1.0 - spec_.beta1);
    second_[i].mul_(spec_.beta2).addcmul_(g, g, 1.0 - spec_.beta2);
    const double correction1 = 1.0 - std::pow(spec_.beta1, static_cast<double>(steps_));
    const double correction2 = 1.0 - std::pow(spec_.beta2, static_cast<double>(steps_));
    const auto denominator = (second_[i].sqrt() / std::sqrt(correction2)).add_(spec_.eps);
    p.addcdiv_(first_[i], denominator, -lr / correction1);
  }
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
