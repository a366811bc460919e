#pragma once
// A bounded queue of predictions served by worker threads. A request thread
// submits and waits on the future; when `capacity` predictions are already
// waiting or running, submit() refuses at once, so a burst of uploads costs
// memory for at most `capacity` images and leaves the other request threads
// free to serve pages.
//
// Thread safety: submit() and pending() may be called from any thread.
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "reports/web/web_hooks.h"

namespace seglab {

class PredictQueue {
 public:
  PredictQueue(PredictFunction predict, size_t capacity, int workers);
  // Stops the workers; predictions still waiting fail with "server stopping".
  ~PredictQueue();
  PredictQueue(const PredictQueue&) = delete;
  PredictQueue& operator=(const PredictQueue&) = delete;

  // nullopt when the queue is full.
  std::optional<std::future<Prediction>> submit(PredictionRequest request);
  // Predictions waiting or running.
  size_t pending() const;
  size_t capacity() const { return capacity_; }

 private:
  struct Job {
    PredictionRequest request;
    std::promise<Prediction> result;
  };
  void work();

  PredictFunction predict_;
  size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> waiting_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace seglab
