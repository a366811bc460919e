#pragma once
// Trains one run end to end: checks the config, data, model and backend before
// anything is recorded; then records the run, trains with a progress bar,
// validates every epoch, writes the last and best checkpoints, and marks the
// run finished, failed (with the error) or interrupted (Ctrl-C/SIGTERM, after a
// checkpoint).
#include <map>
#include <ostream>
#include <string>

#include "core/config.h"
#include "tracking/run_info.h"
#include "tracking/run_store.h"

namespace seglab {

struct TrainOptions {
  std::string command_line;
  std::ostream* out = nullptr;  // progress and summary; nullptr = std::cout
  std::string sweep_id;         // set when a sweep launched this run
  std::string job_key;          // the run's cell in that sweep
};

struct TrainResult {
  std::string run_id;
  RunStatus status = RunStatus::finished;
  std::string monitor;      // e.g. "val.dice"
  double best_value = 0;
  int64_t best_epoch = 0;
  std::map<std::string, double> final_metrics;  // last epoch's values
  double seconds = 0;
};

// Throws on bad input before the run exists; on failure during training, the
// run is marked failed and the error rethrown; on interruption it returns with
// status interrupted.
TrainResult train(const Config& config, RunStore& store, const TrainOptions& options = {});

}  // namespace seglab
