#include "datasets/augmentation.h"

#include <opencv2/core.hpp>

namespace seglab {

Registry<AugmentationFactory>& augmentation_registry() {
  static Registry<AugmentationFactory> registry("augmentation");
  return registry;
}

namespace {

OptionList probability_option(double p) {
  OptionList options;
  options.add_real("p", p, "probability of applying it to a sample").range(0, 1);
  return options;
}

}  // namespace

void register_basic_augmentations(Registry<AugmentationFactory>& registry) {
  registry.add({"hflip", "mirror left-right", probability_option(0.5)},
               [](const Config& c, const std::string& prefix) -> Augmentation {
                 const double p = c.get_real(prefix + ".p");
                 return [p](cv::Mat& image, cv::Mat& mask, Rng& rng) {
                   if (!rng.bernoulli(p)) return;
                   cv::flip(image, image, 1);
                   cv::flip(mask, mask, 1);
                 };
               });
  registry.add({"vflip", "mirror top-bottom", probability_option(0.5)},
               [](const Config& c, const std::string& prefix) -> Augmentation {
                 const double p = c.get_real(prefix + ".p");
                 return [p](cv::Mat& image, cv::Mat& mask, Rng& rng) {
                   if (!rng.bernoulli(p)) return;
                   cv::flip(image, image, 0);
                   cv::flip(mask, mask, 0);
                 };
               });
  registry.add({"rot90", "rotate by 90, 180 or 270 degrees (square images)", probability_option(0.5)},
               [](const Config& c, const std::string& prefix) -> Augmentation {
                 const double p = c.get_real(prefix + ".p");
                 return [p](cv::Mat& image, cv::Mat& mask, Rng& rng) {
                   if (!rng.bernoulli(p)) return;
                   const int codes[] = {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE};
                   const int code = codes[rng.uniform_int(3)];
                   cv::rotate(image, image, code);
                   cv::rotate(mask, mask, code);
                 };
               });
}

std::vector<Augmentation> make_augmentations(const Config& config) {
  std::vector<Augmentation> pipeline;
  for (const auto& name : config.get_list("augment.pipeline"))
    pipeline.push_back(augmentation_registry().factory(name, "augment.pipeline")(config, "augment." + name));
  return pipeline;
}

}  // namespace seglab
