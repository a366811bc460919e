#pragma once
// sweep.launcher = local: runs `seglab train` processes on this machine,
// sweep.jobs (or --jobs) at once. Each child runs in its own process group,
// with its output in a log file, and gets backend.threads = cores / jobs unless
// its config sets the thread count. Ctrl-C/SIGTERM stops starting new runs and
// is passed on to the running ones, which checkpoint and mark themselves
// interrupted; one run failing does not stop the others.
#include <string>

#include "engine/sweep/launcher.h"

namespace seglab {

class LocalLauncher : public Launcher {
 public:
  // `executable`: the seglab binary the children run.
  LocalLauncher(std::string executable, int jobs, int cores);
  std::string describe() const override;
  Result run(const std::vector<LaunchJob>& jobs, const LaunchContext& context, LaunchObserver& observer) override;

  int threads_per_run() const;

 private:
  std::string executable_;
  int jobs_;
  int cores_;
};

void register_local_launcher(Registry<LauncherFactory>& registry);

}  // namespace seglab
