#include "tracking/run_tracker.h"

#include "core/crash_point.h"

namespace seglab {

RunTracker::RunTracker(Catalog& catalog, std::string run_id, double flush_seconds)
    : catalog_(&catalog),
      run_id_(std::move(run_id)),
      flush_every_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(flush_seconds))),
      last_flush_(std::chrono::steady_clock::now()) {}

RunTracker::RunTracker(RunWriter& writer, std::string run_id, double flush_seconds)
    : writer_(&writer),
      run_id_(std::move(run_id)),
      flush_every_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(flush_seconds))),
      last_flush_(std::chrono::steady_clock::now()) {}

void RunTracker::log(const std::string& key, int64_t step, int64_t epoch, double value) {
  buffer_.push_back({key, step, epoch, value, unix_time_now()});
  if (std::chrono::steady_clock::now() - last_flush_ >= flush_every_) flush();
}

void RunTracker::flush() {
  crash_point("tracker.flush");
  if (writer_) {
    writer_->log_metrics(std::move(buffer_));
  } else {
    catalog_->log_metrics(run_id_, buffer_);
  }
  buffer_.clear();
  last_flush_ = std::chrono::steady_clock::now();
}

}  // namespace seglab
