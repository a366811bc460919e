// Eight processes write one catalog at once (SQLite and PostgreSQL), as the
// jobs of a parallel sweep do: each creates its run on a fresh store (racing the schema migration) and
// logs its points in many small transactions. Not one point may be lost.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>

#include "tests/support/test_support.h"
#include "tracking/process_identity.h"
#include "tracking/run_tracker.h"
#include "tests/tracking/catalog_backends.h"

namespace seglab {
namespace {

constexpr int kWriters = 8;
constexpr int kBatches = 60;
constexpr int kPointsPerBatch = 25;

std::string writer_id(int w) {
  char id[16];
  std::snprintf(id, sizeof id, "w%07d", w);
  return id;
}

// Runs in a child process; exits 0 when every write succeeded.
void write_points(const std::function<std::unique_ptr<Catalog>()>& open, int w) {
  try {
    auto opened = open();
    Catalog& catalog = *opened;
    RunInfo run;
    run.id = writer_id(w);
    run.name = "writer";
    run.created_at = utc_now_iso();
    run.config_hash = "h";
    run.host = this_host_name();
    run.pid = ::getpid();
    run.process_identity = own_process_identity();
    catalog.create_run(run, {{"writer", std::to_string(w)}}, {});
    RunTracker tracker(catalog, run.id, /*flush_seconds=*/0.0);  // every point its own transaction
    for (int b = 0; b < kBatches; ++b) {
      std::vector<MetricPoint> points;
      for (int i = 0; i < kPointsPerBatch; ++i) {
        const int64_t step = b * kPointsPerBatch + i + 1;
        points.push_back({"train.loss", step, b, w + step * 1e-4, unix_time_now()});
      }
      catalog.log_metrics(run.id, points);
      tracker.log("val.dice", b + 1, b, 0.5);
      catalog.add_tags(run.id, {"t" + std::to_string(b % 3)});
    }
    catalog.set_status(run.id, RunStatus::finished);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "writer %d: %s\n", w, e.what());
    _exit(1);
  }
  _exit(0);
}

using ConcurrentWriters = test::CatalogTest;

TEST_P(ConcurrentWriters, EightProcessesLoseNoPoint) {
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) write_points([this] { return open(); }, w);
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "writer process " << child << " failed";
  }
  auto opened = open();
  Catalog& catalog = *opened;
  ASSERT_EQ(catalog.list_runs().size(), static_cast<size_t>(kWriters));
  for (int w = 0; w < kWriters; ++w) {
    const std::string id = writer_id(w);
    EXPECT_EQ(catalog.find_run(id).status, RunStatus::finished);
    const auto loss = catalog.metrics(id, "train.loss");
    ASSERT_EQ(loss.size(), static_cast<size_t>(kBatches * kPointsPerBatch)) << id;
    for (size_t i = 0; i < loss.size(); ++i) {
      EXPECT_EQ(loss[i].step, static_cast<int64_t>(i + 1));
      EXPECT_DOUBLE_EQ(loss[i].value, w + static_cast<double>(i + 1) * 1e-4);
    }
    EXPECT_EQ(catalog.metrics(id, "val.dice").size(), static_cast<size_t>(kBatches)) << id;
    EXPECT_EQ(catalog.tags(id).size(), 3u);
    EXPECT_EQ(catalog.params(id).at("writer"), std::to_string(w));
  }
}

SEGLAB_CATALOG_BACKENDS(ConcurrentWriters);

}  // namespace
}  // namespace seglab
