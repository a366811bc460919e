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

namespace {

// One elementwise pass over a parameter, split between threads. The body is
// inlined and has no branches, so each variant below vectorizes; a loop
// choosing the variant per element did not (GCC: "control flow in loop"),
// and the update is memory-bound only once it is vectorized. Bodies capture
// by value and each thread gets its own copy (firstprivate): read through the
// shared copy, every coefficient could alias the float arrays being written,
// and the loop stayed scalar.
template <typename Body>
void for_each_element(int64_t n, Body body) {
#pragma omp parallel for firstprivate(body) if (n > 32768)
  for (int64_t j = 0; j < n; ++j) body(j);
}

struct Update {
  float* p;
  const float* grad;
  float* m;
  float* v;
  int64_t n;
};

// SGD: g = grad (+ wd * p); with momentum m = g on the first step, then
// m = m * momentum + g, and g = m; p += -lr * g.
template <bool kWeightDecay>
void sgd(const Update& u, float wd, float momentum, bool fresh, float neg_lr) {
  float* p = u.p;
  float* m = u.m;
  const float* grad = u.grad;
  auto g = [=](int64_t j) { return kWeightDecay ? grad[j] + wd * p[j] : grad[j]; };
  if (momentum == 0.0f)
    for_each_element(u.n, [=](int64_t j) { p[j] += neg_lr * g(j); });
  else if (fresh)
    for_each_element(u.n, [=](int64_t j) {
      m[j] = g(j);
      p[j] += neg_lr * m[j];
    });
  else
    for_each_element(u.n, [=](int64_t j) {
      m[j] = m[j] * momentum + g(j);
      p[j] += neg_lr * m[j];
    });
}

struct AdamTerms {
  float beta1, beta2, one_minus_beta1, one_minus_beta2, sqrt_correction2, step_size, eps;
};

// Adam (kL2: g = grad + wd * p) or AdamW (kDecoupled: p *= 1 - lr * wd first).
template <bool kL2, bool kDecoupled>
void adam(const Update& u, const AdamTerms& t, float wd, float decay) {
  for_each_element(u.n, [=, p = u.p, grad = u.grad, m = u.m, v = u.v](int64_t j) {
    if (kDecoupled) p[j] *= decay;
    const float g = kL2 ? grad[j] + wd * p[j] : grad[j];
    m[j] = m[j] * t.beta1 + t.one_minus_beta1 * g;
    v[j] = v[j] * t.beta2 + t.one_minus_beta2 * g * g;
    const float denominator = std::sqrt(v[j]) / t.sqrt_correction2 + t.eps;
    p[j] += t.step_size * (m[j] / denominator);
  });
}

}  // namespace

void Optimizer::step(double lr) {
  ++steps_;
  const bool sgd_kind = spec_.name == "sgd";
  const bool decoupled = spec_.name == "adamw";
  const float wd = static_cast<float>(spec_.weight_decay);
  // The same float arithmetic, in the same order, as the tensor ops of torch_optimizer.cpp.
  const float decay = static_cast<float>(1.0 - lr * spec_.weight_decay);
  const float momentum = static_cast<float>(spec_.momentum);
  const double correction1 = 1.0 - std::pow(spec_.beta1, static_cast<double>(steps_));
  const double correction2 = 1.0 - std::pow(spec_.beta2, static_cast<double>(steps_));
  AdamTerms terms;
  terms.beta1 = static_cast<float>(spec_.beta1);
  terms.beta2 = static_cast<float>(spec_.beta2);
  terms.one_minus_beta1 = static_cast<float>(1.0 - spec_.beta1);
  terms.one_minus_beta2 = static_cast<float>(1.0 - spec_.beta2);
  terms.sqrt_correction2 = static_cast<float>(std::sqrt(correction2));
  terms.step_size = static_cast<float>(-lr / correction1);
  terms.eps = static_cast<float>(spec_.eps);
  const float neg_lr = static_cast<float>(-lr);
  for (size_t i = 0; i < values_.size(); ++i) {
    std::vector<float>& p = *values_[i];
    std::vector<float>& m = first_[i];
    std::vector<float>& v = second_[i];
    const bool fresh = m.empty();
    if (fresh) m.assign(p.size(), 0.0f);
    if (!sgd_kind && v.empty()) v.assign(p.size(), 0.0f);
    const Update u{p.data(), grads_[i]->data(), m.data(), v.data(), static_cast<int64_t>(p.size())};
    if (sgd_kind) {
      if (wd != 0.0f)
        sgd<true>(u, wd, momentum, fresh, neg_lr);
      else
        sgd<false>(u, wd, momentum, fresh, neg_lr);
      if (momentum == 0.0f) m.clear();
    } else if (decoupled) {
      adam<false, true>(u, terms, wd, decay);
    } else if (wd != 0.0f) {
      adam<true, false>(u, terms, wd, decay);
    } else {
      adam<false, false>(u, terms, wd, decay);
    }
  }
}

NamedTensors Optimizer::state(const Relayout& to_plain) const {
  NamedTensors out;
  const std::string first_slot = spec_.name == "sgd" ? "momentum_buffer" : "exp_avg";
  for (size_t i = 0; i < names_.size(); ++i) {
    if (!first_[i].empty()) out[names_[i] + "." + first_slot] = Tensor(shapes_[i], to_plain(i, first_[i]));
    if (!second_[i].empty()) out[names_[i] + ".exp_avg_sq"] = Tensor(shapes_[i], to_plain(i, second_[i]));
  }
  out["step"] = Tensor({}, static_cast<float>(steps_));
  return out;
}

void Optimizer::load_state(const NamedTensors& state, const Relayout& from_plain) {
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
      target = from_plain(i, it->second.values());
    };
    load(first_slot, first_[i]);
    if (spec_.name != "sgd") load("exp_avg_sq", second_[i]);
  }
  steps_ = static_cast<int64_t>(std::llround(step->second[0]));
}

}  // namespace seglab::onednn_backend
