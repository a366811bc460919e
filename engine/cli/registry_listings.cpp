#include "engine/cli/registry_listings.h"

#include "backends/training_registries.h"
#include "core/lr_schedule.h"
#include "datasets/augmentation.h"
#include "datasets/dataset_adapter.h"
#include "engine/registration.h"
#include "engine/sweep/launcher.h"
#include "engine/sweep/sweep_spec.h"
#include "models/model_registry.h"

namespace seglab {

std::string RegistryListing::option_key(const std::string& entry, const std::string& option) const {
  const std::string section = section_of(selector);
  return (options_namespaced ? section + "." + entry : section) + "." + option;
}

const std::vector<RegistryListing>& registry_listings() {
  register_all();
  static const std::vector<RegistryListing> listings = {
      {"models", model_registry(), "model.name", false},
      {"encoders", encoder_registry(), "model.encoder", false},
      {"datasets", adapter_registry(), "data.adapter", false},
      {"augmentations", augmentation_registry(), "augment.pipeline", true},
      {"backends", backend_registry(), "backend.name", false},
      {"losses", loss_registry(), "train.loss", false},
      {"optimizers", optimizer_registry(), "train.optimizer", false},
      {"schedules", lr_schedule_registry(), "train.schedule", false},
      {"launchers", launcher_registry(), "sweep.launcher", false, &sweep_control_schema()},
  };
  return listings;
}

}  // namespace seglab
