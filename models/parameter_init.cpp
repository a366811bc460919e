#include "models/parameter_init.h"

#include <cmath>

#include "core/rng.h"

namespace seglab {

NamedTensors initialize_parameters(const Graph& graph, uint64_t seed) {
  NamedTensors values;
  const Rng root(seed);
  for (const auto& p : graph.params()) {
    Tensor t(p.shape);
    const bool is_norm = p.fan_in == 0;
    switch (p.kind) {
      case ParamKind::weight:
      case ParamKind::bias:
        if (is_norm) {
          std::fill(t.values().begin(), t.values().end(), p.kind == ParamKind::weight ? 1.0f : 0.0f);
        } else {
          // kaiming_uniform_(a=sqrt(5)) for weights and the bias rule both give
          // the bound 1/sqrt(fan_in).
          Rng rng = root.fork(p.name);
          const double bound = 1.0 / std::sqrt(static_cast<double>(p.fan_in));
          for (auto& v : t.values()) v = static_cast<float>(rng.uniform(-bound, bound));
        }
        break;
      case ParamKind::running_mean:
      case ParamKind::num_batches_tracked: break;
      case ParamKind::running_var: std::fill(t.values().begin(), t.values().end(), 1.0f); break;
    }
    values.emplace(p.name, std::move(t));
  }
  return values;
}

}  // namespace seglab
