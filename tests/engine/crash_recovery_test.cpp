// The crash-safety harness: a training process is killed with SIGKILL at
// many points (steps picked at random, inside a catalog transaction, in the
// middle of writing run.h5, between the write and the rename, with a
// checkpoint queued but not yet written, after the last checkpoint), or stopped with SIGTERM mid-epoch. Every time the catalog must
// open, the run must show as interrupted, and `seglab resume` must end with
// exactly the metric points and weights of an uninterrupted run.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <regex>

#include "core/rng.h"
#include "core/text.h"
#include "tests/support/test_support.h"
#include "tracking/run_file.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

// 15 training images in batches of 5: 3 steps per epoch, 9 in all; a
// periodic checkpoint at epoch 2.
const char* kExperiment = R"ini(
[experiment]
name = crashy
seed = 11
[data]
adapter = synthetic
num_samples = 20
synthetic_size = 32
image_size = 32
val_ratio = 0.25
[augment]
pipeline = hflip, vflip
[model]
base_channels = 4
depth = 2
[backend]
device = cpu
threads = 1
[train]
epochs = 3
batch_size = 5
lr = 0.01
checkpoint_every = 2
)ini";

struct Outcome {
  std::map<std::pair<std::string, int64_t>, double> points;  // (key, step) -> value
  NamedTensors weights;
  RunStatus status = RunStatus::running;
  int64_t best_epoch = 0;
  std::vector<std::string> checkpoints;
};

Outcome outcome_of(const std::string& store, const std::string& id) {
  RunStore runs(store);
  Outcome o;
  o.status = runs.catalog().find_run(id).status;
  for (const auto& p : runs.catalog().metrics(id)) {
    if (ends_with(p.key, "images_per_second")) continue;  // wall-clock (train and val), never repeatable
    EXPECT_EQ(o.points.count({p.key, p.step}), 0u) << "duplicate point " << p.key << " at step " << p.step;
    o.points[{p.key, p.step}] = p.value;
  }
  o.weights = read_checkpoint(runs.run_file(id), "last").weights;
  o.best_epoch = read_checkpoint(runs.run_file(id), "best").epoch;
  o.checkpoints = list_checkpoints(runs.run_file(id));
  return o;
}

void expect_same(const Outcome& got, const Outcome& want, const std::string& where) {
  EXPECT_EQ(got.status, RunStatus::finished) << where;
  ASSERT_EQ(got.points.size(), want.points.size()) << where;
  for (const auto& [key, value] : want.points) {
    ASSERT_EQ(got.points.count(key), 1u) << where << ": missing " << key.first << " at step " << key.second;
    EXPECT_EQ(std::memcmp(&got.points.at(key), &value, sizeof value), 0)
        << where << ": " << key.first << " at step " << key.second << " is " << got.points.at(key) << ", want " << value;
  }
  ASSERT_EQ(got.weights.size(), want.weights.size()) << where;
  for (const auto& [name, tensor] : want.weights) {
    const Tensor& other = got.weights.at(name);
    ASSERT_EQ(other.numel(), tensor.numel()) << where << " " << name;
    EXPECT_EQ(std::memcmp(other.data(), tensor.data(), sizeof(float) * static_cast<size_t>(tensor.numel())), 0)
        << where << ": weights of " << name << " differ";
  }
  EXPECT_EQ(got.best_epoch, want.best_epoch) << where;
  EXPECT_EQ(got.checkpoints, want.checkpoints) << where;
}

std::string run_id_of(const std::string& output) {
  std::smatch match;
  EXPECT_TRUE(std::regex_search(output, match, std::regex("run ([0-9a-f]{8}) \"crashy\""))) << output;
  return match.size() > 1 ? match[1].str() : "";
}

TEST(CrashRecovery, KilledAnywhereThenResumedEqualsAnUninterruptedRun) {
  test::TempDir dir;
  test::write_text_file(dir / "crashy.ini", kExperiment);
  const std::string store = dir / "store";
  const std::string train = std::string(test::seglab_binary()) + " train " + (dir / "crashy.ini") + " --store " + store;

  const auto reference_run = test::run_command(train);
  ASSERT_EQ(reference_run.exit_code, 0) << reference_run.output;
  const Outcome reference = outcome_of(store, run_id_of(reference_run.output));
  ASSERT_EQ(reference.points.count({"train.loss", 9}), 1u);
  ASSERT_EQ(reference.checkpoints, (std::vector<std::string>{"best", "epoch_0002", "last"}));

  // Fixed points that matter, plus steps drawn at random (seeded, so a
  // failure can be replayed).
  std::vector<std::string> points = {
      "train.created",                // before the first checkpoint: resume starts over
      "catalog.metrics#1",            // inside the first metrics transaction
      "run_file.partial#1",           // halfway through writing the first run.h5
      "run_file.partial#2",           // halfway through a rewrite: the old run.h5 must survive
      "run_file.before_rename#2",     // complete temporary file, not yet renamed
      "train.after_checkpoint#1",     // first checkpoint queued to the background writer, maybe not yet written
      "run_writer.written#3",         // everything written but the final status
      "train.step#5:TERM",            // SIGTERM mid-epoch: checkpoint of the exact position
  };
  Rng rng(20261125);
  for (int i = 0; i < 5; ++i) points.push_back("train.step#" + std::to_string(1 + rng.uniform_int(9)));

  for (const auto& point : points) {
    SCOPED_TRACE(point);
    const bool term = point.find(":TERM") != std::string::npos;
    const auto crashed = test::run_command("SEGLAB_CRASH_AT=" + point + " " + train);
    ASSERT_EQ(crashed.exit_code, term ? 130 : 128 + 9) << crashed.output;
    const std::string id = run_id_of(crashed.output);

    // The catalog opens, and the dead process's run shows as interrupted
    // (through the CLI once; the rest through the same code, to save process starts).
    if (&point == &points.front()) {
      const auto list = test::run_seglab("runs list --where status=interrupted --store " + store);
      ASSERT_EQ(list.exit_code, 0) << list.output;
      EXPECT_NE(list.output.find(id + "  crashy  interrupted"), std::string::npos) << list.output;
    }
    {
      RunStore runs(store);
      runs.catalog().mark_dead_runs();
      const RunInfo info = runs.catalog().find_run(id);
      EXPECT_EQ(info.status, RunStatus::interrupted);
      EXPECT_NE(info.error.find(term ? "interrupted by signal 15" : "died"), std::string::npos) << info.error;
      // Whatever run.h5 there is, is whole.
      if (fs::exists(runs.run_file(id))) {
        EXPECT_NO_THROW(read_checkpoint(runs.run_file(id), "last"));
      }
    }

    const auto resumed = test::run_seglab("resume " + id.substr(0, 6) + " --store " + store);
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("resuming from epoch"), std::string::npos) << resumed.output;
    expect_same(outcome_of(store, id), reference, point);
    RunStore runs(store);
    EXPECT_EQ(runs.catalog().find_run(id).resumes, 1);
  }
  RunStore runs(store);
  EXPECT_EQ(runs.catalog().list_runs().size(), points.size() + 1);
}

TEST(CrashRecovery, ATruncatedRunFileIsReportedAndTheRunStaysResumableLater) {
  test::TempDir dir;
  test::write_text_file(dir / "crashy.ini", kExperiment);
  const std::string store = dir / "store";
  // Killed once the first run.h5 is durable (written by the background
  // writer; the training thread may be anywhere in epoch 2 by then).
  const auto crashed = test::run_command("SEGLAB_CRASH_AT=run_writer.written#1 " + std::string(test::seglab_binary()) + " train " +
                                         (dir / "crashy.ini") + " --store " + store);
  ASSERT_EQ(crashed.exit_code, 137) << crashed.output;
  const std::string id = run_id_of(crashed.output);
  const std::string file = store + "/runs/" + id + "/run.h5";
  const std::string intact = test::read_text_file(file);
  test::write_text_file(file, intact.substr(0, intact.size() * 2 / 3));

  const auto resumed = test::run_seglab("resume " + id + " --store " + store);
  EXPECT_EQ(resumed.exit_code, 1) << resumed.output;
  EXPECT_NE(resumed.output.find("error: " + file + ": cannot open HDF5 file (truncated or damaged)"), std::string::npos)
      << resumed.output;
  const auto eval = test::run_seglab("eval " + id + " --checkpoint last --store " + store);
  EXPECT_EQ(eval.exit_code, 1);
  EXPECT_NE(eval.output.find("truncated or damaged"), std::string::npos) << eval.output;
  {
    RunStore runs(store);
    EXPECT_EQ(runs.catalog().find_run(id).status, RunStatus::interrupted);  // untouched by the failed resume
    EXPECT_EQ(runs.catalog().find_run(id).resumes, 0);
  }
  test::write_text_file(file, intact);  // restored from a backup
  const auto again = test::run_seglab("resume " + id + " --store " + store);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  const auto finished = test::run_seglab("resume " + id + " --store " + store);
  EXPECT_EQ(finished.exit_code, 1);
  EXPECT_NE(finished.output.find("has finished; there is nothing to resume"), std::string::npos) << finished.output;
}

// run.h5 is written by a background thread; when that write fails, the run
// fails with the write's error (not lost in the thread), the previous run.h5
// stays intact, and the run can be resumed once the cause is gone.
TEST(CrashRecovery, AFailedBackgroundWriteFailsTheRunWithItsError) {
  test::TempDir dir;
  test::write_text_file(dir / "crashy.ini", kExperiment);
  const std::string store = dir / "store";
  const auto crashed = test::run_command("SEGLAB_CRASH_AT=run_writer.written#1 " + std::string(test::seglab_binary()) +
                                         " train " + (dir / "crashy.ini") + " --store " + store);
  ASSERT_EQ(crashed.exit_code, 137) << crashed.output;
  const std::string id = run_id_of(crashed.output);
  const std::string file = store + "/runs/" + id + "/run.h5";
  fs::create_directories(file + ".tmp");  // where the next write's temporary file must go

  const auto resumed = test::run_seglab("resume " + id + " --store " + store);
  EXPECT_EQ(resumed.exit_code, 1) << resumed.output;
  EXPECT_NE(resumed.output.find("error: " + file + ".tmp: cannot create run file"), std::string::npos) << resumed.output;
  {
    RunStore runs(store);
    const RunInfo info = runs.catalog().find_run(id);
    EXPECT_EQ(info.status, RunStatus::failed);
    EXPECT_NE(info.error.find("cannot create run file"), std::string::npos) << info.error;
  }
  EXPECT_EQ(read_checkpoint(file, "last").epoch, 1);

  fs::remove_all(file + ".tmp");
  const auto again = test::run_seglab("resume " + id + " --store " + store);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(RunStore(store).catalog().find_run(id).status, RunStatus::finished);
  EXPECT_EQ(read_checkpoint(file, "last").epoch, 3);
}

TEST(Reproduce, ReRunsFromTheRecordIntoALinkedRunWithBitwiseIdenticalMetrics) {
  test::TempDir dir;
  test::write_text_file(dir / "crashy.ini", kExperiment);
  const std::string store = " --store " + (dir / "store");
  const auto original = test::run_seglab("train " + (dir / "crashy.ini") + store + " --set train.epochs=2");
  ASSERT_EQ(original.exit_code, 0) << original.output;
  const std::string id = run_id_of(original.output);

  const auto again = test::run_seglab("reproduce " + id.substr(0, 4) + store);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("reproducing run " + id + " \"crashy\" (finished)"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("same code, data, libraries, backend, device and threads as the original"),
            std::string::npos)
      << again.output;
  EXPECT_NE(again.output.find("bitwise identical: all "), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("val.dice"), std::string::npos);
  EXPECT_NE(again.output.find("timing, not compared"), std::string::npos);
  RunStore runs(dir / "store");
  const auto all = runs.catalog().list_runs();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].parent_id, id);
  EXPECT_EQ(runs.catalog().params(all[1].id), runs.catalog().params(id));
  EXPECT_EQ(runs.catalog().children(id), std::vector<std::string>{all[1].id});

  // Differences from the record (here: the data and a library changed since)
  // are listed before training starts.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "store/catalog.db").c_str(), &db), SQLITE_OK);
    const std::string sql = "UPDATE record SET value = 'feedface' WHERE key = 'data.fingerprint' AND run_id = '" + id +
                            "'; UPDATE record SET value = '0.0.1' WHERE key = 'lib.hdf5' AND run_id = '" + id + "';";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  const auto changed = test::run_seglab("reproduce " + id + store);
  ASSERT_EQ(changed.exit_code, 0) << changed.output;
  const auto report = changed.output.find("2 difference(s) from the original's record");
  ASSERT_NE(report, std::string::npos) << changed.output;
  EXPECT_NE(changed.output.find("  data.fingerprint: feedface -> "), std::string::npos) << changed.output;
  EXPECT_NE(changed.output.find("  lib.hdf5: 0.0.1 -> "), std::string::npos) << changed.output;
  EXPECT_LT(report, changed.output.find("epoch 1/2"));  // before training
}

// Four PH2 images (one of them a copy the test can change) for a folder run at 32x32.
std::string ph2_folder_experiment(const test::TempDir& dir) {
  const std::string root = test::ph2_subset(dir / "ph2", {"IMD004", "IMD006", "IMD009", "IMD010"}, {"IMD004"});
  return "[experiment]\nname = crashy\nseed = 11\n[data]\nadapter = folder\nroot = " + root +
         "\nmask_suffix = _lesion\nimage_size = 32\nval_ratio = 0.25\n[model]\nbase_channels = 4\ndepth = 2\n"
         "[backend]\ndevice = cpu\nthreads = 1\n[train]\nepochs = 2\nbatch_size = 3\nlr = 0.01\n";
}

// What `seglab reproduce` must find, worked out here from the catalog: the
// points compared (timing ones left out), those not bitwise equal, and the
// largest |difference| with its metric and step.
struct PointDifferences {
  size_t compared = 0, differing = 0;
  double largest = 0;
  std::string key;
  int64_t step = 0;
  std::map<std::string, std::pair<size_t, size_t>> per_key;  // key -> (differing, compared)
};

PointDifferences point_differences(const Catalog& catalog, const std::string& a, const std::string& b) {
  std::map<std::pair<std::string, int64_t>, double> original;
  for (const auto& p : catalog.metrics(a)) original[{p.key, p.step}] = p.value;
  PointDifferences d;
  for (const auto& p : catalog.metrics(b)) {
    if (ends_with(p.key, "images_per_second") || ends_with(p.key, "seconds")) continue;
    const double before = original.at({p.key, p.step});  // same config: the same points
    ++d.compared;
    ++d.per_key[p.key].second;
    if (std::memcmp(&before, &p.value, sizeof before) == 0) continue;
    ++d.differing;
    ++d.per_key[p.key].first;
    if (std::abs(p.value - before) > d.largest) {
      d.largest = std::abs(p.value - before);
      d.key = p.key;
      d.step = p.step;
    }
  }
  return d;
}

// A real difference: one training image changed after the run. The data's
// fingerprint is reported before training, and afterwards how many metric
// points differ and by how much, per metric and in all.
TEST(Reproduce, AChangedDataFileIsReportedWithHowManyPointsDifferAndByHowMuch) {
  test::TempDir dir;
  test::write_text_file(dir / "ph2.ini", ph2_folder_experiment(dir));
  const std::string store = " --store " + (dir / "store");
  const auto original = test::run_seglab("train " + (dir / "ph2.ini") + store);
  ASSERT_EQ(original.exit_code, 0) << original.output;
  const std::string id = run_id_of(original.output);

  // Invert the BMP's last 40 KB: pixel rows of the image (the file's size, and so its headers, stay).
  const std::string image = dir / "ph2/images/IMD004.bmp";
  std::string bytes = test::read_text_file(image);
  for (size_t i = bytes.size() - 40000; i < bytes.size(); ++i) bytes[i] = static_cast<char>(~bytes[i]);
  test::write_text_file(image, bytes);

  const auto again = test::run_seglab("reproduce " + id + store);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("1 difference(s) from the original's record; numbers may differ:\n  data.fingerprint: "),
            std::string::npos)
      << again.output;
  RunStore runs(dir / "store");
  const auto all = runs.catalog().list_runs();
  ASSERT_EQ(all.size(), 2u);
  const std::string copy = all[1].id;
  const PointDifferences d = point_differences(runs.catalog(), id, copy);
  ASSERT_GT(d.differing, 0u);
  ASSERT_GT(d.largest, 0.0);
  EXPECT_NE(again.output.find(std::to_string(d.differing) + " of " + std::to_string(d.compared) +
                              " metric points differ; largest difference " + format_number(d.largest) + " in " + d.key +
                              " at step " + std::to_string(d.step) + "; reproduction is run " + copy + " (parent " +
                              id + ")"),
            std::string::npos)
      << again.output;
  EXPECT_EQ(again.output.find("bitwise identical"), std::string::npos);
  // Per metric: the loss of every step moved, with its count and largest difference in its row.
  ASSERT_EQ(d.per_key.at("train.loss").first, d.per_key.at("train.loss").second);
  const std::regex loss_row("\ntrain\\.loss +[-0-9.]+ +[-0-9.]+ +[-0-9.e]+ +" +
                            std::to_string(d.per_key.at("train.loss").first) + " of " +
                            std::to_string(d.per_key.at("train.loss").second) + " differ, by up to [0-9.e-]+ \\(step [0-9]+\\) *\n");
  EXPECT_TRUE(std::regex_search(again.output, loss_row)) << again.output;
}

}  // namespace
}  // namespace seglab
