#pragma once
// Augmentations: each transforms an image and its mask together (geometric ones
// move both; masks always with nearest-neighbour), drawing every random choice
// from the Rng it is given. They live in a registry; `augment.pipeline` lists
// them in order and `[augment.<name>]` holds each one's options.
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/config.h"
#include "core/registry.h"
#include "core/rng.h"
#include "datasets/preprocess.h"

namespace seglab {

using Augmentation = std::function<void(cv::Mat& image, cv::Mat& mask, Rng& rng)>;
// `prefix` is the entry's option prefix, e.g. "augment.hflip".
using AugmentationFactory = std::function<Augmentation(const Config& config, const std::string& prefix)>;

Registry<AugmentationFactory>& augmentation_registry();
void register_basic_augmentations(Registry<AugmentationFactory>& registry);

// The pipeline of augment.pipeline, in order, without `normalize`.
std::vector<Augmentation> make_augmentations(const Config& config);
// The normalisation applied after the pipeline, at training, validation and
// prediction alike: augment.normalize's mean/std when the pipeline lists it
// (it must be the last step), else ImageNet's.
Normalization normalization_from_config(const Config& config);

}  // namespace seglab
