#pragma once
// The classic U-Net contracting path (Ronneberger et al. 2015): at each of
// depth+1 stages two 3x3 conv -> BN -> ReLU, then 2x2 max pooling; channels
// double at every stage from model.base_channels.
#include "models/encoder.h"

namespace seglab {

void register_plain_encoder(Registry<EncoderFactory>& registry);

}  // namespace seglab
