#pragma once
// data.adapter = synthetic: generated lesion images (see synthetic_lesion.h).
#include "datasets/dataset_adapter.h"

namespace seglab {

void register_synthetic_adapter(Registry<AdapterFactory>& registry);

}  // namespace seglab
