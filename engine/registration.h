#pragma once
// The one place where every folder's registries are filled, and the experiment
// config schema is assembled from them.
#include "core/config_schema.h"

namespace seglab {

// Calls each folder's register_*() once.
void register_all();

// Sections and selectors of an experiment file, with every registry's options.
const ConfigSchema& experiment_schema();

}  // namespace seglab
