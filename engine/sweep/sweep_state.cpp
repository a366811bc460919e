#include "engine/sweep/sweep_state.h"

#include <signal.h>

#include <cerrno>
#include <cmath>
#include <map>

#include "core/text.h"
#include "engine/run_record.h"

namespace seglab {

const char* job_state_name(JobState state) {
  switch (state) {
    case JobState::not_started: return "not started";
    case JobState::running: return "running";
    case JobState::finished: return "finished";
    case JobState::failed: return "failed";
    case JobState::interrupted: return "interrupted";
  }
  return "?";
}

bool run_process_is_gone(const RunInfo& run) {
  if (run.status != RunStatus::running || run.host != host_name() || run.pid <= 0) return false;
  return ::kill(static_cast<pid_t>(run.pid), 0) != 0 && errno == ESRCH;
}

std::vector<JobStatus> job_statuses(const SweepPlan& plan, const std::vector<RunInfo>& runs) {
  std::map<std::string, std::vector<const RunInfo*>> by_key;
  for (const auto& run : runs) by_key[run.job_key].push_back(&run);
  std::vector<JobStatus> out;
  for (const auto& job : plan.jobs) {
    JobStatus status;
    status.job = &job;
    auto it = by_key.find(job.key);
    if (it != by_key.end() && !it->second.empty()) {
      // A finished run of the key counts even if a later attempt was stopped.
      const RunInfo* chosen = it->second.back();
      for (const RunInfo* run : it->second)
        if (run->status == RunStatus::finished) chosen = run;
      status.latest = *chosen;
      status.attempts = static_cast<int>(it->second.size());
      switch (chosen->status) {
        case RunStatus::finished: status.state = JobState::finished; break;
        case RunStatus::failed: status.state = JobState::failed; break;
        case RunStatus::interrupted: status.state = JobState::interrupted; break;
        case RunStatus::running:
          status.state = run_process_is_gone(*chosen) ? JobState::interrupted : JobState::running;
          break;
      }
    }
    out.push_back(std::move(status));
  }
  return out;
}

std::string SweepCounts::describe() const {
  return std::to_string(finished) + " finished, " + std::to_string(running) + " running, " + std::to_string(failed) +
         " failed, " + std::to_string(interrupted) + " interrupted, " + std::to_string(not_started) + " not started";
}

SweepCounts count_states(const std::vector<JobStatus>& statuses) {
  SweepCounts c;
  for (const auto& s : statuses) {
    switch (s.state) {
      case JobState::finished: ++c.finished; break;
      case JobState::running: ++c.running; break;
      case JobState::failed: ++c.failed; break;
      case JobState::interrupted: ++c.interrupted; break;
      case JobState::not_started: ++c.not_started; break;
    }
  }
  return c;
}

bool monitor_lower_is_better(const std::string& monitor) { return ends_with(monitor, "loss"); }

double best_monitor_value(const Catalog& catalog, const RunInfo& run, const std::string& monitor) {
  const auto points = catalog.metrics(run.id, monitor);
  if (points.empty()) return NAN;
  const bool lower = monitor_lower_is_better(monitor);
  double best = points.front().value;
  for (const auto& p : points) best = lower ? std::min(best, p.value) : std::max(best, p.value);
  return best;
}

SweepBest best_so_far(const Catalog& catalog, const std::vector<JobStatus>& statuses) {
  SweepBest best;
  for (const auto& s : statuses) {
    if (s.state != JobState::finished && s.state != JobState::running) continue;
    const std::string monitor = s.job->config.get_text("train.monitor");
    if (best.status && monitor != best.monitor) continue;  // only compare like with like
    const double value = best_monitor_value(catalog, s.latest, monitor);
    if (std::isnan(value)) continue;
    const bool better = !best.status || (monitor_lower_is_better(monitor) ? value < best.value : value > best.value);
    if (better) best = {&s, value, monitor};
  }
  return best;
}

}  // namespace seglab
