#pragma once
// Fills the dataset adapter and augmentation registries; safe to call twice.
#include "core/option_spec.h"

namespace seglab {

void register_datasets();

// Options of the [data] section shared by all adapters.
OptionList data_section_options();

}  // namespace seglab
