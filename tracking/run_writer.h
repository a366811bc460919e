#pragma once
// The slow half of tracking, off the training thread: a background thread
// that writes a run's metric points to the catalog and its run.h5 (written
// whole to run.h5.tmp, fsynced, renamed, folder fsynced), in the order they
// were submitted. The queue is bounded (`capacity` jobs): a trainer that
// produces checkpoints faster than the disk takes them waits instead of
// piling up copies of the weights.
//
// Guarantees the trainer builds on:
//  - drain() returns only when every submitted job is durable, so a
//    checkpoint taken at Ctrl-C/SIGTERM or at the end of training is on disk
//    before the run is marked interrupted or finished;
//  - the first job that fails stops the writer: later submits and drain()
//    rethrow that error (the run fails with it; it is never lost), and no
//    later job runs, so run.h5 never moves past a failed write;
//  - a process killed at any moment leaves the previous run.h5 intact (the
//    file is only ever replaced by rename).
//
// The catalog is not safe for use by two threads at once (one connection):
// while a RunWriter lives, only its thread may touch `catalog`; the owner
// calls drain() or stop() before it uses the catalog itself.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tracking/catalog.h"
#include "tracking/run_file.h"

namespace seglab {

class RunWriter {
 public:
  RunWriter(Catalog& catalog, std::string run_id, std::string run_file, size_t capacity = 2);
  // Waits for the queued jobs (errors are dropped here: call drain() first to see them).
  ~RunWriter();
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  // Queue a job; blocks while the queue is full; rethrows an earlier job's error.
  void log_metrics(std::vector<MetricPoint> points);
  void write_run_file(RunFileContents contents);
  // Waits until every queued job is done; rethrows the first error.
  void drain();
  // Rethrows the first error of a finished job, without waiting.
  void check() const;
  // Seconds the background thread spent writing, and its CPU seconds (for
  // bench/tracking_overhead).
  double busy_seconds() const;
  double cpu_seconds() const;

 private:
  void submit(std::function<void()> job);
  void loop();

  Catalog& catalog_;
  const std::string run_id_;
  const std::string run_file_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> queue_;
  bool working_ = false;
  bool stopping_ = false;
  std::exception_ptr error_;
  double busy_seconds_ = 0;
  double cpu_seconds_ = 0;
  std::thread thread_;
};

}  // namespace seglab
