// `sweep.launcher = slurm` against a real single-node Slurm cluster started by
// the test (tests/support/slurm_cluster.sh): a 4-cell sweep goes through sbatch
// as one 4-task array and records 4 finished runs carrying their Slurm ids;
// scancel'd tasks are interrupted and `sweep resume` continues them from their
// checkpoints; bad [slurm] options and sbatch refusals give clear errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <thread>

#include "core/error.h"
#include "engine/sweep/slurm_launcher.h"
#include "engine/sweep/slurm_queue.h"
#include "engine/sweep/sweep_runner.h"
#include "tests/support/postgres_server.h"
#include "tests/support/slurm_cluster.h"
#include "tests/support/test_support.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

using Clock = std::chrono::steady_clock;

// Generated 32x32 images and a 2-level U-Net with 4 channels: a run is short.
std::string tiny_sweep(const std::string& sweep_section, const std::string& slurm_section, int epochs = 2,
                       int samples = 12, int size = 32) {
  const std::string side = std::to_string(size);
  return "[experiment]\nname = slurm-sweep\nseed = 3\n"
         "[data]\nadapter = synthetic\nnum_samples = " + std::to_string(samples) +
         "\nsynthetic_size = " + side + "\nimage_size = " + side + "\nval_ratio = 0.25\n"
         "[model]\nbase_channels = 4\ndepth = 2\n"
         "[backend]\ndevice = cpu\n"
         "[train]\nbatch_size = 3\nlr = 0.01\nepochs = " + std::to_string(epochs) +
         "\n[sweep]\n" + sweep_section + (slurm_section.empty() ? "" : "[slurm]\n" + slurm_section);
}

std::string sweep_id_of(const std::string& output) {
  std::smatch match;
  EXPECT_TRUE(std::regex_search(output, match, std::regex("sweep ([0-9a-f]{8}) \""))) << output;
  return match.size() > 1 ? match[1].str() : "";
}

std::string array_id_of(const std::string& output) {
  std::smatch match;
  EXPECT_TRUE(std::regex_search(output, match, std::regex("as Slurm job array ([0-9]+)"))) << output;
  return match.size() > 1 ? match[1].str() : "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Options are checked before anything is written or submitted: no cluster needed.
TEST(SlurmOptions, BadOptionsGiveClearErrors) {
  struct Case {
    std::string sweep, slurm, expected;
  };
  const std::vector<Case> cases = {
      {"launcher = slurm\n", "time = 1h\n", "[slurm] time = '1h' is not a Slurm time limit"},
      {"launcher = slurm\n", "mem = 4GB\n", "[slurm] mem = '4GB' is not a memory size"},
      {"launcher = slurm\n", "gres = gpu 1\n", "[slurm] gres = 'gpu 1' is not a gres list"},
      {"launcher = slurm\n", "partitoin = debug\n", "did you mean"},
      {"launcher = slurm\n", "cpus_per_task = 0\n", "slurm.cpus_per_task"},
      {"launcher = slurm\n", "extra_args = --array=0-9\n", "seglab sets --array itself"},
      {"launcher = slurm\n", "extra_args = --qos=\"long\"\n", "quotes or shell characters"},
      {"launcher = slurm\n", "extra_args = long\n", "extra_args must start with an sbatch option"},
      {"", "partition = debug\n", "[slurm] options apply only to sweep.launcher = slurm, and this sweep uses local"},
  };
  for (const auto& c : cases) {
    try {
      load_sweep(tiny_sweep("train.lr = 0.01, 0.02\n" + c.sweep, c.slurm), "s.ini");
      ADD_FAILURE() << "accepted: " << c.slurm;
    } catch (const ConfigError& e) {
      EXPECT_TRUE(contains(e.describe(), c.expected)) << c.slurm << "\n" << e.describe();
    }
  }

  // Through the command line: the same message, exit 1, nothing written.
  test::TempDir dir;
  const std::string file = dir / "sweep.ini";
  test::write_text_file(file, tiny_sweep("train.lr = 0.01, 0.02\nlauncher = slurm\n", "time = 1h\n"));
  const auto bad = test::run_seglab("sweep " + file + " --store " + (dir / "store"));
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_TRUE(contains(bad.output, "[slurm] time = '1h' is not a Slurm time limit")) << bad.output;
  EXPECT_FALSE(fs::exists(dir / "store"));

  // Good options: the launcher describes them, and [slurm] is part of no job key.
  const LoadedSweep slurm = load_sweep(tiny_sweep("train.lr = 0.01, 0.02\nlauncher = slurm\n",
                                                  "partition = gpu\ntime = 0-01:30:00\ncpus_per_task = 4\nmem = 8G\n"
                                                  "gres = gpu:1\nrequeue = true\nmax_parallel = 2\n"),
                                       "s.ini");
  EXPECT_EQ(make_launcher(slurm.controls)->describe(),
            "slurm, one job array, partition gpu, 4 CPUs per task, 8G memory, gres gpu:1, time limit 0-01:30:00, "
            "SIGTERM 120 s before it, requeued on preemption, at most 2 at once");
  const LoadedSweep local = load_sweep(tiny_sweep("train.lr = 0.01, 0.02\n", ""), "s.ini");
  ASSERT_EQ(slurm.plan.jobs.size(), 2u);
  ASSERT_EQ(local.plan.jobs.size(), 2u);
  for (size_t i = 0; i < 2; ++i) EXPECT_EQ(slurm.plan.jobs[i].key, local.plan.jobs[i].key);
}

TEST(SlurmOptions, BatchScriptExecsSeglabWithAbsolutePaths) {
  SlurmSettings settings;
  settings.partition = "gpu";
  settings.time = "30";
  settings.cpus_per_task = 2;
  settings.signal_seconds = 60;
  settings.requeue = true;
  settings.extra = {"--qos=long"};
  settings.max_parallel = 3;
  const LaunchContext context{"abcd1234", "/shared/store/sweeps/abcd1234", "/shared/store", "ablation"};
  const std::string script = slurm_batch_script(settings, context, {"aaa", "bbb"}, "/opt/seglab/bin/seglab");
  for (const char* line : {"#!/bin/bash\n", "#SBATCH --partition=gpu\n", "#SBATCH --time=30\n",
                           "#SBATCH --cpus-per-task=2\n", "#SBATCH --signal=B:TERM@60\n", "#SBATCH --requeue\n",
                           "keys=(aaa bbb)\n", "key=${keys[$SLURM_ARRAY_TASK_ID]}\n",
                           "exec '/opt/seglab/bin/seglab' sweep run-cell abcd1234 \"$key\" --store '/shared/store'"})
    EXPECT_TRUE(contains(script, line)) << line << "\n" << script;
  const auto args = sbatch_arguments(settings, context, 2, "/shared/store/sweeps/abcd1234/slurm/array-1.sh");
  const std::vector<std::string> expected{"sbatch", "--parsable", "--array=0-1%3",
                                          "--output=/shared/store/sweeps/abcd1234/slurm/slurm-%A_%a.out", "--qos=long",
                                          "/shared/store/sweeps/abcd1234/slurm/array-1.sh"};
  EXPECT_EQ(args, expected);

  const LaunchContext relative{"abcd1234", "store/sweeps/abcd1234", "store", "ablation"};
  EXPECT_THROW(slurm_batch_script(settings, relative, {"aaa"}, "/opt/seglab/bin/seglab"), Error);
  EXPECT_THROW(slurm_batch_script(settings, context, {"aaa"}, "build/seglab"), Error);
}

// One cluster for the suite: its first job waits for slurmctld's first scheduling pass.
class SlurmSweep : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = std::make_unique<test::SlurmCluster>(); }
  static void TearDownTestSuite() { cluster_.reset(); }
  static std::unique_ptr<test::SlurmCluster> cluster_;
};
std::unique_ptr<test::SlurmCluster> SlurmSweep::cluster_;

TEST_F(SlurmSweep, FourCellsRunAsOneJobArrayAndRecordTheirSlurmIds) {
  test::TempDir dir;
  const std::string file = dir / "sweep.ini";
  const std::string store = dir / "store";
  test::write_text_file(file, tiny_sweep("train.lr = 0.01, 0.02\nrepeats = 2\nlauncher = slurm\n",
                                         "partition = " + cluster_->partition() + "\ntime = 10\nwait = true\n"));
  const auto start = Clock::now();
  const auto result = test::run_seglab("sweep " + file + " --store " + store);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_EQ(result.exit_code, 0) << result.output << cluster_->log_tail();
  const std::string id = sweep_id_of(result.output);
  const std::string array = array_id_of(result.output);
  EXPECT_TRUE(contains(result.output, "submitted 4 cells as Slurm job array " + array)) << result.output;
  EXPECT_TRUE(contains(result.output, ": 4 finished, 0 running, 0 failed, 0 interrupted, 0 not started")) << result.output;
  std::cout << "4-cell sweep through Slurm: " << seconds << " s\n";

  RunStore s(store);
  const auto runs = s.catalog().sweep_runs(id);
  ASSERT_EQ(runs.size(), 4u);
  std::set<std::string> tasks, keys;
  for (const auto& run : runs) {
    EXPECT_EQ(run.status, RunStatus::finished) << run.id;
    const auto record = s.catalog().record(run.id);
    EXPECT_EQ(record.at("slurm.array_job_id"), array) << run.id;
    EXPECT_EQ(record.at("slurm.partition"), cluster_->partition());
    EXPECT_FALSE(record.at("slurm.job_id").empty());
    // 1 CPU per task: the run trained with one thread.
    EXPECT_EQ(record.at("threads.configured"), "1");
    tasks.insert(record.at("slurm.array_task_id"));
    keys.insert(run.job_key);
  }
  EXPECT_EQ(tasks, (std::set<std::string>{"0", "1", "2", "3"}));
  EXPECT_EQ(keys.size(), 4u);

  // The submission is recorded, and the batch script names seglab and the store by absolute path.
  const auto submitted = read_slurm_submissions(s.sweep_dir(id));
  ASSERT_EQ(submitted.size(), 4u);
  for (const auto& t : submitted) EXPECT_EQ(t.array_job_id, array);
  const std::string script = test::read_text_file(s.sweep_dir(id) + "/slurm/array-1.sh");
  EXPECT_TRUE(contains(script, "exec '" + fs::canonical(test::seglab_binary()).string() + "' sweep run-cell " + id)) << script;
  EXPECT_TRUE(contains(script, "--store '" + fs::absolute(store).string() + "'")) << script;
  EXPECT_TRUE(contains(script, "#SBATCH --signal=B:TERM@120")) << script;

  const auto status = test::run_seglab("sweep status " + id + " --store " + store);
  ASSERT_EQ(status.exit_code, 0) << status.output;
  EXPECT_TRUE(contains(status.output, "slurm")) << status.output;
  EXPECT_TRUE(contains(status.output, "4 runs: 4 finished")) << status.output;
  for (int t = 0; t < 4; ++t) EXPECT_TRUE(contains(status.output, array + "_" + std::to_string(t))) << status.output;

  // Everything finished: resuming submits nothing, cancelling finds nothing queued.
  const auto again = test::run_seglab("sweep resume " + id + " --store " + store);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_TRUE(contains(again.output, "0 to run")) << again.output;
  EXPECT_TRUE(contains(again.output, "nothing to submit")) << again.output;
  const auto cancel = test::run_seglab("sweep cancel " + id + " --store " + store);
  EXPECT_EQ(cancel.exit_code, 0) << cancel.output;
  EXPECT_TRUE(contains(cancel.output, "no Slurm task is pending or running")) << cancel.output;
}

TEST_F(SlurmSweep, UnknownPartitionReportsSbatchsMessage) {
  test::TempDir dir;
  const std::string file = dir / "sweep.ini";
  test::write_text_file(file, tiny_sweep("train.lr = 0.01, 0.02\nlauncher = slurm\n", "partition = nosuch\n"));
  const auto result = test::run_seglab("sweep " + file + " --store " + (dir / "store"));
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "sbatch refused the job array: sbatch: error: invalid partition specified: nosuch"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "check the [slurm] section")) << result.output;
  // Nothing was submitted, so nothing is recorded as submitted.
  RunStore s(dir / "store");
  const auto sweeps = s.catalog().sweeps_for_file(fs::weakly_canonical(file).string());
  ASSERT_EQ(sweeps.size(), 1u);
  EXPECT_TRUE(read_slurm_submissions(s.sweep_dir(sweeps.front().id)).empty());
  EXPECT_TRUE(s.catalog().sweep_runs(sweeps.front().id).empty());
}

TEST_F(SlurmSweep, CancelledTasksAreInterruptedAndResumeContinuesThemFromTheirCheckpoints) {
  test::TempDir dir;
  const std::string file = dir / "sweep.ini";
  const std::string store = dir / "store";
  // Long enough to be cancelled mid-run even on an idle machine (at 32x32 the
  // 120 epochs could end before the status and cancel commands): 96x96
  // images, 2 cells, 2 CPUs, both running at once.
  test::write_text_file(file, tiny_sweep("train.lr = 0.01, 0.02\nlauncher = slurm\n", "time = 10\n", 120, 12, 96));
  const auto submit = test::run_seglab("sweep " + file + " --store " + store);
  ASSERT_EQ(submit.exit_code, 0) << submit.output;
  const std::string id = sweep_id_of(submit.output);
  const std::string first_array = array_id_of(submit.output);
  EXPECT_TRUE(contains(submit.output, "follow it with `seglab sweep status " + id + "`")) << submit.output;

  // Right after submission squeue knows the tasks.
  const auto queued = test::run_seglab("sweep status " + id + " --store " + store);
  EXPECT_TRUE(contains(queued.output, first_array + "_0 ")) << queued.output;

  // Wait until both runs have logged an epoch (so they have checkpoints), then cancel.
  RunStore s(store);
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  auto runs_with_epochs = [&] {
    int n = 0;
    for (const auto& run : s.catalog().sweep_runs(id))
      n += run.status == RunStatus::running && !s.catalog().metrics(run.id, "val.dice").empty();
    return n;
  };
  while (runs_with_epochs() < 2 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_EQ(runs_with_epochs(), 2) << cluster_->log_tail();
  const auto running = test::run_seglab("sweep status " + id + " --store " + store);
  EXPECT_TRUE(contains(running.output, first_array + "_0 RUNNING")) << running.output;

  const auto cancel = test::run_seglab("sweep cancel " + id + " --store " + store);
  ASSERT_EQ(cancel.exit_code, 0) << cancel.output;
  EXPECT_TRUE(contains(cancel.output, "cancelled Slurm job array " + first_array + ": 0 pending, 2 running")) << cancel.output;
  const auto gone_by = Clock::now() + std::chrono::seconds(30);
  while (!squeue_states({first_array}).empty() && Clock::now() < gone_by)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(squeue_states({first_array}).empty());

  std::map<std::string, RunInfo> before;  // by run id
  for (const auto& run : s.catalog().sweep_runs(id)) {
    EXPECT_EQ(run.status, RunStatus::interrupted) << run.id << " " << run.error;
    before[run.id] = run;
  }
  ASSERT_EQ(before.size(), 2u);
  const auto status = test::run_seglab("sweep status " + id + " --store " + store);
  EXPECT_TRUE(contains(status.output, "0 finished, 0 running, 0 failed, 2 interrupted")) << status.output;
  EXPECT_TRUE(contains(status.output, first_array + "_0 not in queue")) << status.output;
  // No accounting on this cluster: the states come from squeue only, and status says so.
  EXPECT_TRUE(contains(status.output, "Slurm states from squeue only (sacct: Slurm accounting storage is disabled)"))
      << status.output;

  // Resume: one new array; each task continues its interrupted run in place.
  const auto resumed = test::run_seglab("sweep resume " + id + " --store " + store + " --wait");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output << cluster_->log_tail();
  const std::string second_array = array_id_of(resumed.output);
  EXPECT_NE(second_array, first_array);
  EXPECT_TRUE(contains(resumed.output, "2 to run")) << resumed.output;
  EXPECT_TRUE(contains(resumed.output, ": 2 finished, 0 running, 0 failed, 0 interrupted")) << resumed.output;
  const auto after = s.catalog().sweep_runs(id);
  ASSERT_EQ(after.size(), 2u);  // no new runs: the same two, continued
  for (const auto& run : after) {
    ASSERT_TRUE(before.count(run.id)) << run.id;
    EXPECT_EQ(run.status, RunStatus::finished);
    EXPECT_EQ(run.resumes, 1);
    const auto record = s.catalog().record(run.id);
    EXPECT_EQ(record.at("slurm.array_job_id"), second_array);
    EXPECT_EQ(s.catalog().metrics(run.id, "val.dice").size(), 120u);  // every epoch once
    EXPECT_TRUE(contains(test::read_text_file(s.sweep_dir(id) + "/logs/" + run.job_key + ".log"), "resuming run " + run.id));
  }
}

// The cluster setup docs/sweeps.md describes: Slurm runs the cells, every task
// writes its run into one PostgreSQL catalog, the run files go to the shared
// `runs` path of the store URL.
TEST_F(SlurmSweep, FourCellsThroughSlurmAreRecordedInAPostgresCatalog) {
  test::PostgresServer& server = test::PostgresServer::shared();
  const std::string database = server.create_database("slurm");
  test::TempDir dir;
  const std::string store = server.store_url(database, dir / "runs");
  const std::string file = dir / "sweep.ini";
  test::write_text_file(file, tiny_sweep("train.lr = 0.01, 0.02\nrepeats = 2\nlauncher = slurm\n",
                                         "partition = " + cluster_->partition() + "\ntime = 10\nwait = true\n"));
  const auto result = test::run_seglab("sweep " + file + " --store '" + store + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output << cluster_->log_tail();
  const std::string id = sweep_id_of(result.output);
  const std::string array = array_id_of(result.output);
  EXPECT_TRUE(contains(result.output, ": 4 finished, 0 running, 0 failed, 0 interrupted, 0 not started")) << result.output;

  // The batch script hands the tasks the URL, not a folder of their own.
  RunStore s(store);
  EXPECT_TRUE(contains(test::read_text_file(s.sweep_dir(id) + "/slurm/array-1.sh"), "--store '" + store + "'"));
  const auto runs = s.catalog().sweep_runs(id);
  ASSERT_EQ(runs.size(), 4u);
  std::set<std::string> tasks;
  for (const auto& run : runs) {
    EXPECT_EQ(run.status, RunStatus::finished) << run.id;
    EXPECT_EQ(s.catalog().record(run.id).at("slurm.array_job_id"), array) << run.id;
    tasks.insert(s.catalog().record(run.id).at("slurm.array_task_id"));
    EXPECT_TRUE(fs::exists(dir / ("runs/runs/" + run.id + "/run.h5"))) << run.id;
    EXPECT_EQ(s.catalog().metrics(run.id, "train.epoch_loss").size(), 2u) << run.id;
  }
  EXPECT_EQ(tasks, (std::set<std::string>{"0", "1", "2", "3"}));
  // Straight from the server: four runs of the sweep, none left in a SQLite file.
  EXPECT_EQ(server.psql(database, "SELECT count(*) FROM runs WHERE sweep_id = '" + id + "' AND status = 'finished'"), "4\n");
  EXPECT_FALSE(fs::exists(dir / "runs/catalog.db"));
  const auto list = test::run_seglab("runs list --store '" + store + "' --where status=finished");
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_EQ(std::count(list.output.begin(), list.output.end(), '\n'), 5) << list.output;  // header + 4 runs
}

}  // namespace
}  // namespace seglab
