// Where each cell of a sweep stands, from the runs linked to it; a run left
// "running" by a killed process counts as interrupted.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/run_record.h"
#include "engine/sweep/sweep_runner.h"
#include "engine/sweep/sweep_state.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

RunInfo run_of(const std::string& id, const std::string& key, RunStatus status, int64_t pid = 0) {
  RunInfo r;
  r.id = id;
  r.job_key = key;
  r.status = status;
  r.host = host_name();
  r.pid = pid;
  return r;
}

TEST(SweepState, LatestRunDecidesAFinishedOneWinsAndDeadRunningIsInterrupted) {
  const SweepPlan plan = load_sweep("[train]\nepochs = 1\n[sweep]\ntrain.lr = 0.1, 0.2, 0.3, 0.4, 0.5\n", "s.ini").plan;
  ASSERT_EQ(plan.jobs.size(), 5u);
  // A pid that surely has no process: a child that has exited and been reaped.
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  const std::vector<RunInfo> runs = {
      run_of("00000001", plan.jobs[0].key, RunStatus::failed),
      run_of("00000002", plan.jobs[0].key, RunStatus::finished),
      run_of("00000003", plan.jobs[0].key, RunStatus::interrupted),  // a later attempt; the finished one counts
      run_of("00000004", plan.jobs[1].key, RunStatus::failed),
      run_of("00000005", plan.jobs[2].key, RunStatus::running, getpid()),  // alive: this process
      run_of("00000006", plan.jobs[3].key, RunStatus::running, dead),
      run_of("00000007", "not-in-plan", RunStatus::finished),
  };
  const auto statuses = job_statuses(plan, runs);
  ASSERT_EQ(statuses.size(), 5u);
  EXPECT_EQ(statuses[0].state, JobState::finished);
  EXPECT_EQ(statuses[0].latest.id, "00000002");
  EXPECT_EQ(statuses[0].attempts, 3);
  EXPECT_EQ(statuses[1].state, JobState::failed);
  EXPECT_EQ(statuses[2].state, JobState::running);
  EXPECT_EQ(statuses[3].state, JobState::interrupted);
  EXPECT_EQ(statuses[4].state, JobState::not_started);
  const SweepCounts counts = count_states(statuses);
  EXPECT_EQ(counts.describe(), "1 finished, 1 running, 1 failed, 1 interrupted, 1 not started");
}

}  // namespace
}  // namespace seglab
