#include "tracking/run_writer.h"

#include <time.h>

#include <chrono>

#include "core/crash_point.h"

namespace seglab {
namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

RunWriter::RunWriter(Catalog& catalog, std::string run_id, std::string run_file, size_t capacity)
    : catalog_(catalog),
      run_id_(std::move(run_id)),
      run_file_(std::move(run_file)),
      capacity_(capacity < 1 ? 1 : capacity),
      thread_([this] { loop(); }) {}

RunWriter::~RunWriter() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void RunWriter::log_metrics(std::vector<MetricPoint> points) {
  if (points.empty()) return check();
  submit([this, points = std::move(points)] { catalog_.log_metrics(run_id_, points); });
}

void RunWriter::write_run_file(RunFileContents contents) {
  submit([this, contents = std::move(contents)] {
    seglab::write_run_file(run_file_, contents);
    // The checkpoint is durable; the trainer may be anywhere by now.
    crash_point("run_writer.written");
  });
}

void RunWriter::submit(std::function<void()> job) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return error_ || queue_.size() < capacity_; });
  if (error_) std::rethrow_exception(error_);
  queue_.push_back(std::move(job));
  changed_.notify_all();
}

void RunWriter::drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return error_ || (queue_.empty() && !working_); });
  if (error_) std::rethrow_exception(error_);
}

void RunWriter::check() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (error_) std::rethrow_exception(error_);
}

double RunWriter::busy_seconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return busy_seconds_;
}

double RunWriter::cpu_seconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cpu_seconds_;
}

void RunWriter::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || (!error_ && !queue_.empty()); });
    // After a failure nothing more is written: run.h5 stays at the last good state.
    if (error_) queue_.clear();
    if (queue_.empty()) return;  // stopping, and everything written (or failed)
    std::function<void()> job = std::move(queue_.front());
    queue_.pop_front();
    working_ = true;
    lock.unlock();
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_seconds();
    std::exception_ptr failure;
    try {
      job();
    } catch (...) {
      failure = std::current_exception();
    }
    const double cpu = thread_cpu_seconds() - cpu_start;
    const double busy = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    lock.lock();
    working_ = false;
    busy_seconds_ += busy;
    cpu_seconds_ += cpu;
    if (failure && !error_) error_ = failure;
    changed_.notify_all();
  }
}

}  // namespace seglab
