#pragma once
// Pretrained encoder weights from a PyTorch checkpoint (model.encoder_weights):
// the checkpoint's keys are torchvision's ("layer1.0.conv1.weight") and map by
// name onto the graph's "encoder.*" parameters (keys that already start with
// "encoder." are taken as they are). Every missing, unexpected or wrongly
// shaped tensor is reported by name.
#include <string>
#include <vector>

#include "core/tensor.h"
#include "models/graph.h"
#include "models/pth/pth_file.h"

namespace seglab {

struct EncoderWeightsReport {
  std::string path;
  std::vector<std::string> loaded;       // graph names that received a tensor
  std::vector<std::string> missing;      // encoder.* parameters the checkpoint lacks
  std::vector<std::string> unexpected;   // checkpoint keys with no encoder parameter
  std::vector<std::string> wrong_shape;  // "name: checkpoint [..], model [..]"
  std::vector<std::string> ignored;      // classifier-head keys the encoder leaves out
  bool fits() const { return missing.empty() && unexpected.empty() && wrong_shape.empty(); }
  // One line: "loaded 122 tensors from x.pth (ignored 2 classifier tensors: fc.weight, fc.bias)".
  std::string summary() const;
  // Every problem by name, one per line, each line starting with two spaces.
  std::string problems() const;
};

// Copies the checkpoint's tensors into `weights` (the graph's initial values).
// strict: any missing, unexpected or wrongly shaped tensor throws WeightsError
// listing all of them, and nothing is copied. Not strict: the tensors that fit
// are copied, the rest keep their initial values and are listed in the report.
// A missing num_batches_tracked is never a problem (old torchvision files
// lack it; PyTorch fills 0 as well).
EncoderWeightsReport import_encoder_weights(const Graph& graph, const PthFile& checkpoint, bool strict,
                                            NamedTensors& weights);

}  // namespace seglab
