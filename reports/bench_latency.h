#pragma once
// Which `seglab bench` record a report shows for each run. Latencies measured
// on different machines, backends or thread counts cannot share an axis, so
// one setup is chosen: the one that measured the most of the runs (ties: the
// most recent record). A run's value is its latest batch-1 record on that
// setup; runs measured elsewhere or never are left out and named.
#include <map>
#include <string>
#include <vector>

#include "reports/report_runs.h"

namespace seglab {

struct LatencyChoice {
  std::string setup;                                 // "<machine>, <backend> <device> <precision>"; "" = no records
  std::map<std::string, const BenchRecord*> by_run;  // run id -> its record on `setup`
  std::vector<std::string> left_out;                 // run ids with no batch-1 record on `setup`
};

// "<machine>, <backend> <device> <precision>" of a record.
std::string bench_setup(const BenchRecord& record);

LatencyChoice choose_latency_records(const std::vector<const ReportRun*>& runs);

}  // namespace seglab
