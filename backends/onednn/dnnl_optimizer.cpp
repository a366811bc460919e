#include "backends/onednn/dnnl_optimizer.h"

#include <cmath>

#include "core/error.h"

namespace seglab::onednn_backend {

Optimizer::Optimizer(OptimizerSpec spec, std::vector<std::string> names, std::vector<std::vector<float>*> values,
                     std::vector<std::vector<float>*> grads, std::vector<Shape> shapes)
    : spec_(std::move(spec)),
      names_(std::move(names)),
      values_(std::move(values)),
      grads_(std::move(grads)),
      shapes_(std::move(shapes)),
      first_(names_.size()),
      second_(names_.size()) {
  if (spec_.name != "sgd" && spec_.name != "adam" && spec_.name != "adamw")
    throw BackendError("optimizer '" + spec_.name + "' is not implemented by the onednn backend", "train.optimizer");
}

void Optimizer::step(double lr) {
  ++steps_;
  const bool sgd = spec_.name == "sgd";
  const bool decoupled = spec_.name == "adamw";
  const float wd = static_cast<float>(spec_.weight_decay);
  // The same float arithmetic, in the same order, as the tensor ops of torch_optimizer.cpp.
  const float decay = static_cast<float>(1.0 - lr * spec_.weight_decay);
  const float momentum = static_cast<float>(spec_.momentum);
  const float beta1 = static_cast<float>(spec_.beta1), beta2 = static_cast<float>(spec_.beta2);
  const float one_minus_beta1 = static_cast<float>(1.0 - spec_.beta1);
  const float one_minus_beta2 = static_cast<float>(1.0 - spec_.beta2);
  const double correction1 = 1.0 - std::pow(spec_.beta1, static_cast<double>(steps_));
  const double correction2 = 1.0 - std::pow(spec_.beta2, static_cast<double>(steps_));
  const float sqrt_correction2 = static_cast<float>(std::sqrt(correction2));
  const float step_size = static_cast<float>(-lr / correction1);
  const float eps = static_cast<float>(spec_.eps);
  const float neg_lr = static_cast<float>(-lr);
  for (size_t i = 0; i < values_.size(); ++i) {
    std::vector<float>& p = *values_[i];
    const std::vector<float>& grad = *grads_[i];
    const int64_t n = static_cast<int64_t>(p.size());
    std::vector<float>& m = first_[i];
    std::vector<float>& v = second_[i];
    const bool fresh = m.empty();
    if (fresh) m.assign(p.size(), 0.0f);
    if (!sgd && v.empty()) v.assign(p.size(), 0.0f);
#pragma omp parallel for if (n > 32768)
    for (int64_t j = 0; j < n; ++j) {
      float g = grad[j];
      if (decoupled)
        p[j] *= decay;
      else if (wd != 0.0f)
        g = g + wd * p[j];
      if (sgd) {
        if (momentum != 0.0f) {
          m[j] = fresh ? g : m[j] * momentum + g;
          g = m[j];
        }
        p[j] += neg_lr * g;
        continue;
      }
      m[j] = m[j] * beta1 + one_minus_beta1 * g;
      v[j] = v[j] * beta2 + one_minus_beta2 * g * g;
      const float denominator = std::sqrt(v[j]) / sqrt_correction2 + eps;
      p[j] += step_size * (m[j] / denominator);
    }
    if (sgd && momentum == 0.0f) m.clear();
  }
}

NamedTensors Optimizer::state() const {
  NamedTensors out;
  const std::string first_slot = spec_.name == "sgd" ? "momentum_buffer" : "exp_avg";
  for (size_t i = 0; i < names_.size(); ++i) {
    if (!first_[i].empty()) out[names_[i] + "." + first_slot] = Tensor(shapes_[i], first_[i]);
    if (!second_[i].empty()) out[names_[i] + ".exp_avg_sq"] = Tensor(shapes_[i], second_[i]);
  }
  out["step"] = Tensor({}, static_cast<float>(steps_));
  return out;
}

void Optimizer::load_state(const NamedTensors& state) {
  const std::string first_slot = spec_.name == "sgd" ? "momentum_buffer" : "exp_avg";
  auto step = state.find("step");
  if (step == state.end()) throw BackendError("optimizer state has no 'step' entry", "optimizer state");
  for (size_t i = 0; i < names_.size(); ++i) {
    auto load = [&](const std::string& slot, std::vector<float>& target) {
      auto it = state.find(names_[i] + "." + slot);
      if (it == state.end()) {
        target.clear();
        return;
      }
      if (it->second.shape() != shapes_[i])
        throw BackendError("optimizer state " + it->first + " has shape " + shape_to_string(it->second.shape()) +
                               ", expected " + shape_to_string(shapes_[i]),
                           "optimizer state");
      target = it->second.values();
    };
    load(first_slot, first_[i]);
    if (spec_.name != "sgd") load("exp_avg_sq", second_[i]);
  }
  steps_ = static_cast<int64_t>(std::llround(step->second[0]));
}

}  // namespace seglab::onednn_backend
