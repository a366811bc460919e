#include "backends/weights_fit.h"

#include "core/error.h"

namespace seglab {

void check_weights_fit(const Graph& graph, const NamedTensors& weights) {
  std::string problems;
  for (const auto& spec : graph.params()) {
    auto it = weights.find(spec.name);
    if (it == weights.end())
      problems += "\n  missing " + spec.name;
    else if (it->second.shape() != spec.shape)
      problems += "\n  " + spec.name + " has shape " + shape_to_string(it->second.shape()) + ", expected " +
                  shape_to_string(spec.shape);
  }
  for (const auto& [name, tensor] : weights) {
    bool known = false;
    for (const auto& spec : graph.params()) known = known || spec.name == name;
    if (!known) problems += "\n  unexpected " + name;
  }
  if (!problems.empty()) throw BackendError("weights do not fit the model:" + problems, "weights");
}

}  // namespace seglab
