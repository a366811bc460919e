#include "reports/web/predict_queue.h"

#include "core/error.h"

namespace seglab {

PredictQueue::PredictQueue(PredictFunction predict, size_t capacity, int workers)
    : predict_(std::move(predict)), capacity_(capacity) {
  if (capacity_ == 0) throw UsageError("the prediction queue needs room for at least one image", "--queue");
  for (int i = 0; i < std::max(1, workers); ++i) workers_.emplace_back([this] { work(); });
}

PredictQueue::~PredictQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
  for (auto& job : waiting_)
    job.result.set_exception(std::make_exception_ptr(Error("the server is stopping", "prediction")));
}

std::optional<std::future<Prediction>> PredictQueue::submit(PredictionRequest request) {
  std::future<Prediction> future;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || waiting_.size() + running_ >= capacity_) return std::nullopt;
    waiting_.push_back(Job{std::move(request), {}});
    future = waiting_.back().result.get_future();
  }
  wake_.notify_one();
  return future;
}

size_t PredictQueue::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_.size() + running_;
}

void PredictQueue::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      job = std::move(waiting_.front());
      waiting_.pop_front();
      ++running_;
    }
    Prediction prediction;
    std::exception_ptr error;
    try {
      prediction = predict_(job.request);
    } catch (...) {
      error = std::current_exception();
    }
    // The slot is freed before the waiting request wakes, so it may submit
    // again at once.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --running_;
    }
    if (error)
      job.result.set_exception(error);
    else
      job.result.set_value(std::move(prediction));
  }
}

}  // namespace seglab
