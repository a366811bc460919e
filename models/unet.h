#pragma once
// U-Net: an encoder from the encoder registry, the shared decoder, and a 1x1
// convolution head named "head".
#include "models/model_registry.h"

namespace seglab {

void register_unet(Registry<ModelFactory>& registry);

}  // namespace seglab
