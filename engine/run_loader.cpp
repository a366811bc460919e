#include "engine/run_loader.h"

#include "backends/training_registries.h"
#include "core/error.h"
#include "core/ini_reader.h"
#include "engine/registration.h"
#include "models/model_registry.h"

namespace seglab {

Config recorded_config(const RunStore& store, const std::string& id) {
  RawConfig raw;
  raw.source = "run " + id;
  for (const auto& [key, value] : store.catalog().params(id)) raw.set(key, value, "run " + id);
  return experiment_schema().resolve(raw);
}

LoadedRun load_run(RunStore& store, const std::string& id, const std::string& checkpoint) {
  if (checkpoint != "best" && checkpoint != "last")
    throw UsageError("unknown checkpoint '" + checkpoint + "'", "--checkpoint", "use best or last");
  LoadedRun run;
  run.info = store.catalog().find_run(id);
  run.config = recorded_config(store, run.info.id);
  run.graph = build_model(run.config);
  const Checkpoint c = read_checkpoint(store.run_file(run.info.id), checkpoint);
  run.backend = make_backend(run.config);
  run.network = run.backend->compile(run.graph, c.weights, compile_options(run.config));
  run.checkpoint_epoch = c.epoch;
  run.checkpoint_step = c.step;
  return run;
}

}  // namespace seglab
