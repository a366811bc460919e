// run.h5 format 2: resume state, periodic checkpoints carried across rewrites,
// per-image tables, units, and clear errors for damaged files.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "tests/support/test_support.h"
#include "tracking/run_file.h"

namespace seglab {
namespace {

Checkpoint checkpoint_at(int64_t epoch) {
  Checkpoint c;
  c.epoch = epoch;
  c.step = epoch * 3 + 1;
  c.metric_name = "val.dice";
  c.metric_value = 0.1 * static_cast<double>(epoch);
  c.weights["head.weight"] = Tensor({1, 2, 1, 1}, static_cast<float>(epoch));
  c.optimizer["step"] = Tensor({}, static_cast<float>(c.step));
  c.batches_into_epoch = 1;
  c.epoch_loss_sum = 0.1 + 0.2;  // not representable exactly: must come back bit for bit
  c.epoch_images = 5;
  c.rng_seed = 0xfedcba9876543210ull;
  c.rng_streams = "shuffle/<epoch>";
  c.lr_next = 3e-3;
  return c;
}

TEST(RunFileState, ResumeStateRoundTripsExactly) {
  test::TempDir dir;
  RunFileContents contents;
  contents.last = checkpoint_at(2);
  write_run_file(dir / "run.h5", contents);
  const Checkpoint c = read_checkpoint(dir / "run.h5", "last");
  EXPECT_EQ(c.batches_into_epoch, 1);
  EXPECT_EQ(c.epoch_loss_sum, 0.1 + 0.2);
  EXPECT_EQ(c.epoch_images, 5);
  EXPECT_EQ(c.rng_seed, 0xfedcba9876543210ull);
  EXPECT_EQ(c.rng_streams, "shuffle/<epoch>");
  EXPECT_EQ(c.lr_next, 3e-3);
}

TEST(RunFileState, PeriodicCheckpointsSurviveRewrites) {
  test::TempDir dir;
  const std::string path = dir / "run.h5";
  for (int64_t epoch = 1; epoch <= 6; ++epoch) {
    RunFileContents contents;
    contents.last = checkpoint_at(epoch);
    if (epoch % 2 == 0) contents.periodic[epoch] = *contents.last;  // checkpoint_every = 2
    write_run_file(path, contents);
  }
  EXPECT_EQ(list_checkpoints(path), (std::vector<std::string>{"epoch_0002", "epoch_0004", "epoch_0006", "last"}));
  const Checkpoint four = read_checkpoint(path, "epoch_0004");
  EXPECT_EQ(four.epoch, 4);
  EXPECT_EQ(four.weights.at("head.weight")[1], 4.0f);
  // A rewrite for an earlier epoch (a resume from epoch 3) drops the later ones.
  RunFileContents back;
  back.last = checkpoint_at(3);
  write_run_file(path, back);
  EXPECT_EQ(list_checkpoints(path), (std::vector<std::string>{"epoch_0002", "last"}));
}

TEST(RunFileState, PerImageTablesAndUnitsAreReadableWithH5dump) {
  test::TempDir dir;
  RunFileContents contents;
  contents.last = checkpoint_at(1);
  contents.curves["train.images_per_second"] = {{1}, {20.5}};
  PerImageTable t;
  t.epoch = 1;
  t.ids = {"IMD004", "IMD010_long_name"};
  t.columns = {"dice", "iou"};
  t.rows = {{0.9, 0.8}, {0.5, 0.25}};
  contents.per_image["val_best"] = t;
  write_run_file(dir / "run.h5", contents);
  const auto back = read_per_image(dir / "run.h5").at("val_best");
  EXPECT_EQ(back.ids, t.ids);
  EXPECT_EQ(back.columns, t.columns);
  EXPECT_EQ(back.rows, t.rows);
  EXPECT_EQ(back.epoch, 1);
  const auto dump = test::run_command("h5dump -A " + (dir / "run.h5"));
  EXPECT_NE(dump.output.find("\"images/s\""), std::string::npos) << dump.output;
  EXPECT_NE(dump.output.find("ATTRIBUTE \"epoch_loss_sum\""), std::string::npos);
  EXPECT_NE(dump.output.find("ATTRIBUTE \"shape_convention\""), std::string::npos);
  const auto ids = test::run_command("h5dump -d /per_image/val_best_ids " + (dir / "run.h5"));
  EXPECT_NE(ids.output.find("\"IMD010_long_name\""), std::string::npos) << ids.output;
}

TEST(RunFileState, TruncatedFileNamesItselfAndSaysWhatHappened) {
  test::TempDir dir;
  RunFileContents contents;
  contents.last = checkpoint_at(1);
  contents.last->weights["big"] = Tensor({64, 64}, 1.0f);
  write_run_file(dir / "run.h5", contents);
  const auto size = std::filesystem::file_size(dir / "run.h5");
  for (const double fraction : {0.9, 0.5, 0.01}) {
    std::filesystem::copy_file(dir / "run.h5", dir / "cut.h5", std::filesystem::copy_options::overwrite_existing);
    std::filesystem::resize_file(dir / "cut.h5", static_cast<uintmax_t>(size * fraction));
    try {
      read_checkpoint(dir / "cut.h5", "last");
      FAIL() << "no error at " << fraction;
    } catch (const StoreError& e) {
      EXPECT_EQ(e.input(), dir / "cut.h5");
      EXPECT_NE(std::string(e.what()).find("truncated or damaged"), std::string::npos) << fraction << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace seglab
