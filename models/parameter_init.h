#pragma once
// Initial values of a graph's parameters, the same on every backend: PyTorch's
// default rules (convolutions uniform in +-1/sqrt(fan_in), batch norm weight 1,
// bias 0, running variance 1), drawn from seglab's Rng with one stream per
// parameter name, so adding a layer never changes the others' initial values.
#include <cstdint>

#include "core/tensor.h"
#include "models/graph.h"

namespace seglab {

NamedTensors initialize_parameters(const Graph& graph, uint64_t seed);

}  // namespace seglab
