#include "reports/bench_latency.h"

namespace seglab {

std::string bench_setup(const BenchRecord& r) {
  return r.machine() + ", " + r.backend + " " + r.device + " " + r.precision;
}

LatencyChoice choose_latency_records(const std::vector<const ReportRun*>& runs) {
  // Per setup: how many runs it measured, and its latest record's time.
  std::map<std::string, std::pair<size_t, std::string>> setups;
  for (const ReportRun* run : runs) {
    std::map<std::string, std::string> latest;  // setup -> created_at, batch 1 only
    for (const auto& r : run->bench)
      if (r.batch == 1) latest[bench_setup(r)] = std::max(latest[bench_setup(r)], r.created_at);
    for (const auto& [setup, created] : latest) {
      auto& entry = setups[setup];
      ++entry.first;
      entry.second = std::max(entry.second, created);
    }
  }
  LatencyChoice choice;
  std::pair<size_t, std::string> best{0, ""};
  for (const auto& [setup, score] : setups)
    if (score > best) best = score, choice.setup = setup;
  for (const ReportRun* run : runs) {
    const BenchRecord* found = nullptr;
    for (const auto& r : run->bench)
      if (r.batch == 1 && !choice.setup.empty() && bench_setup(r) == choice.setup) found = &r;  // latest wins
    if (found) choice.by_run[run->info.id] = found;
    else choice.left_out.push_back(run->info.id);
  }
  return choice;
}

}  // namespace seglab
