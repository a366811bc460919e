#pragma once
// Launchers start the runs of a sweep: `sweep.launcher = local` forks `seglab
// train` processes on this machine; `sweep.launcher = slurm` submits the cells
// as one Slurm job array and returns (or waits). The sweep logic only hands
// over a list of jobs and hears back when each starts and ends (a queueing
// launcher reports none of that: its runs record themselves).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/registry.h"

namespace seglab {

// One run to start: `seglab <train_args...>`.
struct LaunchJob {
  std::string key;                      // the sweep's job key
  std::string label;                    // "model.encoder=resnet18 experiment.seed=2"
  std::vector<std::string> train_args;  // {"train", "<job>.ini", "--store", ..., "--job-key", key}
  bool threads_set = false;             // the config fixes backend.threads; keep it
  std::string log_path;                 // where the run's terminal output goes
};

// The sweep the jobs belong to.
struct LaunchContext {
  std::string sweep_id;
  std::string sweep_dir;   // <store>/sweeps/<id>, absolute
  std::string store_root;  // what jobs get as --store: an absolute folder, or a postgresql:// URL
  std::string name;        // experiment.name
};

struct LaunchOutcome {
  int exit_code = 0;         // of `seglab train`: 0 finished, 130 interrupted, else failed
  bool interrupted = false;  // stopped by a forwarded Ctrl-C/SIGTERM
  double seconds = 0;
};

class LaunchObserver {
 public:
  virtual ~LaunchObserver() = default;
  virtual void started(const LaunchJob& job) = 0;
  virtual void ended(const LaunchJob& job, const LaunchOutcome& outcome) = 0;
};

class Launcher {
 public:
  virtual ~Launcher() = default;
  // "local: 2 runs at once, 1 CPU thread each"
  virtual std::string describe() const = 0;
  // Runs every job (some at once, as the launcher decides) and returns when all
  // have ended. Ctrl-C/SIGTERM stops starting jobs and is passed on to the
  // running ones; the result says whether that happened.
  // A queueing launcher returns once the jobs are queued (`queued`), or after
  // waiting for them (`waited`); `summary` says what it did.
  struct Result {
    bool interrupted = false;
    bool queued = false;
    bool waited = false;
    std::string summary;
  };
  virtual Result run(const std::vector<LaunchJob>& jobs, const LaunchContext& context, LaunchObserver& observer) = 0;
};

// Builds a launcher from the resolved [sweep] controls (its options are keys of
// [sweep], e.g. sweep.jobs, or of its own section, e.g. [slurm]).
using LauncherFactory = std::function<std::unique_ptr<Launcher>(const Config& controls)>;

Registry<LauncherFactory>& launcher_registry();
void register_launchers();  // idempotent
std::unique_ptr<Launcher> make_launcher(const Config& controls);

// The absolute path of the running seglab binary (/proc/self/exe).
std::string seglab_executable();

}  // namespace seglab
