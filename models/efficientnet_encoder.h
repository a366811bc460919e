#pragma once
// torchvision's efficientnet_b0 as a U-Net encoder (Tan & Le 2019): MBConv
// blocks with depthwise convolutions, squeeze-excitation and SiLU. Features
// after features.1, .2, .3, .5 and .8 (16, 24, 40, 112, 1280 channels at
// strides 2..32). Names: "encoder.features.<stage>.<i>.block.<j>...". The
// classifier is left out, and so is stochastic depth (torchvision drops
// residual branches at random while training; seglab's graph is
// deterministic, which only matters when fine-tuning).
#include "models/encoder.h"

namespace seglab {

void register_efficientnet_encoder(Registry<EncoderFactory>& registry);

}  // namespace seglab
