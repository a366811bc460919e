#pragma once
// torchvision's vgg16_bn as a U-Net encoder (Simonyan & Zisserman 2015, with
// batch norm). Features: the last ReLU before each max pooling (torchvision's
// features.5, .12, .22, .32, .42: 64..512 channels at strides 1..16); the
// final pooling and the classifier are left out. Names: "encoder.features.<i>".
#include "models/encoder.h"

namespace seglab {

void register_vgg_encoder(Registry<EncoderFactory>& registry);

}  // namespace seglab
