#pragma once
// Fills the dataset adapter and augmentation registries; safe to call twice.
#include "core/config_schema.h"
#include "core/option_spec.h"

namespace seglab {

void register_datasets();

// Options of the [data] section shared by all adapters.
OptionList data_section_options();

// The [data] section with its adapter selector and the [augment] section with
// its pipeline, as an experiment file has them (registers the datasets first).
void add_data_sections(ConfigSchema& schema);

}  // namespace seglab
