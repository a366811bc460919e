#pragma once
// The images and ground-truth masks a report's qualitative grid shows, looked
// up by id in each run's own recorded data (its dataset adapter and options).
#include "reports/qualitative_grid.h"
#include "tracking/run_store.h"

namespace seglab {

// The returned source keeps one adapter per run config it has seen.
SampleSource make_report_sample_source(const RunStore& store);

}  // namespace seglab
