#pragma once
// torchvision's mobilenet_v2 as a U-Net encoder (Sandler et al. 2018):
// inverted residuals with depthwise 3x3 convolutions and ReLU6. Features after
// features.1, .3, .6, .13 and .18 (16, 24, 32, 96, 1280 channels at strides
// 2..32). Names: "encoder.features.<i>.conv.<j>..."; the classifier is left out.
#include "models/encoder.h"

namespace seglab {

void register_mobilenet_encoder(Registry<EncoderFactory>& registry);

}  // namespace seglab
