#pragma once
// Models (selected by model.name) and encoders (model.encoder). A model factory
// turns the resolved config into a graph.
#include <functional>

#include "core/config.h"
#include "core/registry.h"
#include "models/encoder.h"
#include "models/graph.h"

namespace seglab {

using ModelFactory = std::function<Graph(const Config& config)>;

Registry<ModelFactory>& model_registry();
// Fills the model and encoder registries; safe to call more than once.
void register_models();

// Options of the [model] section shared by all models.
OptionList model_section_options();

// Builds the graph selected by model.name.
Graph build_model(const Config& config);

// Output channels of the head: 1 (sigmoid) for two classes, else one per class.
int64_t output_channels(int64_t num_classes);

}  // namespace seglab
