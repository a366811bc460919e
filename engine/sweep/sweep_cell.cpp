#include "engine/sweep/sweep_cell.h"

#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "engine/experiment.h"
#include "engine/trainer.h"

namespace seglab {

int run_sweep_cell(const std::string& store_path, const std::string& sweep_id_or_prefix, const std::string& key,
                   const std::string& command_line, std::ostream& out) {
  RunStore store(store_path);
  const SweepInfo sweep = store.catalog().find_sweep(sweep_id_or_prefix);
  const std::string config_path = store.sweep_dir(sweep.id) + "/jobs/" + key + ".ini";
  if (key.empty() || key.find('/') != std::string::npos || !std::filesystem::exists(config_path))
    throw UsageError("sweep " + sweep.id + " has no launched cell '" + key + "'", config_path,
                     "`seglab sweep status " + sweep.id + "` lists the cells; run-cell is started by the Slurm launcher");

  // Runs whose process died (SIGKILL after the grace time, a lost node) count as interrupted.
  store.catalog().mark_dead_runs();
  std::vector<RunInfo> runs;
  for (auto& run : store.catalog().sweep_runs(sweep.id))
    if (run.job_key == key) runs.push_back(std::move(run));

  TrainOptions options;
  options.command_line = command_line;
  options.out = &out;
  options.sweep_id = sweep.id;
  options.job_key = key;
  for (const auto& run : runs) {
    if (run.status != RunStatus::finished) continue;
    out << "cell " << key << " of sweep " << sweep.id << " already finished: run " << run.id << "\n";
    return 0;
  }
  if (!runs.empty() && runs.back().status == RunStatus::running)
    throw StoreError("cell " + key + " of sweep " + sweep.id + " is running as run " + runs.back().id + " (pid " +
                         std::to_string(runs.back().pid) + " on " + runs.back().host + ")",
                     store.root(), "wait for it, or cancel it with `seglab sweep cancel " + sweep.id + "`");
  if (!runs.empty() && runs.back().status == RunStatus::interrupted) {
    out << "resuming run " << runs.back().id << " of cell " << key << " from its last checkpoint\n";
    const TrainResult result = resume(store, runs.back().id, options);
    return result.status == RunStatus::finished ? 0 : 130;
  }

  // Never started, or its last attempt failed: a new run. Threads follow the
  // CPUs Slurm gave the task unless the config fixes them.
  std::vector<std::string> overrides;
  const char* cpus = std::getenv("SLURM_CPUS_PER_TASK");
  if (cpus && *cpus && load_experiment(config_path).get_int("backend.threads") == 0)
    overrides.push_back(std::string("backend.threads=") + cpus);
  const Config config = load_experiment(config_path, overrides);
  const TrainResult result = train(config, store, options);
  return result.status == RunStatus::finished ? 0 : 130;
}

}  // namespace seglab
