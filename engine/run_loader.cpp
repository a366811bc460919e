#include "engine/run_loader.h"

#include <algorithm>

#include "backends/training_registries.h"
#include "core/error.h"
#include "core/ini_reader.h"
#include "core/log.h"
#include "core/text.h"
#include "engine/registration.h"
#include "models/model_registry.h"

namespace seglab {

Config recorded_config(const RunStore& store, const std::string& id) {
  RawConfig raw;
  raw.source = "run " + id;
  for (const auto& [key, value] : store.catalog().params(id)) raw.set(key, value, "run " + id);
  return experiment_schema().resolve(raw);
}

void throw_checkpoint_does_not_fit(const std::string& run_file, const std::string& which, const Error& e) {
  // The backend names only the tensors; the user needs the file too.
  throw StoreError("checkpoint '" + which + "' does not fit the run's model: " + e.reason(), run_file,
                   "the file was replaced or damaged; restore run.h5 from a backup");
}

CompileOptions options_for_this_machine(const Backend& backend, CompileOptions options, std::string& note) {
  const Capabilities caps = backend.capabilities();
  auto has = [](const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
  };
  note.clear();
  if (options.device != "auto" && !has(caps.devices, options.device)) {
    note = "trained on " + options.device + ", which the " + backend.name() + " backend lacks here: running on " +
           join(caps.devices, "/");
    options.device = "auto";
  }
  const bool cpu_only = !has(caps.devices, "cuda") || options.device == "cpu";
  // The libtorch backend lists fp16/bf16 when CUDA is present, but runs them on CUDA only.
  const bool mixed_needs_cuda = backend.name() == "libtorch" && options.precision != "fp32";
  if (!has(caps.precisions, options.precision) || (mixed_needs_cuda && cpu_only)) {
    note += std::string(note.empty() ? "" : "; ") + "trained in " + options.precision + ", which the " +
            backend.name() + " backend cannot run here: running in fp32";
    options.precision = "fp32";
  }
  return options;
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
  std::string note;
  const CompileOptions options = options_for_this_machine(*run.backend, compile_options(run.config), note);
  if (!note.empty()) log::warn("run " + run.info.id + ": " + note);
  try {
    run.network = run.backend->compile(run.graph, c.weights, options);
  } catch (const BackendError& e) {
    if (e.input() != "weights") throw;  // not about the checkpoint
    throw_checkpoint_does_not_fit(store.run_file(run.info.id), checkpoint, e);
  }
  run.checkpoint_epoch = c.epoch;
  run.checkpoint_step = c.step;
  return run;
}

}  // namespace seglab
