#pragma once
// Registers the oneDNN CPU backend. This header includes no oneDNN header: only
// the .cpp files of this folder do.
#include "backends/training_registries.h"

namespace seglab {

void register_onednn_backend(Registry<BackendFactory>& registry);

}  // namespace seglab
