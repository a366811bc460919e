#pragma once
// Augmentations that change colours only (the mask is left alone):
// brightness/contrast/saturation/hue jitter, gamma, Gaussian blur, Gaussian
// noise; and `normalize`, which sets the mean/std the loader normalises with.
#include "datasets/augmentation.h"

namespace seglab {

void register_photometric_augmentations(Registry<AugmentationFactory>& registry);

}  // namespace seglab
