// Faults of the environment: the disk filling up during a checkpoint write (a
// real, small tmpfs in a private mount namespace) and a catalog locked by
// another connection, briefly (retried: nothing lost) or for longer than the
// retries (reported; after release the run resumes and loses nothing).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "tests/robustness/robustness_support.h"
#include "tests/support/test_support.h"
#include "tracking/run_file.h"
#include "tracking/run_store.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

// Large enough that a checkpoint (weights, Adam state, best) is about 9 MB,
// small enough to train an epoch in well under a second.
const char* kExperiment = R"ini(
[experiment]
name = faulty
seed = 5
[data]
adapter = synthetic
num_samples = 12
synthetic_size = 32
image_size = 32
val_ratio = 0.25
cache = false
[model]
base_channels = 16
depth = 3
[backend]
device = cpu
threads = 1
[train]
epochs = 3
batch_size = 3
lr = 0.001
)ini";

std::string run_id_of(const std::string& output) {
  std::smatch match;
  EXPECT_TRUE(std::regex_search(output, match, std::regex("run ([0-9a-f]{8}) \"faulty\""))) << output;
  return match.size() > 1 ? match[1].str() : "";
}

// (key, step) of every metric point but the wall-clock ones.
std::set<std::pair<std::string, int64_t>> points_of(const std::string& store, const std::string& id) {
  std::set<std::pair<std::string, int64_t>> points;
  RunStore runs(store);
  for (const auto& p : runs.catalog().metrics(id))
    if (p.key.find("images_per_second") == std::string::npos) points.insert({p.key, p.step});
  return points;
}


TEST(FaultInjection, DiskFullDuringACheckpointFailsTheRunAndKeepsThePreviousCheckpoint) {
  test::TempDir dir;
  test::write_text_file(dir / "faulty.ini", kExperiment);
  const std::string mnt = dir / "mnt";
  fs::create_directories(mnt);
  const std::string seglab = test::seglab_binary();
  const std::string store = mnt + "/store";
  // One script in a private mount namespace: the 24 MB tmpfs vanishes with it,
  // whatever happens. The store is copied out for the checks below.
  const std::string script =
      "set -u; mount -t tmpfs -o size=24m tmpfs " + mnt + " || exit 90\n"
      // Killed once the first checkpoint (epoch 1 of 3) is on disk: the
      // background writer's crash point, as the training thread only queues it.
      "SEGLAB_CRASH_AT=run_writer.written#1 " + seglab + " train " + (dir / "faulty.ini") + " --store " + store +
      " > " + (dir / "first.txt") + " 2>&1\n"
      "cp " + store + "/runs/*/run.h5 " + (dir / "epoch1.h5") + "\n"
      // Fill the disk, then free 1 MB: room for the catalog, not for a checkpoint.
      "dd if=/dev/zero of=" + mnt + "/filler bs=64k 2>/dev/null; truncate -s -1M " + mnt + "/filler\n"
      "ID=$(ls " + store + "/runs)\n"
      + seglab + " resume $ID --store " + store + " > " + (dir / "full.txt") + " 2>&1; echo $? > " + (dir / "full.rc") + "\n"
      "ls " + store + "/runs/$ID > " + (dir / "files.txt") + "\n"
      "cp -r " + store + " " + (dir / "after-full") + "\n"
      "rm " + mnt + "/filler\n"
      + seglab + " resume $ID --store " + store + " > " + (dir / "resumed.txt") + " 2>&1; echo $? > " + (dir / "resumed.rc") + "\n"
      "cp -r " + store + " " + (dir / "after-resume") + "\n";
  test::write_text_file(dir / "script.sh", script);
  const auto r = test::run_command(std::string(geteuid() == 0 ? "unshare -m" : "unshare -rm") + " sh " + (dir / "script.sh"));
  ASSERT_EQ(r.exit_code, 0) << "the tmpfs script failed (mount needs root or user namespaces):\n" << r.output;
  const std::string id = run_id_of(test::read_text_file(dir / "first.txt"));

  // The write that found the disk full: exit 1, a message that says so.
  const std::string full = test::read_text_file(dir / "full.txt");
  EXPECT_EQ(test::read_text_file(dir / "full.rc"), "1\n") << full;
  EXPECT_NE(full.find("run.h5: no space left on device: the checkpoint was not written"), std::string::npos) << full;
  EXPECT_NE(full.find("free disk space, then resume the run"), std::string::npos) << full;
  // Status failed with the cause; run.h5 is still the epoch-1 file, no .tmp left.
  {
    RunStore runs(dir / "after-full");
    const RunInfo info = runs.catalog().find_run(id);
    EXPECT_EQ(info.status, RunStatus::failed);
    EXPECT_NE(info.error.find("no space left on device"), std::string::npos) << info.error;
    EXPECT_EQ(test::read_text_file(runs.run_file(id)), test::read_text_file(dir / "epoch1.h5"));
    EXPECT_EQ(read_checkpoint(runs.run_file(id), "last").epoch, 1);
  }
  EXPECT_EQ(test::read_text_file(dir / "files.txt").find(".tmp"), std::string::npos) << test::read_text_file(dir / "files.txt");

  // With space again the run resumes from epoch 1 and finishes.
  const std::string resumed = test::read_text_file(dir / "resumed.txt");
  EXPECT_EQ(test::read_text_file(dir / "resumed.rc"), "0\n") << resumed;
  RunStore runs(dir / "after-resume");
  EXPECT_EQ(runs.catalog().find_run(id).status, RunStatus::finished);
  EXPECT_EQ(read_checkpoint(runs.run_file(id), "last").epoch, 3);
  // Every epoch's points are there: 9 training images in batches of 3, 3 epochs.
  const auto points = points_of(dir / "after-resume", id);
  EXPECT_EQ(points.count({"train.loss", 9}), 1u);
  EXPECT_EQ(points.count({"val.dice", 9}), 1u);
}

// Holds an exclusive transaction on the catalog from another connection.
class CatalogLock {
 public:
  explicit CatalogLock(const std::string& catalog) {
    sqlite3_open(catalog.c_str(), &db_);
    sqlite3_busy_timeout(db_, 10000);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
  }
  ~CatalogLock() {
    sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

// Starts `seglab train` in the background; returns its pid.
pid_t start_training(const std::string& ini, const std::string& store, const std::string& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("SEGLAB_BUSY_TIMEOUT_MS", "100", 1);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    execl(test::seglab_binary(), "seglab", "train", ini.c_str(), "--store", store.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// The id of the first run in the catalog, read without taking a write lock.
std::string wait_for_run(const std::string& store) {
  for (int i = 0; i < 3000; ++i) {
    sqlite3* db = nullptr;
    std::string id;
    if (sqlite3_open_v2((store + "/catalog.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v2(db, "SELECT id FROM runs", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        id = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
      sqlite3_finalize(s);
    }
    sqlite3_close(db);
    if (!id.empty()) return id;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return "";
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class LockedCatalog : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_text_file(dir_ / "faulty.ini", kExperiment);
    const auto r = test::run_seglab("train " + (dir_ / "faulty.ini") + " --store " + (dir_ / "reference"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    reference_ = points_of(dir_ / "reference", run_id_of(r.output));
    ASSERT_EQ(reference_.count({"train.loss", 9}), 1u);
  }
  test::TempDir dir_;
  std::set<std::pair<std::string, int64_t>> reference_;
};

TEST_F(LockedCatalog, ABriefLockIsRetriedAndNoMetricPointIsLost) {
  const std::string store = dir_ / "store";
  const pid_t pid = start_training(dir_ / "faulty.ini", store, dir_ / "train.txt");
  const std::string id = wait_for_run(store);
  ASSERT_FALSE(id.empty());
  {
    CatalogLock lock(store + "/catalog.db");  // longer than the 100 ms busy timeout, shorter than the retries
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  }
  EXPECT_EQ(wait_exit(pid), 0) << test::read_text_file(dir_ / "train.txt");
  EXPECT_EQ(RunStore(store).catalog().find_run(id).status, RunStatus::finished);
  EXPECT_EQ(points_of(store, id), reference_);
}

TEST_F(LockedCatalog, ALongLockIsReportedAndTheResumedRunLosesNothing) {
  const std::string store = dir_ / "store";
  const pid_t pid = start_training(dir_ / "faulty.ini", store, dir_ / "train.txt");
  const std::string id = wait_for_run(store);
  ASSERT_FALSE(id.empty());
  int exit_code = 0;
  {
    CatalogLock lock(store + "/catalog.db");  // held until the process has given up
    exit_code = wait_exit(pid);
  }
  const std::string output = test::read_text_file(dir_ / "train.txt");
  EXPECT_EQ(exit_code, 1) << output;
  EXPECT_NE(output.find("catalog.db"), std::string::npos) << output;
  EXPECT_NE(output.find("database is locked"), std::string::npos) << output;
  // After the release: the store opens, the run is not left "running", and a
  // resume logs every point again exactly once.
  const auto list = test::run_seglab("runs list --store " + store);
  EXPECT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(RunStore(store).catalog().find_run(id).status, RunStatus::running);
  const auto resumed = test::run_seglab("resume " + id + " --store " + store);
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(RunStore(store).catalog().find_run(id).status, RunStatus::finished);
  EXPECT_EQ(points_of(store, id), reference_);
}

}  // namespace
}  // namespace seglab
