#pragma once
// The reproducibility record of a run: everything besides the config that
// decides its result (code version, data fingerprint, libraries, machine).
#include <map>
#include <string>

#include "backends/backend.h"
#include "core/config.h"
#include "datasets/dataset_adapter.h"

namespace seglab {

std::map<std::string, std::string> make_run_record(const Config& config, const DatasetAdapter& dataset,
                                                   const Backend& backend, const Network& network,
                                                   const std::string& command_line);

std::string host_name();

}  // namespace seglab
