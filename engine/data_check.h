#pragma once
// `seglab data check`: lists and decodes every sample of an experiment's data
// (no cache), then prints counts, image sizes, class balance, metadata groups,
// the split, and every bad sample by path with what is wrong.
#include <ostream>

#include "core/config.h"

namespace seglab {

struct DataCheckSummary {
  size_t listed = 0;  // samples the adapter paired
  size_t usable = 0;
  size_t bad = 0;     // problems, listing ones included
};

DataCheckSummary check_data(const Config& config, std::ostream& out);

}  // namespace seglab
