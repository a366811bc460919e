#pragma once
// Launchers start the runs of a sweep: `sweep.launcher = local` forks `seglab
// train` processes on this machine; a cluster launcher would submit jobs. The
// sweep logic only hands over a list of jobs and hears back when each starts
// and ends, so adding a launcher touches nothing else.
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
  struct Result {
    bool interrupted = false;
  };
  virtual Result run(const std::vector<LaunchJob>& jobs, LaunchObserver& observer) = 0;
};

// Builds a launcher from the resolved [sweep] controls (its options are keys of
// [sweep], e.g. sweep.jobs).
using LauncherFactory = std::function<std::unique_ptr<Launcher>(const Config& controls)>;

Registry<LauncherFactory>& launcher_registry();
void register_launchers();  // idempotent
std::unique_ptr<Launcher> make_launcher(const Config& controls);

}  // namespace seglab
