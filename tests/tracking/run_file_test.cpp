#include "tracking/run_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

Checkpoint make_checkpoint(int64_t epoch, float value) {
  Checkpoint c;
  c.epoch = epoch;
  c.step = epoch * 10;
  c.metric_name = "val.dice";
  c.metric_value = value;
  c.weights["encoder.stage0.conv1.weight"] = Tensor({2, 1, 3, 3}, value);
  c.weights["encoder.stage0.bn1.num_batches_tracked"] = Tensor({}, 7.0f);
  c.optimizer["step"] = Tensor({}, static_cast<float>(c.step));
  return c;
}

TEST(RunFile, CheckpointsAndCurvesRoundTrip) {
  test::TempDir dir;
  RunFileContents contents;
  contents.run_id = "abcd1234";
  contents.last = make_checkpoint(3, 0.5f);
  contents.best = make_checkpoint(2, 0.75f);
  contents.curves["val.dice"] = {{1, 2, 3}, {0.6, 0.75, 0.5}};
  write_run_file(dir / "run.h5", contents);
  EXPECT_FALSE(std::filesystem::exists(dir / "run.h5.tmp"));

  const Checkpoint best = read_checkpoint(dir / "run.h5", "best");
  EXPECT_EQ(best.epoch, 2);
  EXPECT_EQ(best.metric_name, "val.dice");
  EXPECT_DOUBLE_EQ(best.metric_value, 0.75f);
  EXPECT_EQ(best.weights.at("encoder.stage0.conv1.weight").shape(), (Shape{2, 1, 3, 3}));
  EXPECT_EQ(best.weights.at("encoder.stage0.conv1.weight")[5], 0.75f);
  EXPECT_EQ(best.weights.at("encoder.stage0.bn1.num_batches_tracked").shape(), Shape{});
  EXPECT_EQ(best.optimizer.at("step")[0], 20.0f);
  EXPECT_EQ(read_checkpoint(dir / "run.h5", "last").epoch, 3);
  const auto curves = read_curves(dir / "run.h5");
  EXPECT_EQ(curves.at("val.dice").values, (std::vector<double>{0.6, 0.75, 0.5}));
}

TEST(RunFile, BestIsALinkWhenLastIsBest) {
  test::TempDir dir;
  RunFileContents contents;
  contents.last = make_checkpoint(4, 0.9f);
  contents.best = contents.last;
  write_run_file(dir / "run.h5", contents);
  EXPECT_EQ(read_checkpoint(dir / "run.h5", "best").epoch, 4);
  const auto dump = test::run_command("h5dump -H " + (dir / "run.h5") + " | grep -c SOFTLINK");
  EXPECT_EQ(dump.output, "1\n");
}

TEST(RunFile, TruncatedOrMissingFilesGiveClearErrors) {
  test::TempDir dir;
  RunFileContents contents;
  contents.last = make_checkpoint(1, 0.1f);
  write_run_file(dir / "run.h5", contents);
  const std::string bytes = test::read_text_file(dir / "run.h5");
  test::write_text_file(dir / "cut.h5", bytes.substr(0, bytes.size() / 2));
  try {
    read_checkpoint(dir / "cut.h5", "last");
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_EQ(e.input(), dir / "cut.h5");
  }
  EXPECT_THROW(read_checkpoint(dir / "none.h5", "last"), StoreError);
  EXPECT_THROW(read_checkpoint(dir / "run.h5", "best"), StoreError);  // never written
}

}  // namespace
}  // namespace seglab
