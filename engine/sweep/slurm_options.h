#pragma once
// The [slurm] section of a sweep file (sweep.launcher = slurm): what every
// array task asks Slurm for. Declared here, added to the sweep control schema
// as its own section (so unknown keys and wrong types get the usual messages),
// and checked further by slurm_settings(): formats Slurm would only reject at
// submission, and sbatch flags seglab sets itself.
#include <string>
#include <vector>

#include "core/config.h"
#include "core/option_spec.h"

namespace seglab {

const OptionList& slurm_options();

struct SlurmSettings {
  std::string partition;             // "" = the cluster's default partition
  std::string time;                  // "" = the partition's default limit; else minutes, H:MM:SS, D-HH...
  int cpus_per_task = 1;             // also each run's backend.threads unless its config sets them
  std::string mem;                   // "" = default; "4G", "500M"
  std::string gres;                  // "gpu:1"
  std::string account;
  std::vector<std::string> extra;    // more sbatch arguments, split at spaces
  int signal_seconds = 120;          // SIGTERM this long before the time limit
  bool requeue = false;              // let Slurm requeue tasks on preemption or node failure
  int max_parallel = 0;              // array throttle (%N); 0 = no limit
  bool wait = false;                 // block until every task has left the queue
};

// Reads and checks the resolved [slurm] keys of `controls`; throws ConfigError
// naming the key and what is allowed.
SlurmSettings slurm_settings(const Config& controls);

// The sbatch flags the settings ask for ("--partition=gpu", "--time=1:00:00", ...), without extra.
std::vector<std::string> slurm_flags(const SlurmSettings& settings);

}  // namespace seglab
