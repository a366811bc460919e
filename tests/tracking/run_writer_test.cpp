// The background writer: jobs are written in order and are durable once
// drain() returns; the first failure is kept and rethrown (by drain and by
// every later submit), and nothing submitted after it is written; many
// checkpoints through a small queue all arrive.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "tests/support/test_support.h"
#include "tracking/run_file.h"
#include "tracking/run_tracker.h"
#include "tracking/run_writer.h"
#include "tracking/sqlite_catalog.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

RunInfo make_run(const std::string& id) {
  RunInfo run;
  run.id = id;
  run.name = "writer";
  run.created_at = utc_now_iso();
  run.config_hash = "h";
  return run;
}

RunFileContents contents_at(int64_t epoch) {
  RunFileContents c;
  c.run_id = "run00001";
  Checkpoint last;
  last.epoch = epoch;
  last.step = epoch * 4;
  last.weights["head.weight"] = Tensor({2, 3}, static_cast<float>(epoch));
  last.optimizer["step"] = Tensor({}, static_cast<float>(last.step));
  c.last = last;
  for (int64_t e = 1; e <= epoch; ++e) {
    c.curves["train.epoch_loss"].epochs.push_back(static_cast<double>(e));
    c.curves["train.epoch_loss"].values.push_back(1.0 / static_cast<double>(e));
  }
  return c;
}

TEST(RunWriter, WritesPointsAndFilesInOrderAndDrainMakesThemDurable) {
  test::TempDir dir;
  SqliteCatalog catalog(dir / "catalog.db");
  catalog.create_run(make_run("run00001"), {}, {});
  const std::string file = dir / "run.h5";
  {
    RunWriter writer(catalog, "run00001", file, /*capacity=*/1);
    RunTracker tracker(writer, "run00001", /*flush_seconds=*/1e9);
    for (int64_t epoch = 1; epoch <= 6; ++epoch) {
      for (int64_t step = epoch * 4 - 3; step <= epoch * 4; ++step)
        tracker.log("train.loss", step, epoch, 0.5 + static_cast<double>(step));
      tracker.flush();
      EXPECT_EQ(tracker.buffered(), 0u);
      writer.write_run_file(contents_at(epoch));
    }
    writer.drain();
    // Drained: the last file and every point are there, before the writer ends.
    EXPECT_EQ(read_checkpoint(file, "last").epoch, 6);
    EXPECT_EQ(read_curves(file).at("train.epoch_loss").values.size(), 6u);
    const auto points = catalog.metrics("run00001");
    ASSERT_EQ(points.size(), 24u);
    for (size_t i = 0; i < points.size(); ++i) {
      EXPECT_EQ(points[i].step, static_cast<int64_t>(i) + 1);
      EXPECT_EQ(points[i].value, 0.5 + static_cast<double>(i + 1));
    }
    EXPECT_GT(writer.busy_seconds(), 0.0);
  }
  EXPECT_FALSE(fs::exists(file + ".tmp"));
}

TEST(RunWriter, TheFirstFailureIsKeptRethrownAndStopsLaterWrites) {
  test::TempDir dir;
  SqliteCatalog catalog(dir / "catalog.db");
  catalog.create_run(make_run("run00001"), {}, {});
  const std::string file = dir / "run.h5";
  RunWriter writer(catalog, "run00001", file);
  writer.write_run_file(contents_at(1));
  writer.drain();
  // A folder where the temporary file must go: the next write fails.
  fs::create_directories(file + ".tmp");
  writer.write_run_file(contents_at(2));
  try {
    writer.drain();
    FAIL() << "drain() did not rethrow the write error";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.input(), file + ".tmp");
    EXPECT_NE(std::string(e.what()).find("cannot create run file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(writer.check(), StoreError);
  EXPECT_THROW(writer.log_metrics({{"train.loss", 9, 3, 1.0, unix_time_now()}}), StoreError);
  EXPECT_THROW(writer.write_run_file(contents_at(3)), StoreError);
  EXPECT_THROW(writer.drain(), StoreError);
  // The previous file is intact, and nothing after the failure was written.
  EXPECT_EQ(read_checkpoint(file, "last").epoch, 1);
  EXPECT_TRUE(catalog.metrics("run00001").empty());
}

TEST(RunWriter, TheDestructorFinishesQueuedWork) {
  test::TempDir dir;
  SqliteCatalog catalog(dir / "catalog.db");
  catalog.create_run(make_run("run00001"), {}, {});
  {
    RunWriter writer(catalog, "run00001", dir / "run.h5", 2);
    for (int64_t epoch = 1; epoch <= 4; ++epoch) writer.write_run_file(contents_at(epoch));
    writer.log_metrics({{"val.dice", 16, 4, 0.75, unix_time_now()}});
  }
  EXPECT_EQ(read_checkpoint(dir / "run.h5", "last").epoch, 4);
  ASSERT_EQ(catalog.metrics("run00001").size(), 1u);
}

}  // namespace
}  // namespace seglab
