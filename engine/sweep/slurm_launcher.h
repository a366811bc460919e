#pragma once
// sweep.launcher = slurm: submits the cells to run as ONE Slurm job array with
// sbatch and returns (or waits, [slurm] wait = true). Array task i runs
// `seglab sweep run-cell <sweep> <key i> --store <store>` from a batch script
// written to <store>/sweeps/<id>/slurm/array-N.sh, which execs seglab so the
// time-limit signal and scancel's SIGTERM reach the trainer: the run
// checkpoints and is marked interrupted, and the next run-cell of that cell
// (`seglab sweep resume`, or Slurm's requeue) continues it from the checkpoint.
// Cells whose task is still pending or running are not submitted again.
#include <string>
#include <vector>

#include "engine/sweep/launcher.h"
#include "engine/sweep/slurm_options.h"

namespace seglab {

class SlurmLauncher : public Launcher {
 public:
  SlurmLauncher(std::string executable, SlurmSettings settings);
  std::string describe() const override;
  Result run(const std::vector<LaunchJob>& jobs, const LaunchContext& context, LaunchObserver& observer) override;

 private:
  std::string executable_;
  SlurmSettings settings_;
};

// The batch script of one array: task i runs keys[i]. Paths must be absolute.
std::string slurm_batch_script(const SlurmSettings& settings, const LaunchContext& context,
                               const std::vector<std::string>& keys, const std::string& executable);

// sbatch's arguments for that script (flags the script does not carry, then the script).
std::vector<std::string> sbatch_arguments(const SlurmSettings& settings, const LaunchContext& context,
                                          size_t task_count, const std::string& script_path);

void register_slurm_launcher(Registry<LauncherFactory>& registry);

}  // namespace seglab
