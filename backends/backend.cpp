#include "backends/backend.h"

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace seglab {

std::function<float()> Network::queue_train_step(const Tensor& images, const Tensor& targets, double lr) {
  const float loss = train_step(images, targets, lr);
  return [loss] { return loss; };
}

std::vector<Tensor> Network::node_values(const Tensor&, const std::vector<int>&) {
  throw BackendError("this backend cannot return intermediate values", "backend.name", "use backend.name = libtorch");
}

void Network::set_frozen(const std::vector<std::string>&) {
  throw BackendError("this backend cannot freeze parameters", "train.freeze_encoder_epochs",
                     "set train.freeze_encoder_epochs = 0 or use backend.name = libtorch");
}

Tensor Network::logits(const Tensor&) {
  throw BackendError("this backend does not expose raw outputs", "Network::logits");
}

NamedTensors Network::gradients() const {
  throw BackendError("this backend does not expose gradients", "Network::gradients");
}

void check_supported(const Backend& backend, const Graph& graph, const CompileOptions& options) {
  const Capabilities caps = backend.capabilities();
  for (const auto& node : graph.nodes()) {
    if (std::find(caps.ops.begin(), caps.ops.end(), node.op) == caps.ops.end())
      throw BackendError(std::string("op '") + op_name(node.op) + "' is not supported by the " + backend.name() +
                             " backend",
                         node.scope.empty() ? "node " + std::to_string(node.id) : node.scope,
                         "choose another backend.name (seglab list backends)");
  }
  if (options.device != "auto" &&
      std::find(caps.devices.begin(), caps.devices.end(), options.device) == caps.devices.end())
    throw BackendError("device '" + options.device + "' is not available to the " + backend.name() + " backend",
                       "backend.device", "available: auto, " + join(caps.devices, ", "));
  if (std::find(caps.precisions.begin(), caps.precisions.end(), options.precision) == caps.precisions.end())
    throw BackendError("precision '" + options.precision + "' is not supported by the " + backend.name() +
                           " backend here",
                       "backend.precision", "supported: " + join(caps.precisions, ", "));
}

void check_loss(const LossSpec& loss, int64_t num_classes) {
  const bool binary = num_classes == 2;
  if (!binary && (loss.name == "bce" || loss.name == "bce_dice"))
    throw ConfigError("loss '" + loss.name + "' is for binary segmentation, but model.num_classes = " +
                          std::to_string(num_classes),
                      "train.loss", "use cross_entropy or dice for more than two classes");
  if (binary && loss.name == "cross_entropy")
    throw ConfigError("loss 'cross_entropy' needs model.num_classes >= 3 (binary runs use one sigmoid output)",
                      "train.loss", "use bce, dice or bce_dice for two classes");
}

}  // namespace seglab
