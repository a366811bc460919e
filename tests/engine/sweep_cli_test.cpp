// `seglab sweep` end to end on tiny generated data: parallel runs recorded in
// the catalog, resuming after a kill runs only what is missing, a failing run
// leaves the others finished, and values added to the file add runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include "tests/datasets/dataset_test_support.h"
#include "tests/support/test_support.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

// 12 generated 32x32 images, a 2-level U-Net with 4 channels: about a second a run.
// `threads` = 0 leaves backend.threads to the launcher.
std::string tiny_sweep(const std::string& sweep_section, int epochs = 2, int threads = 0) {
  return "[experiment]\nname = tiny-sweep\nseed = 3\n"
         "[data]\nadapter = synthetic\nnum_samples = 12\nsynthetic_size = 32\nimage_size = 32\nval_ratio = 0.25\n"
         "[model]\nbase_channels = 4\ndepth = 2\n"
         "[backend]\ndevice = cpu\n" +
         (threads ? "threads = " + std::to_string(threads) + "\n" : std::string()) +
         "[train]\nbatch_size = 3\nlr = 0.01\nepochs = " +
         std::to_string(epochs) + "\n[sweep]\n" + sweep_section;
}

std::string sweep_id_of(const std::string& output) {
  std::smatch match;
  EXPECT_TRUE(std::regex_search(output, match, std::regex("sweep ([0-9a-f]{8}) \""))) << output;
  return match.size() > 1 ? match[1].str() : "";
}

bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0; }

TEST(SweepCli, FourRunsWithTwoJobsAreRecordedThenRerunAddsOnlyNewValues) {
  test::TempDir dir;
  const std::string file = dir / "sweep.ini";
  test::write_text_file(file, tiny_sweep("train.lr = 0.01, 0.02\nrepeats = 2\n"));
  const std::string store = " --store " + (dir / "store");

  // The dry run prints the table and writes nothing.
  const auto dry = test::run_seglab("sweep " + file + store + " --dry-run --jobs 2");
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("4 runs: 0 finished, 0 running, 0 failed, 0 interrupted, 4 not started; 4 would run"),
            std::string::npos)
      << dry.output;
  EXPECT_NE(dry.output.find("launcher: local, 2 runs at once"), std::string::npos) << dry.output;
  EXPECT_NE(dry.output.find("train.lr"), std::string::npos);
  EXPECT_NE(dry.output.find("experiment.seed"), std::string::npos);
  EXPECT_EQ(std::count(dry.output.begin(), dry.output.end(), '\n'), 3 + 1 + 4) << dry.output;  // header, table
  EXPECT_FALSE(fs::exists(dir / "store"));

  const auto first = test::run_seglab("sweep " + file + store + " --jobs 2");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const std::string id = sweep_id_of(first.output);
  EXPECT_NE(first.output.find("4 to run"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find(": 4 finished, 0 running, 0 failed"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("best val.dice"), std::string::npos) << first.output;
  // Two jobs at once: the second run starts before the first one ends.
  EXPECT_LT(first.output.find("[2/4] started"), first.output.find("finished    ")) << first.output;
  EXPECT_LT(first.output.find("[3/4] started"), first.output.find("[4/4] started")) << first.output;

  std::vector<RunInfo> runs;
  {
    RunStore s(dir / "store");
    const SweepInfo sweep = s.catalog().find_sweep(id);
    EXPECT_EQ(sweep.name, "tiny-sweep");
    EXPECT_EQ(sweep.file, fs::weakly_canonical(file).string());
    EXPECT_EQ(sweep.spec, test::read_text_file(file));
    runs = s.catalog().sweep_runs(id);
    ASSERT_EQ(runs.size(), 4u);
    std::set<std::string> keys;
    std::multiset<std::string> lrs;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    for (const auto& run : runs) {
      EXPECT_EQ(run.status, RunStatus::finished) << run.error;
      EXPECT_EQ(run.sweep_id, id);
      keys.insert(run.job_key);
      const auto params = s.catalog().params(run.id);
      lrs.insert(params.at("train.lr"));
      // cores / jobs threads each, since the file does not set backend.threads
      EXPECT_EQ(params.at("backend.threads"), std::to_string(std::max(1u, cores / 2)));
      EXPECT_EQ(s.catalog().metrics(run.id, "val.dice").size(), 2u);
    }
    EXPECT_EQ(keys.size(), 4u);
    EXPECT_EQ(lrs, (std::multiset<std::string>{"0.01", "0.01", "0.02", "0.02"}));
  }

  // Status shows every cell finished.
  const auto status = test::run_seglab("sweep status " + id.substr(0, 5) + store);
  ASSERT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("4 runs: 4 finished, 0 running"), std::string::npos) << status.output;
  for (const auto& run : runs) EXPECT_NE(status.output.find(run.id), std::string::npos) << status.output;

  // Running it again runs nothing; adding a value runs only the new cells.
  const auto again = test::run_seglab("sweep " + file + store);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(sweep_id_of(again.output), id);
  EXPECT_NE(again.output.find("4 finished, 0 running, 0 failed, 0 interrupted, 0 not started; 0 to run"), std::string::npos)
      << again.output;
  test::write_text_file(file, tiny_sweep("train.lr = 0.01, 0.02, 0.04\nrepeats = 2\n"));
  const auto grown = test::run_seglab("sweep " + file + store + " --jobs 2");
  ASSERT_EQ(grown.exit_code, 0) << grown.output;
  EXPECT_NE(grown.output.find("6 runs: 4 finished, 0 running, 0 failed, 0 interrupted, 2 not started; 2 to run"),
            std::string::npos)
      << grown.output;
  const auto after = RunStore(dir / "store").catalog().sweep_runs(id);
  ASSERT_EQ(after.size(), 6u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(after[i].id, runs[i].id);
  EXPECT_EQ(RunStore(dir / "store").catalog().params(after[5].id).at("train.lr"), "0.04");

  // A changed base experiment is refused before anything runs.
  test::write_text_file(file, tiny_sweep("train.lr = 0.01, 0.02, 0.04\nrepeats = 2\n", 3));
  const auto changed = test::run_seglab("sweep " + file + store);
  EXPECT_EQ(changed.exit_code, 1) << changed.output;
  EXPECT_NE(changed.output.find("the base experiment changed since sweep " + id + " started (train.epochs: 2 -> 3)"),
            std::string::npos)
      << changed.output;
  EXPECT_NE(changed.output.find("--new"), std::string::npos);
  EXPECT_EQ(RunStore(dir / "store").catalog().sweep_runs(id).size(), 6u);

  // train refuses the sweep file and points to seglab sweep.
  const auto train = test::run_seglab("train " + file + store);
  EXPECT_EQ(train.exit_code, 1);
  EXPECT_NE(train.output.find("this is a sweep file"), std::string::npos) << train.output;
  EXPECT_NE(train.output.find("seglab sweep " + file), std::string::npos) << train.output;
}

TEST(SweepCli, KilledHalfWayThenRerunFinishesOnlyWhatWasMissing) {
  test::TempDir dir;
  const std::string file = dir / "sweep.ini";
  // Longer runs (20 epochs) so the kill lands while the third one trains; one
  // thread each, set in the file, so the launcher keeps it.
  test::write_text_file(file, tiny_sweep("train.lr = 0.01, 0.02\nrepeats = 2\n", 20, 1));
  const std::string store_dir = dir / "store";
  const auto started = test::run_command("( " + std::string(test::seglab_binary()) + " sweep " + file + " --store " + store_dir +
                                         " --jobs 1 > " + (dir / "out.txt") + " 2>&1 & echo $! > " + (dir / "pid") +
                                         "; wait $!; echo $? > " + (dir / "rc") + " ) > /dev/null 2>&1 &");
  ASSERT_EQ(started.exit_code, 0) << started.output;

  // Wait until two runs are finished and the third is training, then SIGTERM the sweep.
  pid_t pid = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  bool third_running = false;
  while (std::chrono::steady_clock::now() < deadline && !third_running) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!pid && fs::exists(dir / "pid")) pid = std::atoi(test::read_text_file(dir / "pid").c_str());
    if (!fs::exists(store_dir + "/catalog.db")) continue;
    RunStore s(store_dir);
    const auto sweeps = s.catalog().list_sweeps();
    if (sweeps.empty()) continue;
    const auto runs = s.catalog().sweep_runs(sweeps[0].id);
    third_running = runs.size() == 3 && runs[2].status == RunStatus::running;
  }
  ASSERT_TRUE(third_running) << test::read_text_file(dir / "out.txt");
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  while (!fs::exists(dir / "rc") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const std::string out = test::read_text_file(dir / "out.txt");
  EXPECT_EQ(std::atoi(test::read_text_file(dir / "rc").c_str()), 130) << out;
  EXPECT_NE(out.find("interrupted; `seglab sweep resume"), std::string::npos) << out;

  std::vector<RunInfo> before;
  std::string id;
  {
    RunStore s(store_dir);
    id = s.catalog().list_sweeps().at(0).id;
    before = s.catalog().sweep_runs(id);
  }
  ASSERT_EQ(before.size(), 3u);  // the fourth never started
  EXPECT_EQ(before[0].status, RunStatus::finished);
  EXPECT_EQ(before[1].status, RunStatus::finished);
  EXPECT_EQ(before[2].status, RunStatus::interrupted);  // marked by the run itself, on the forwarded signal
  EXPECT_FALSE(process_alive(static_cast<pid_t>(before[2].pid)));

  // Running it again (this time through `resume`) trains the interrupted cell and the missing one only.
  const auto resumed = test::run_seglab("sweep resume " + id + " --store " + store_dir + " --jobs 2");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("4 runs: 2 finished, 0 running, 0 failed, 1 interrupted, 1 not started; 2 to run"),
            std::string::npos)
      << resumed.output;
  RunStore s(store_dir);
  const auto after = s.catalog().sweep_runs(id);
  ASSERT_EQ(after.size(), 5u);
  EXPECT_EQ(after[0].id, before[0].id);
  EXPECT_EQ(after[1].id, before[1].id);
  EXPECT_EQ(after[2].status, RunStatus::interrupted);
  std::set<std::string> finished_keys;
  for (const auto& r : after)
    if (r.status == RunStatus::finished) finished_keys.insert(r.job_key);
  EXPECT_EQ(finished_keys.size(), 4u);
  for (const auto& r : after) EXPECT_EQ(s.catalog().params(r.id).at("backend.threads"), "1");  // set in the file: kept
  EXPECT_EQ(after[3].job_key == before[2].job_key || after[4].job_key == before[2].job_key, true);
}

TEST(SweepCli, AFailingRunLeavesTheOthersFinished) {
  test::TempDir dir;
  for (const char* folder : {"good", "bad"})
    for (const char* id : {"a", "b", "c", "d", "e", "f"})
      test::write_pair(dir / (std::string(folder) + "/images/" + id + ".png"),
                       dir / (std::string(folder) + "/masks/" + id + ".png"), 32, 32);
  // Listed fine, but undecodable: the data check refuses it before a run is recorded.
  std::ofstream(dir / "bad/images/c.png", std::ios::trunc) << "garbage";
  const std::string file = dir / "sweep.ini";
  test::write_text_file(file,
                        "[experiment]\nname = failing\n[data]\nadapter = folder\nroot = " + (dir / "good") +
                            "\nimage_size = 32\nval_ratio = 0.34\n[model]\nbase_channels = 4\ndepth = 2\n"
                            "[backend]\ndevice = cpu\n[train]\nbatch_size = 2\nepochs = 1\n"
                            "[sweep]\ndata.root = " + (dir / "good") + ", " + (dir / "bad") + "\nseeds = 1, 2\n");
  const auto r = test::run_seglab("sweep " + file + " --store " + (dir / "store") + " --jobs 2");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  // The bad cells fail before their run exists: nothing half-made in the
  // catalog, the reason printed, the cells left to run again.
  EXPECT_NE(r.output.find("2 finished, 0 running, 0 failed, 0 interrupted, 2 not started"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("no run recorded (exit 1): " + (dir / "bad/images/c.png") + ": cannot decode image"),
            std::string::npos)
      << r.output;
  RunStore s(dir / "store");
  const auto runs = s.catalog().sweep_runs(s.catalog().list_sweeps().at(0).id);
  ASSERT_EQ(runs.size(), 2u);
  for (const auto& run : runs) {
    EXPECT_EQ(s.catalog().params(run.id).at("data.root"), dir / "good");
    EXPECT_EQ(run.status, RunStatus::finished) << run.error;
  }
}

}  // namespace
}  // namespace seglab
