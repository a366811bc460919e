#pragma once
// torchvision's ResNet-18/34/50 as U-Net encoders (He et al. 2016; ResNet-50 is
// torchvision's v1.5, stride in the 3x3 conv). Features: the stem after ReLU
// (stride 2, 64 channels) and layer1..layer4 (strides 4..32). Parameter names
// are torchvision's under "encoder." ("encoder.layer1.0.conv1.weight"); the
// classifier (fc) is left out.
#include "models/encoder.h"

namespace seglab {

void register_resnet_encoders(Registry<EncoderFactory>& registry);

}  // namespace seglab
