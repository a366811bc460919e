#pragma once
// The training loop's handle on the catalog: metric points are buffered and
// written in one transaction at most every `flush_seconds` (and on flush()),
// each write refreshing the run's heartbeat. Logging a point costs a vector
// append and a clock read; with a RunWriter the write itself happens on the
// writer's thread, so the training thread only hands the buffer over. The
// goal is tracking under 1 % of a training step; bench/tracking_overhead
// measures it (results: docs/benchmarks.md, "Tracking overhead").
#include <chrono>
#include <string>
#include <vector>

#include "tracking/run_writer.h"
#include "tracking/catalog.h"

namespace seglab {

class RunTracker {
 public:
  RunTracker(Catalog& catalog, std::string run_id, double flush_seconds = 10.0);
  // Flushes go to `writer`'s queue (which must write the same run).
  RunTracker(RunWriter& writer, std::string run_id, double flush_seconds = 10.0);

  void log(const std::string& key, int64_t step, int64_t epoch, double value);
  // Writes the buffered points (and a heartbeat) now, or queues them on the writer.
  void flush();
  size_t buffered() const { return buffer_.size(); }

 private:
  Catalog* catalog_ = nullptr;
  RunWriter* writer_ = nullptr;
  std::string run_id_;
  std::chrono::steady_clock::duration flush_every_;
  std::chrono::steady_clock::time_point last_flush_;
  std::vector<MetricPoint> buffer_;
};

}  // namespace seglab
