#pragma once
// Augmentations that move pixels: flips, 90-degree and free rotation, random
// scale-crop, affine (scale, shear, translate) and elastic deformation. Each
// moves the image and its mask with the same transform, the image with
// bilinear and the mask with nearest-neighbour interpolation, so masks stay
// binary and aligned; borders are reflected in both.
#include "datasets/augmentation.h"

namespace seglab {

void register_geometric_augmentations(Registry<AugmentationFactory>& registry);

}  // namespace seglab
