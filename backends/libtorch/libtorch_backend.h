#pragma once
// Registers the LibTorch backend (CPU, and CUDA when LibTorch was built with it
// and a GPU is present). This header includes no torch header: only the .cpp
// files of this folder do.
#include "backends/training_registries.h"

namespace seglab {

void register_libtorch_backend(Registry<BackendFactory>& registry);

}  // namespace seglab
