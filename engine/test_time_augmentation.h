#pragma once
// Test-time augmentation: the network sees each image under several flips or
// 90-degree rotations, each prediction is mapped back, and the probabilities
// are averaged. A model that is equivariant to these transforms gives the
// plain prediction.
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/tensor.h"

namespace seglab {

// One element of the dihedral group of the square: a horizontal flip (when
// `hflip`) followed by `quarter_turns` counter-clockwise 90-degree rotations.
struct ImageTransform {
  int quarter_turns = 0;
  bool hflip = false;
};

// none: identity; flips: identity, horizontal and vertical flip; rot90: the
// four rotations; d4: all eight flips and rotations.
std::vector<ImageTransform> tta_transforms(const std::string& mode);
const std::vector<std::string>& tta_modes();

// NCHW tensors; rotations need square images (H == W).
Tensor apply_transform(const Tensor& nchw, const ImageTransform& t);
Tensor undo_transform(const Tensor& nchw, const ImageTransform& t);

// Probabilities (N x K x H x W) averaged over the transforms of `mode`.
Tensor predict_with_tta(Network& network, const Tensor& images, const std::string& mode);

}  // namespace seglab
