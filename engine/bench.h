#pragma once
// `seglab bench`: the inference latency of a recorded run's model, measured
// rather than inferred from training throughput. The model runs at the run's
// data.image_size on synthetic input (latency does not depend on pixel
// values), with a warm-up, a fixed thread count, at each batch size; each
// timed call is one Network::predict (input upload, forward, sigmoid or
// softmax, copy back to host memory), so on a GPU it includes the wait for the
// device. Each batch size is recorded in the catalog's bench table with the
// machine, backend, device, precision and threads (tracking/bench_record.h).
#include <string>
#include <vector>

#include "tracking/bench_record.h"
#include "tracking/run_store.h"

namespace seglab {

struct BenchOptions {
  std::string checkpoint = "best";  // best | last (weights do not change the time; recorded all the same)
  std::string backend;              // "" = the run's backend.name
  int threads = 0;                  // 0 = all cores; the count used is recorded
  std::vector<int> batches{1, 8};
  int repeats = 30;
  int warmup = 5;
};

struct BenchResult {
  std::string run_id;
  std::vector<BenchRecord> records;  // one per batch size, as recorded
  std::string note;                  // what changed on this machine (device or precision), "" when nothing did
};

// Throws UsageError for a batch or repeat count below 1, a negative warm-up or
// thread count, or an unknown backend (naming the option).
BenchResult bench_run(RunStore& store, const std::string& id, const BenchOptions& options);

// "1,8" -> {1, 8}; throws UsageError naming --batch for anything else than
// positive integers.
std::vector<int> parse_batch_sizes(const std::string& text);

// Median, minimum and 90th percentile (linear interpolation between order
// statistics, as numpy's default) of `ms`; exposed for tests.
struct LatencySummary {
  double median = 0, min = 0, p90 = 0;
};
LatencySummary summarize_latencies(std::vector<double> ms);

}  // namespace seglab
