#pragma once
// Where each cell of a sweep stands, from the runs the catalog links to it: the
// latest run of a job key decides (finished, running, failed, interrupted), and
// a key without runs is not started. A run still marked running whose process
// on this host is gone was killed without recording its end: it counts as
// interrupted.
#include <string>
#include <vector>

#include "engine/sweep/sweep_expansion.h"
#include "tracking/run_info.h"
#include "tracking/catalog.h"

namespace seglab {

enum class JobState { not_started, running, finished, failed, interrupted };
const char* job_state_name(JobState state);

struct JobStatus {
  const SweepJob* job = nullptr;
  JobState state = JobState::not_started;
  RunInfo latest;    // valid when state != not_started
  int attempts = 0;  // runs recorded for this key
};

// `runs` as Catalog::sweep_runs returns them (oldest first).
std::vector<JobStatus> job_statuses(const SweepPlan& plan, const std::vector<RunInfo>& runs);

// True when a run marked running has no live process (same host, pid gone).
bool run_process_is_gone(const RunInfo& run);

struct SweepCounts {
  int finished = 0, running = 0, failed = 0, interrupted = 0, not_started = 0;
  std::string describe() const;  // "3 finished, 1 running, 0 failed, 0 interrupted, 2 not started"
};
SweepCounts count_states(const std::vector<JobStatus>& statuses);

// The best value of the job's monitor (train.monitor; higher is better, *loss
// lower) over the epochs of a run; NAN when it logged none.
double best_monitor_value(const Catalog& catalog, const RunInfo& run, const std::string& monitor);
bool monitor_lower_is_better(const std::string& monitor);

struct SweepBest {
  const JobStatus* status = nullptr;  // nullptr when no run has a value yet
  double value = 0;
  std::string monitor;
};
// Over finished and running cells, the one with the best monitored value.
SweepBest best_so_far(const Catalog& catalog, const std::vector<JobStatus>& statuses);

}  // namespace seglab
