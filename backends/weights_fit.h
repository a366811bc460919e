#pragma once
// The check every backend makes before loading weights by name: each of the
// graph's parameters present with its shape, and nothing else. One message
// lists every problem, so a user fixes a checkpoint in one go.
#include "core/tensor.h"
#include "models/graph.h"

namespace seglab {

// Throws BackendError listing missing, mis-shaped and unexpected tensors.
void check_weights_fit(const Graph& graph, const NamedTensors& weights);

}  // namespace seglab
