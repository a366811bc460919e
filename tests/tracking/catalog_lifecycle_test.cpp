// Schema v2 of the catalog: migration of a v1 store, liveness, resume
// bookkeeping, tags, notes, per-image scores, artifacts and deletion.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "tests/support/test_support.h"
#include "tests/tracking/catalog_backends.h"
#include "tracking/catalog_schema.h"
#include "tracking/process_identity.h"

namespace seglab {
namespace {

RunInfo make_run(const std::string& id) {
  RunInfo r;
  r.id = id;
  r.name = "run-" + id;
  r.created_at = utc_now_iso();
  r.config_hash = "hash";
  r.host = this_host_name();
  r.pid = static_cast<int64_t>(::getpid());
  r.process_identity = own_process_identity();
  return r;
}

// The pid of a process that has ended and been reaped.
int64_t dead_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

using CatalogSchema = test::CatalogTest;
using CatalogLiveness = test::CatalogTest;
using CatalogResume = test::CatalogTest;
using CatalogAnnotations = test::CatalogTest;

TEST_P(CatalogSchema, MigratesAVersionOneStoreKeepingItsRuns) {
  make_version_one();
  raw_sql(
      "INSERT INTO runs (id, name, status, created_at, config_hash) VALUES ('0ld00001', 'old', 'finished', "
      "'2026-01-01T00:00:00Z', 'h');"
      "INSERT INTO metrics (run_id, key, step, epoch, value, wall_time) VALUES ('0ld00001', 'val.dice', 3, 1, 0.5, 1.0);");
  auto opened = open();
  Catalog& catalog = *opened;
  const RunInfo old = catalog.find_run("0ld");
  EXPECT_EQ(old.status, RunStatus::finished);
  EXPECT_EQ(old.parent_id, "");
  EXPECT_EQ(old.resumes, 0);
  EXPECT_DOUBLE_EQ(catalog.latest_metrics(old.id).at("val.dice"), 0.5);
  catalog.add_tags(old.id, {"legacy"});  // v2 tables exist
  EXPECT_EQ(catalog.tags(old.id), std::vector<std::string>{"legacy"});
  EXPECT_EQ(schema_version(), Catalog::kSchemaVersion);
}

TEST_P(CatalogLiveness, DeadProcessesAreMarkedInterruptedLiveOnesAreNot) {
  auto opened = open();
  Catalog& catalog = *opened;
  catalog.create_run(make_run("a11ve000"), {}, {});  // this test process: alive
  RunInfo dead = make_run("dead0000");
  dead.pid = dead_pid();
  dead.process_identity = "boot:1";
  catalog.create_run(dead, {}, {});
  RunInfo recycled = make_run("recyc000");  // our pid, but another process's start time
  recycled.process_identity = own_process_identity() + "0";
  catalog.create_run(recycled, {}, {});
  RunInfo remote = make_run("remote00");  // another host: only the heartbeat tells
  remote.host = "some-other-host";
  catalog.create_run(remote, {}, {});

  const auto marked = catalog.mark_dead_runs();
  EXPECT_EQ(marked, (std::vector<std::string>{"dead0000", "recyc000"}));
  EXPECT_EQ(catalog.find_run("a11ve000").status, RunStatus::running);
  EXPECT_EQ(catalog.find_run("remote00").status, RunStatus::running);  // fresh heartbeat
  const RunInfo after = catalog.find_run("dead0000");
  EXPECT_EQ(after.status, RunStatus::interrupted);
  EXPECT_NE(after.error.find("process " + std::to_string(dead.pid) + " on " + dead.host + " died"), std::string::npos)
      << after.error;
  EXPECT_FALSE(after.ended_at.empty());
  EXPECT_TRUE(catalog.mark_dead_runs().empty());  // idempotent
  EXPECT_FALSE(run_process_alive("some-other-host", 1, "x", unix_time_now() - kStaleHeartbeatSeconds - 1, unix_time_now()));
}

TEST_P(CatalogResume, TakesOverTheRunAndDropsPointsAfterTheCheckpoint) {
  auto opened = open();
  Catalog& catalog = *opened;
  RunInfo run = make_run("res00000");
  run.pid = dead_pid();
  catalog.create_run(run, {{"train.epochs", "3"}}, {{"seglab.git_commit", "abc"}});
  catalog.log_metrics(run.id, {{"train.loss", 1, 1, 0.9, 1}, {"train.loss", 2, 1, 0.8, 1}, {"val.dice", 2, 1, 0.4, 1},
                               {"train.loss", 3, 2, 0.7, 1}});
  catalog.mark_dead_runs();
  catalog.begin_resume(run.id, this_host_name(), ::getpid(), own_process_identity(), 2, {{"resume.1", "by test"}});
  const RunInfo resumed = catalog.find_run(run.id);
  EXPECT_EQ(resumed.status, RunStatus::running);
  EXPECT_EQ(resumed.resumes, 1);
  EXPECT_EQ(resumed.pid, ::getpid());
  EXPECT_EQ(resumed.error, "");
  EXPECT_EQ(catalog.metrics(run.id, "train.loss").size(), 2u);  // step 3 will be trained again
  EXPECT_EQ(catalog.metrics(run.id, "val.dice").size(), 1u);
  EXPECT_EQ(catalog.record(run.id).at("resume.1"), "by test");
  EXPECT_EQ(catalog.record(run.id).at("seglab.git_commit"), "abc");
  // Now it is alive (this process): a second resume is refused, naming the pid.
  try {
    catalog.begin_resume(run.id, this_host_name(), ::getpid(), own_process_identity(), 0, {});
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("still running (pid " + std::to_string(::getpid())), std::string::npos) << e.what();
  }
  catalog.set_status(run.id, RunStatus::finished);
  EXPECT_THROW(catalog.begin_resume(run.id, this_host_name(), 1, "", 0, {}), StoreError);
}

TEST_P(CatalogAnnotations, TagsNotesScoresArtifactsAndDelete) {
  auto opened = open();
  Catalog& catalog = *opened;
  catalog.create_run(make_run("keep0000"), {{"a", "1"}}, {{"r", "1"}});
  catalog.create_run(make_run("gone0000"), {{"a", "2"}}, {{"r", "2"}});
  RunInfo child = make_run("child000");
  child.parent_id = "keep0000";
  catalog.create_run(child, {}, {});
  for (const char* id : {"keep0000", "gone0000"}) {
    catalog.add_tags(id, {"baseline", "ph2", "baseline"});
    catalog.add_note(id, "first try, lr too high");
    catalog.log_metrics(id, {{"val.dice", 1, 1, 0.5, 1}});
    catalog.set_image_scores(id, "val_best", {{"IMD004", "dice", 0.9}, {"IMD004", "iou", 0.8}, {"IMD010", "dice", 0.7}});
    catalog.add_artifact(id, {"run.h5", "checkpoints", 1234, "ff", ""});
  }
  catalog.remove_tags("keep0000", {"ph2"});
  EXPECT_EQ(catalog.tags("keep0000"), std::vector<std::string>{"baseline"});
  EXPECT_EQ(catalog.tags("gone0000"), (std::vector<std::string>{"baseline", "ph2"}));
  ASSERT_EQ(catalog.notes("keep0000").size(), 1u);
  EXPECT_EQ(catalog.notes("keep0000")[0].text, "first try, lr too high");
  // Replacing a source's scores leaves no stale rows.
  catalog.set_image_scores("keep0000", "val_best", {{"IMD004", "dice", 0.95}});
  const auto scores = catalog.image_scores("keep0000");
  ASSERT_EQ(scores.at("val_best").size(), 1u);
  EXPECT_DOUBLE_EQ(scores.at("val_best")[0].value, 0.95);
  ASSERT_EQ(catalog.artifacts("keep0000").size(), 1u);
  EXPECT_EQ(catalog.artifacts("keep0000")[0].bytes, 1234);
  EXPECT_EQ(catalog.children("keep0000"), std::vector<std::string>{"child000"});

  catalog.delete_run("gone0000");
  EXPECT_FALSE(catalog.has_run("gone0000"));
  EXPECT_TRUE(catalog.params("gone0000").empty());
  EXPECT_TRUE(catalog.record("gone0000").empty());
  EXPECT_TRUE(catalog.tags("gone0000").empty());
  EXPECT_TRUE(catalog.notes("gone0000").empty());
  EXPECT_EQ(catalog.metric_count("gone0000"), 0);
  EXPECT_TRUE(catalog.image_scores("gone0000").empty());
  EXPECT_TRUE(catalog.artifacts("gone0000").empty());
  EXPECT_EQ(catalog.metric_count("keep0000"), 1);  // the other run is untouched
  EXPECT_EQ(catalog.list_runs().size(), 2u);
}

SEGLAB_CATALOG_BACKENDS(CatalogSchema);
SEGLAB_CATALOG_BACKENDS(CatalogLiveness);
SEGLAB_CATALOG_BACKENDS(CatalogResume);
SEGLAB_CATALOG_BACKENDS(CatalogAnnotations);

}  // namespace
}  // namespace seglab
