#include "engine/run_loader.h"

#include "backends/training_registries.h"
#include "core/error.h"
#include "core/ini_reader.h"
#include "core/log.h"
#include "core/text.h"
#include "engine/registration.h"
#include "models/model_registry.h"

namespace seglab {

Config recorded_config(const RunStore& store, const std::string& id, const std::map<std::string, std::string>& overrides,
                       const std::string& source) {
  RawConfig raw;
  raw.source = "run " + id;
  for (const auto& [key, value] : store.catalog().params(id)) raw.set(key, value, "run " + id);
  for (const auto& [key, value] : overrides) raw.set(key, value, source);
  return experiment_schema().resolve(raw);
}

void throw_checkpoint_does_not_fit(const std::string& run_file, const std::string& which, const Error& e) {
  // The backend names only the tensors; the user needs the file too.
  throw StoreError("checkpoint '" + which + "' does not fit the run's model: " + e.reason(), run_file,
                   "the file was replaced or damaged; restore run.h5 from a backup");
}

CompiledHere compile_on_this_machine(const Backend& backend, const Graph& graph, const NamedTensors& weights,
                                     CompileOptions options) {
  CompiledHere out;
  auto add_note = [&](const std::string& text) { out.note += (out.note.empty() ? "" : "; ") + text; };
  for (;;) {
    try {
      out.network = backend.compile(graph, weights, options);
      out.options = options;
      return out;
    } catch (const BackendError& e) {
      if (e.input() == "backend.device" && options.device != "auto") {
        add_note("trained on " + options.device + ", which the " + backend.name() + " backend lacks here: running on " +
                 join(backend.capabilities().devices, "/"));
        options.device = "auto";
      } else if (e.input() == "backend.precision" && options.precision != "fp32") {
        add_note("trained in " + options.precision + ", which the " + backend.name() +
                 " backend cannot run here: running in fp32");
        options.precision = "fp32";
      } else {
        throw;
      }
    }
  }
}

LoadedRun load_run(RunStore& store, const std::string& id, const std::string& checkpoint, const std::string& backend) {
  return backend.empty() ? load_run_with(store, id, checkpoint, {}, "")
                         : load_run_with(store, id, checkpoint, {{"backend.name", backend}}, "--backend");
}

LoadedRun load_run_with(RunStore& store, const std::string& id, const std::string& checkpoint,
                        const std::map<std::string, std::string>& overrides, const std::string& source) {
  if (checkpoint != "best" && checkpoint != "last")
    throw UsageError("unknown checkpoint '" + checkpoint + "'", "--checkpoint", "use best or last");
  LoadedRun run;
  run.info = store.catalog().find_run(id);
  run.config = recorded_config(store, run.info.id, overrides, source);
  run.graph = build_model(run.config);
  const Checkpoint c = read_checkpoint(store.run_file(run.info.id), checkpoint);
  run.backend = make_backend(run.config);
  try {
    CompiledHere here = compile_on_this_machine(*run.backend, run.graph, c.weights, compile_options(run.config));
    if (!here.note.empty()) log::warn("run " + run.info.id + ": " + here.note);
    run.network = std::move(here.network);
    run.compiled = here.options;
  } catch (const BackendError& e) {
    if (e.input() != "weights") throw;  // not about the checkpoint
    throw_checkpoint_does_not_fit(store.run_file(run.info.id), checkpoint, e);
  }
  run.checkpoint_epoch = c.epoch;
  run.checkpoint_step = c.step;
  return run;
}

}  // namespace seglab
