#pragma once
// Trains one run end to end: checks the config, data, model and backend before
// anything is recorded; then records the run, trains with a progress bar,
// validates every epoch, writes the last and best checkpoints (and one every
// train.checkpoint_every epochs), and marks the run finished, failed (with the
// error) or interrupted (Ctrl-C/SIGTERM, after a checkpoint). `resume`
// continues an interrupted run (or one whose process died) in place from its
// last checkpoint, with optimizer, schedule, RNG and data-order state
// restored, so on CPU it ends with the same weights and metrics as an
// uninterrupted run.
#include <functional>
#include <map>
#include <ostream>
#include <string>

#include "core/config.h"
#include "tracking/run_info.h"
#include "tracking/run_store.h"

namespace seglab {

using RunRecord = std::map<std::string, std::string>;

struct TrainOptions {
  std::string command_line;
  std::ostream* out = nullptr;  // progress and summary; nullptr = std::cout
  std::string sweep_id;         // set when a sweep launched this run
  std::string job_key;          // the run's cell in that sweep
  std::string parent_id;        // the run this one reproduces
  // Called with the record of the new run (or of the resuming process) once
  // data, model and backend are checked and before anything is written.
  std::function<void(const RunRecord& record)> on_record;
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

// Continues run `id_or_prefix` from its last checkpoint (from the start when it
// died before its first one). Refuses finished runs and runs still alive.
TrainResult resume(RunStore& store, const std::string& id_or_prefix, const TrainOptions& options = {});

// Record keys whose difference can change a run's numbers (code, data,
// libraries, backend, device, precision, threads).
bool record_key_affects_results(const std::string& key);

}  // namespace seglab
