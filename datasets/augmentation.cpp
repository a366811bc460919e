#include "datasets/augmentation.h"

#include <algorithm>
#include <cstdlib>
#include <opencv2/core.hpp>

#include "core/error.h"
#include "datasets/geometric_augmentations.h"
#include "datasets/photometric_augmentations.h"

namespace seglab {

Registry<AugmentationFactory>& augmentation_registry() {
  static Registry<AugmentationFactory> registry("augmentation");
  return registry;
}

void register_basic_augmentations(Registry<AugmentationFactory>& registry) {
  register_geometric_augmentations(registry);
  register_photometric_augmentations(registry);
}

std::vector<Augmentation> make_augmentations(const Config& config) {
  std::vector<Augmentation> pipeline;
  const auto names = config.get_list("augment.pipeline");
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "normalize") {
      if (i + 1 != names.size())
        throw ConfigError("normalize must be the last step of augment.pipeline", "augment.pipeline",
                          "move it to the end: it turns bytes into the network's input");
      continue;
    }
    pipeline.push_back(augmentation_registry().factory(names[i], "augment.pipeline")(config, "augment." + names[i]));
  }
  return pipeline;
}

Normalization normalization_from_config(const Config& config) {
  Normalization n;
  const auto names = config.get_list("augment.pipeline");
  if (std::find(names.begin(), names.end(), "normalize") == names.end()) return n;
  const auto mean = config.get_list("augment.normalize.mean"), std = config.get_list("augment.normalize.std");
  if (mean.size() != 3 || std.size() != 3)
    throw ConfigError("augment.normalize needs three values (R, G, B) for mean and for std", "augment.normalize",
                      "e.g. mean = 0.485, 0.456, 0.406");
  for (int c = 0; c < 3; ++c) {
    char* end_mean = nullptr;
    char* end_std = nullptr;
    n.mean[c] = std::strtof(mean[static_cast<size_t>(c)].c_str(), &end_mean);
    n.std[c] = std::strtof(std[static_cast<size_t>(c)].c_str(), &end_std);
    if (*end_mean || *end_std)
      throw ConfigError("augment.normalize mean and std must be numbers", "augment.normalize", "e.g. std = 0.229, 0.224, 0.225");
    if (!(n.std[c] > 0)) throw ConfigError("augment.normalize.std must be positive", "augment.normalize.std");
  }
  return n;
}

}  // namespace seglab
