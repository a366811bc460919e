// The bounded prediction queue: work runs on its workers, in order, a full
// queue refuses at once, errors reach the waiting request, and stopping fails
// what is still waiting instead of hanging.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "core/error.h"
#include "reports/web/predict_queue.h"

namespace seglab {
namespace {

PredictionRequest request_for(const std::string& run) {
  PredictionRequest r;
  r.run_id = run;
  r.rgb = cv::Mat(2, 3, CV_8UC3, cv::Scalar(0, 0, 0));
  return r;
}

TEST(PredictQueue, RunsOnAWorkerThreadAndReturnsTheResult) {
  std::thread::id worker;
  PredictQueue queue([&](const PredictionRequest& r) {
    worker = std::this_thread::get_id();
    Prediction p;
    p.threshold = r.run_id == "x" ? 0.25 : 0.75;
    p.mask = cv::Mat::ones(r.rgb.size(), CV_8U);
    return p;
  }, 2, 1);
  auto future = queue.submit(request_for("x"));
  ASSERT_TRUE(future);
  const Prediction p = future->get();
  EXPECT_EQ(p.threshold, 0.25);
  EXPECT_EQ(p.mask.cols, 3);
  EXPECT_NE(worker, std::this_thread::get_id());
  EXPECT_EQ(queue.pending(), 0u);
}

TEST(PredictQueue, AFullQueueRefusesAtOnceAndTakesWorkAgainWhenDrained) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> done{0};
  PredictQueue queue([&, released](const PredictionRequest&) {
    released.wait();
    ++done;
    return Prediction{};
  }, 3, 1);
  std::vector<std::future<Prediction>> accepted;
  for (int i = 0; i < 3; ++i) {
    auto f = queue.submit(request_for("r"));
    ASSERT_TRUE(f) << i;
    accepted.push_back(std::move(*f));
  }
  EXPECT_EQ(queue.pending(), 3u);
  EXPECT_FALSE(queue.submit(request_for("r")));  // one running + two waiting = capacity
  release.set_value();
  for (auto& f : accepted) f.get();
  EXPECT_EQ(done.load(), 3);
  EXPECT_EQ(queue.pending(), 0u);
  EXPECT_TRUE(queue.submit(request_for("r")));
}

TEST(PredictQueue, ErrorsReachTheCaller) {
  PredictQueue queue([](const PredictionRequest& r) -> Prediction {
    throw StoreError("no checkpoint", "run " + r.run_id);
  }, 1, 1);
  auto f = queue.submit(request_for("abc"));
  ASSERT_TRUE(f);
  try {
    f->get();
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.input(), "run abc");
  }
  EXPECT_TRUE(queue.submit(request_for("abc")));  // the worker survived
}

TEST(PredictQueue, StoppingFailsWaitingPredictions) {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::future<Prediction> waiting;
  std::future<Prediction> running;
  {
    PredictQueue queue([&, released](const PredictionRequest& r) {
      if (r.run_id == "first") entered.set_value();
      released.wait();
      return Prediction{};
    }, 2, 1);
    running = std::move(*queue.submit(request_for("first")));
    entered.get_future().wait();
    waiting = std::move(*queue.submit(request_for("second")));
    // Released only once the destructor below has begun to stop the queue.
    std::thread([&release] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      release.set_value();
    }).detach();
  }  // destructor: the running one finishes, the waiting one fails
  EXPECT_NO_THROW(running.get());
  EXPECT_THROW(waiting.get(), Error);
}

TEST(PredictQueue, ZeroCapacityIsAUsageError) {
  EXPECT_THROW(PredictQueue([](const PredictionRequest&) { return Prediction{}; }, 0, 1), UsageError);
}

}  // namespace
}  // namespace seglab
