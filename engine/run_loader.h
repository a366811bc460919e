#pragma once
// Re-creates a recorded run's config and network, with the weights of one of
// its checkpoints, for eval and predict.
#include <map>
#include <memory>
#include <string>

#include "backends/backend.h"
#include "core/config.h"
#include "core/error.h"
#include "tracking/run_file.h"
#include "tracking/run_store.h"

namespace seglab {

struct LoadedRun {
  RunInfo info;
  Config config;
  Graph graph;
  std::unique_ptr<Backend> backend;
  std::unique_ptr<Network> network;
  int64_t checkpoint_epoch = 0;
  int64_t checkpoint_step = 0;
  CompileOptions compiled;  // as compiled on this machine (device, precision, threads may differ from the record)
};

// `checkpoint` is "best" or "last"; the id may be a unique prefix. `backend`,
// when not "", runs the checkpoint on that backend instead of the recorded
// one (weights move between backends by name).
LoadedRun load_run(RunStore& store, const std::string& id, const std::string& checkpoint,
                   const std::string& backend = "");
// The same with any recorded config keys replaced (key -> value, named by
// `source` in errors), e.g. backend.threads for `seglab bench`.
LoadedRun load_run_with(RunStore& store, const std::string& id, const std::string& checkpoint,
                        const std::map<std::string, std::string>& overrides, const std::string& source);

// Eval, predict and serve run on this machine, whatever the run trained on:
// when the backend refuses the recorded device (an error naming
// backend.device) it runs on auto, and when it refuses the precision
// (backend.precision) in fp32; weights are stored in fp32, device-free. The
// backend's own refusals decide, so no backend's rules are repeated here.
struct CompiledHere {
  std::unique_ptr<Network> network;
  CompileOptions options;  // as compiled
  std::string note;        // what changed, "" when nothing did
};
CompiledHere compile_on_this_machine(const Backend& backend, const Graph& graph, const NamedTensors& weights,
                                     CompileOptions options);

// Rethrows a backend's "weights do not fit" as a StoreError naming the run file.
[[noreturn]] void throw_checkpoint_does_not_fit(const std::string& run_file, const std::string& which, const Error& e);

// The config a run recorded, resolved through today's schema; `overrides`
// (key -> value, named by `source` in errors) replace recorded values.
Config recorded_config(const RunStore& store, const std::string& id,
                       const std::map<std::string, std::string>& overrides = {}, const std::string& source = "");

}  // namespace seglab
