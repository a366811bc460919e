#pragma once
// Side-by-side runs of the oneDNN and LibTorch backends on the same graph,
// weights and inputs, for the parity tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "backends/backend.h"
#include "backends/training_registries.h"
#include "core/rng.h"
#include "models/graph.h"
#include "models/parameter_init.h"

namespace seglab::test {

// Largest |a - b| over the tensor, relative to the largest |b| (the tensor's
// scale), so that values near zero do not dominate: float rounding in a sum of
// many terms is relative to the terms, not to the result.
inline double scaled_difference(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(shape_to_string(a.shape()), shape_to_string(b.shape()));
  if (a.shape() != b.shape()) return 1e30;
  double diff = 0, scale = 0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    if (!std::isfinite(a[i]) || !std::isfinite(b[i])) return 1e30;
    diff = std::max(diff, std::abs(static_cast<double>(a[i]) - b[i]));
    scale = std::max(scale, std::abs(static_cast<double>(b[i])));
  }
  return diff / std::max(scale, 1e-12);
}

// The worst scaled_difference over tensors of the same names; `worst` names it.
inline double scaled_difference(const NamedTensors& a, const NamedTensors& b, std::string* worst = nullptr) {
  EXPECT_EQ(a.size(), b.size());
  double result = 0;
  for (const auto& [name, tb] : b) {
    auto it = a.find(name);
    EXPECT_NE(it, a.end()) << "missing " << name;
    if (it == a.end()) return 1e30;
    const double d = scaled_difference(it->second, tb);
    if (d > result) {
      result = d;
      if (worst) *worst = name;
    }
  }
  return result;
}

inline CompileOptions parity_options(const std::string& loss, int64_t num_classes, const std::string& optimizer = "sgd",
                                     int threads = 2) {
  CompileOptions o;
  o.device = "cpu";
  o.threads = threads;
  o.num_classes = num_classes;
  o.loss.name = loss;
  o.optimizer.name = optimizer;
  o.optimizer.weight_decay = optimizer == "adamw" ? 0.01 : 0.0;
  return o;
}

inline std::unique_ptr<Network> compile_with(const std::string& backend, const Graph& graph, const NamedTensors& weights,
                                             const CompileOptions& options) {
  register_backends();
  return backend_registry().factory(backend, "backend.name")()->compile(graph, weights, options);
}

// Default initial weights with batch-norm statistics and affine terms moved
// away from 1 and 0, so folding and normalisation are exercised.
inline NamedTensors varied_weights(const Graph& graph, uint64_t seed) {
  NamedTensors w = initialize_parameters(graph, seed);
  Rng rng(seed + 1000);
  for (const auto& spec : graph.params()) {
    Tensor& t = w.at(spec.name);
    switch (spec.kind) {
      case ParamKind::running_var:
        for (auto& v : t.values()) v = static_cast<float>(rng.uniform(0.5, 2.0));
        break;
      case ParamKind::running_mean:
        for (auto& v : t.values()) v = static_cast<float>(rng.uniform(-0.3, 0.3));
        break;
      case ParamKind::bias:
        for (auto& v : t.values()) v = static_cast<float>(rng.uniform(-0.2, 0.2));
        break;
      default:
        if (spec.shape.size() == 1)
          for (auto& v : t.values()) v = static_cast<float>(rng.uniform(0.5, 1.5));
        break;
    }
  }
  return w;
}

// varied_weights with every batch norm's shift set to 4 times its scale, so
// that a ReLU or ReLU6 after it (directly, or after a residual add) sees
// inputs about 4 standard deviations clear of its kink at 0; batch norms
// before a ReLU6 get scales in [0.5, 0.7], which keeps them below its kink at
// 6. With the random shifts of varied_weights, deep ReLU models always have a
// few pre-activations within float32 rounding of 0, where fp32 backends
// disagree on the ReLU's mask (see onednn_encoder_parity_test.cpp). Every
// channel stays active: a channel whose ReLU is always off feeds a constant
// into the next convolution and a batch norm of zero variance, whose rounding
// noise 1 / sqrt(eps) amplifies.
inline NamedTensors kink_free_weights(const Graph& graph, uint64_t seed) {
  NamedTensors w = varied_weights(graph, seed);
  std::vector<bool> before_relu6(graph.nodes().size(), false);
  for (const auto& node : graph.nodes())
    if (node.op == Op::relu6) before_relu6[node.inputs[0]] = true;
  Rng rng(seed + 2000);
  for (const auto& node : graph.nodes()) {
    if (node.op != Op::batch_norm) continue;
    Tensor& scale = w.at(graph.params()[node.params[0]].name);
    Tensor& shift = w.at(graph.params()[node.params[1]].name);
    for (int64_t c = 0; c < scale.numel(); ++c) {
      if (before_relu6[node.id]) scale[c] = static_cast<float>(rng.uniform(0.5, 0.7));
      shift[c] = 4.0f * scale[c];
    }
  }
  return w;
}

inline Tensor random_images(const Shape& shape, uint64_t seed) {
  Rng rng(seed);
  Tensor t(shape);
  for (auto& v : t.values()) v = static_cast<float>(rng.normal());
  return t;
}

// Random class indices 0..classes-1 (binary: 0/1), with a few ignored (255) pixels.
inline Tensor random_targets(const Shape& shape, int64_t classes, uint64_t seed) {
  Rng rng(seed);
  Tensor t(shape);
  for (auto& v : t.values()) {
    const double u = rng.uniform(0.0, 1.0);
    v = u < 0.05 ? 255.0f : static_cast<float>(std::min<int64_t>(classes - 1, static_cast<int64_t>(rng.uniform(0.0, 1.0) * classes)));
  }
  return t;
}

}  // namespace seglab::test
