#pragma once
// A throw-away single-node Slurm cluster for tests (munged, slurmctld and
// slurmd from Debian's slurm-wlm and munge, started by slurm_cluster.sh with a
// generated slurm.conf in a temporary folder and free loopback ports). The
// constructor exports SLURM_CONF, so sbatch/squeue/scancel -- and seglab
// processes the test starts -- talk to it; the destructor cancels every job and
// stops the daemons by pid. Slurm missing or not starting throws: tests using
// it fail, never skip. Start one per test suite (SetUpTestSuite): the first job
// waits for slurmctld's first scheduling pass after it starts, later ones only
// for its next tick.
#include <string>

#include "tests/support/test_support.h"

namespace seglab::test {

class SlurmCluster {
 public:
  SlurmCluster();
  ~SlurmCluster();
  SlurmCluster(const SlurmCluster&) = delete;
  SlurmCluster& operator=(const SlurmCluster&) = delete;

  const std::string& conf() const { return conf_; }      // the slurm.conf path (= $SLURM_CONF)
  const std::string& folder() const { return dir_.path(); }
  std::string partition() const { return "debug"; }      // the only partition, the default
  std::string log_tail() const;                           // the daemons' last log lines, for failure messages

 private:
  TempDir dir_;
  std::string conf_;
  bool started_ = false;
};

// A TCP port on 127.0.0.1 nothing listens on right now.
int free_loopback_port();

}  // namespace seglab::test
