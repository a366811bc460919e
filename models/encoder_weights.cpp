#include "models/encoder_weights.h"

#include <set>

#include "models/pth/weights_error.h"
#include "core/text.h"

namespace seglab {

namespace {

std::string list_names(const std::vector<std::string>& names, size_t at_most) {
  std::vector<std::string> shown(names.begin(), names.begin() + static_cast<long>(std::min(at_most, names.size())));
  std::string text = join(shown, ", ");
  if (names.size() > at_most) text += ", ... (" + std::to_string(names.size() - at_most) + " more)";
  return text;
}

}  // namespace

std::string EncoderWeightsReport::summary() const {
  std::string text = "loaded " + std::to_string(loaded.size()) + " encoder tensors from " + path;
  if (!ignored.empty())
    text += " (ignored " + std::to_string(ignored.size()) + " classifier tensors: " + list_names(ignored, 4) + ")";
  if (!fits()) text += "; " + std::to_string(missing.size() + unexpected.size() + wrong_shape.size()) + " did not fit";
  return text;
}

std::string EncoderWeightsReport::problems() const {
  std::string text;
  for (const auto& name : missing) text += "  missing " + name + "\n";
  for (const auto& name : unexpected) text += "  unexpected " + name + "\n";
  for (const auto& line : wrong_shape) text += "  wrong shape " + line + "\n";
  return text;
}

EncoderWeightsReport import_encoder_weights(const Graph& graph, const PthFile& checkpoint, bool strict,
                                            NamedTensors& weights) {
  EncoderWeightsReport report;
  report.path = checkpoint.path;
  std::map<std::string, const ParamSpec*> encoder_params;
  for (const auto& p : graph.params())
    if (starts_with(p.name, "encoder.")) encoder_params[p.name] = &p;

  std::set<std::string> seen;
  std::vector<std::pair<std::string, const Tensor*>> fitting;
  for (const auto& t : checkpoint.tensors) {
    const std::string name = starts_with(t.name, "encoder.") ? t.name : "encoder." + t.name;
    bool head = false;
    for (const auto& prefix : graph.unused_encoder_weights) head = head || starts_with(t.name, prefix);
    if (head) {
      report.ignored.push_back(t.name);
      continue;
    }
    auto it = encoder_params.find(name);
    if (it == encoder_params.end()) {
      report.unexpected.push_back(t.name);
      continue;
    }
    seen.insert(name);
    if (t.values.shape() != it->second->shape) {
      report.wrong_shape.push_back(t.name + ": checkpoint " + shape_to_string(t.values.shape()) + ", model " +
                                   shape_to_string(it->second->shape));
      continue;
    }
    fitting.emplace_back(name, &t.values);
  }
  for (const auto& [name, spec] : encoder_params)
    if (!seen.count(name) && spec->kind != ParamKind::num_batches_tracked) report.missing.push_back(name);

  if (strict && !report.fits())
    throw WeightsError("does not fit the encoder (" + std::to_string(report.missing.size()) + " missing, " +
                           std::to_string(report.unexpected.size()) + " unexpected, " +
                           std::to_string(report.wrong_shape.size()) + " wrongly shaped):\n" + report.problems() +
                           "  (set model.encoder_weights_strict = false to load the tensors that fit)",
                       checkpoint.path, "use a checkpoint of the same architecture as model.encoder");
  for (const auto& [name, tensor] : fitting) {
    weights[name] = *tensor;
    report.loaded.push_back(name);
  }
  return report;
}

}  // namespace seglab
