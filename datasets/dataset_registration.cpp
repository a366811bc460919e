#include "datasets/dataset_registration.h"

#include "datasets/augmentation.h"
#include "datasets/folder_adapter.h"
#include "datasets/isic_adapter.h"
#include "datasets/ph2_adapter.h"
#include "datasets/split.h"
#include "datasets/labelme_adapter.h"
#include "datasets/synthetic_adapter.h"

namespace seglab {

void register_datasets() {
  if (!adapter_registry().names().empty()) return;
  register_synthetic_adapter(adapter_registry());
  register_folder_adapter(adapter_registry());
  register_ph2_adapter(adapter_registry());
  register_isic_adapter(adapter_registry());
  register_labelme_adapter(adapter_registry());
  register_basic_augmentations(augmentation_registry());
}

OptionList data_section_options() {
  OptionList o;
  o.add_int("image_size", 256, "side of the square network input in pixels").range(16, 4096);
  add_split_options(o);
  o.add_text("metadata", "", "CSV with one row per sample (e.g. manifest.csv), for data.stratify and per-group metrics");
  o.add_text("metadata_id_column", "id", "column of data.metadata that holds the sample ids");
  o.add_text("on_bad_sample", "error", "a sample that cannot be used stops the run (error) or is left out and listed (skip)")
      .one_of({"error", "skip"});
  o.add_int("workers", 2, "threads that decode, augment and batch ahead of the trainer (0: on the trainer's thread)")
      .range(0, 64);
  o.add_bool("cache", true, "keep decoded, resized samples in an HDF5 cache keyed by the data fingerprint");
  o.add_text("cache_dir", "", "folder of the sample cache (\"\": <store>/cache)");
  return o;
}

void add_data_sections(ConfigSchema& schema) {
  register_datasets();
  schema.add_section("data", "where samples come from and how they are split", data_section_options());
  schema.add_selector("data.adapter", adapter_registry(), "synthetic", "dataset adapter (seglab list datasets)");
  schema.add_section("augment", "training-time augmentation");
  schema.add_list_selector("augment.pipeline", augmentation_registry(), "hflip, vflip",
                           "augmentations in order (seglab list augmentations)");
}

}  // namespace seglab
