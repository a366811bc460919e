#include "datasets/dataset_registration.h"

#include "datasets/augmentation.h"
#include "datasets/folder_adapter.h"
#include "datasets/labelme_adapter.h"
#include "datasets/synthetic_adapter.h"

namespace seglab {

void register_datasets() {
  if (!adapter_registry().names().empty()) return;
  register_synthetic_adapter(adapter_registry());
  register_folder_adapter(adapter_registry());
  register_labelme_adapter(adapter_registry());
  register_basic_augmentations(augmentation_registry());
}

OptionList data_section_options() {
  OptionList o;
  o.add_int("image_size", 256, "side of the square network input in pixels").range(16, 4096);
  o.add_real("val_ratio", 0.2, "fraction of samples held out for validation").range(0, 0.9);
  o.add_int("split_seed", 42, "seed of the train/validation split (independent of experiment.seed)").at_least(0);
  return o;
}

}  // namespace seglab
