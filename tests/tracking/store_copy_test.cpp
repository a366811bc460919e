// `seglab store copy`: SQLite -> PostgreSQL -> SQLite gives the same rows and
// files; a destination with one of the same ids is refused.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/error.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_support.h"
#include "tracking/run_store.h"
#include "tracking/store_copy.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

RunInfo make_run(const std::string& id, RunStatus status) {
  RunInfo r;
  r.id = id;
  r.name = "run " + id;
  r.status = status;
  r.created_at = "2026-11-25T10:00:0" + id.substr(7) + "Z";
  r.config_hash = "hash-" + id;
  r.command = "seglab train x.ini";
  r.host = "node7";
  r.pid = 4242;
  r.process_identity = "boot:77";
  return r;
}

// A store with two runs (one resumed, in a sweep, one a reproduction of it)
// and a sweep, with every kind of row and a few files.
void fill(RunStore& store) {
  Catalog& c = store.catalog();
  c.create_sweep({"5eed0001", "ablation", "/x/s.ini", "[sweep]\ntrain.lr = 0.1, 0.2\n", "2026-11-25T09:00:00Z"});
  RunInfo a = make_run("aaaa0001", RunStatus::running);
  a.sweep_id = "5eed0001";
  a.job_key = "lr=0.1";
  c.create_run(a, {{"train.lr", "0.1"}, {"model.name", "unet"}}, {{"seed", "42"}, {"seglab.git_commit", "abc"}});
  RunInfo b = make_run("bbbb0002", RunStatus::running);
  b.parent_id = a.id;
  c.create_run(b, {{"train.lr", "0.1"}}, {});
  for (const std::string& id : {a.id, b.id}) {
    std::vector<MetricPoint> points;
    for (int step = 1; step <= 40; ++step)
      points.push_back({step % 2 ? "train.loss" : "val.dice", step, step / 10, 1.0 / (step + 0.1), 1.7e9 + step * 0.123});
    c.log_metrics(id, points);
    c.add_tags(id, {"baseline", "ph2"});
    c.add_note(id, "note for " + id);
    c.set_image_scores(id, "val_best", {{"IMD004", "dice", 0.91}, {"IMD010", "dice", 0.73}});
    c.add_artifact(id, {"run.h5", "checkpoints", 1234, "ff00", "2026-11-25T10:00:05Z"});
    EvalRecord e;
    e.run_id = id;
    e.name = "val-best";
    e.created_at = "2026-11-25T11:00:00Z";
    e.images = 18;
    e.options = {{"tta", "d4"}};
    e.metrics["dice"] = {0.8, 0.05, 0.81};
    e.metrics["hd95"] = {12.5, 3.0, std::nan("")};
    c.add_eval(e);
    test::write_text_file(store.run_dir(id) + "/config.ini", "[train]\nlr = 0.1\n" + id);
    test::write_text_file(store.run_dir(id) + "/eval/val-best/per_image.csv", "image,dice\nIMD004,0.91\n");
  }
  c.set_status(a.id, RunStatus::interrupted, "killed");
  c.set_status(b.id, RunStatus::finished);
  test::write_text_file(store.sweep_dir("5eed0001") + "/jobs/lr=0.1.ini", "[train]\nlr = 0.1\n");
}

void expect_same(const RunStore& x, const RunStore& y) {
  const auto runs = x.catalog().list_runs();
  ASSERT_EQ(runs.size(), y.catalog().list_runs().size());
  for (const auto& r : runs) {
    const RunRows a = x.catalog().export_run(r.id), b = y.catalog().export_run(r.id);
    const RunInfo &i = a.info, &j = b.info;
    EXPECT_EQ(std::tie(i.id, i.name, i.created_at, i.ended_at, i.error, i.config_hash, i.command, i.host, i.pid,
                       i.sweep_id, i.job_key, i.process_identity, i.parent_id, i.resumes),
              std::tie(j.id, j.name, j.created_at, j.ended_at, j.error, j.config_hash, j.command, j.host, j.pid,
                       j.sweep_id, j.job_key, j.process_identity, j.parent_id, j.resumes));
    EXPECT_EQ(i.status, j.status);
    EXPECT_DOUBLE_EQ(i.heartbeat, j.heartbeat);
    EXPECT_EQ(a.params, b.params);
    EXPECT_EQ(a.record, b.record);
    EXPECT_EQ(a.tags, b.tags);
    ASSERT_EQ(a.notes.size(), b.notes.size());
    for (size_t k = 0; k < a.notes.size(); ++k)
      EXPECT_EQ(std::tie(a.notes[k].created_at, a.notes[k].text), std::tie(b.notes[k].created_at, b.notes[k].text));
    ASSERT_EQ(a.metrics.size(), b.metrics.size());
    for (size_t k = 0; k < a.metrics.size(); ++k) {
      EXPECT_EQ(a.metrics[k].key, b.metrics[k].key);
      EXPECT_EQ(a.metrics[k].step, b.metrics[k].step);
      EXPECT_EQ(a.metrics[k].epoch, b.metrics[k].epoch);
      EXPECT_EQ(a.metrics[k].value, b.metrics[k].value);  // bit-exact
      EXPECT_EQ(a.metrics[k].wall_time, b.metrics[k].wall_time);
    }
    EXPECT_EQ(x.catalog().latest_metrics(r.id), y.catalog().latest_metrics(r.id));
    ASSERT_EQ(a.image_scores.size(), b.image_scores.size());
    for (const auto& [source, scores] : a.image_scores) {
      ASSERT_EQ(scores.size(), b.image_scores.at(source).size());
      for (size_t k = 0; k < scores.size(); ++k) EXPECT_EQ(scores[k].value, b.image_scores.at(source)[k].value);
    }
    ASSERT_EQ(a.artifacts.size(), b.artifacts.size());
    EXPECT_EQ(std::tie(a.artifacts[0].path, a.artifacts[0].bytes, a.artifacts[0].sha256, a.artifacts[0].created_at),
              std::tie(b.artifacts[0].path, b.artifacts[0].bytes, b.artifacts[0].sha256, b.artifacts[0].created_at));
    ASSERT_EQ(a.evals.size(), b.evals.size());
    for (size_t k = 0; k < a.evals.size(); ++k) {
      EXPECT_EQ(a.evals[k].id, b.evals[k].id);
      EXPECT_EQ(a.evals[k].options, b.evals[k].options);
      EXPECT_EQ(a.evals[k].metrics.at("dice").pooled, b.evals[k].metrics.at("dice").pooled);
      EXPECT_TRUE(std::isnan(b.evals[k].metrics.at("hd95").pooled));
    }
    EXPECT_EQ(test::read_text_file(x.run_dir(r.id) + "/config.ini"), test::read_text_file(y.run_dir(r.id) + "/config.ini"));
    EXPECT_TRUE(fs::exists(y.run_dir(r.id) + "/eval/val-best/per_image.csv"));
  }
  ASSERT_EQ(x.catalog().list_sweeps().size(), y.catalog().list_sweeps().size());
  EXPECT_EQ(x.catalog().find_sweep("5eed0001").spec, y.catalog().find_sweep("5eed0001").spec);
  EXPECT_EQ(x.catalog().sweep_runs("5eed0001").size(), y.catalog().sweep_runs("5eed0001").size());
  EXPECT_TRUE(fs::exists(y.sweep_dir("5eed0001") + "/jobs/lr=0.1.ini"));
}

TEST(StoreCopy, SqliteToPostgresToSqliteKeepsEveryRowAndFile) {
  test::PostgresServer& server = test::PostgresServer::shared();
  test::TempDir dir;
  RunStore original(dir / "original");
  fill(original);
  RunStore shared(server.store_url(server.create_database("copy"), dir / "shared"));
  const StoreCopyCounts there = copy_store(original, shared);
  EXPECT_EQ(there.runs, 2);
  EXPECT_EQ(there.sweeps, 1);
  EXPECT_EQ(there.files, 5);
  expect_same(original, shared);
  RunStore back(dir / "back");
  const StoreCopyCounts home = copy_store(shared, back);
  EXPECT_EQ(home.rows, there.rows);
  expect_same(original, back);
  // The copied catalog goes on working: a new eval gets a fresh id.
  EvalRecord e;
  e.run_id = "bbbb0002";
  e.name = "again";
  e.created_at = utc_now_iso();
  EXPECT_EQ(shared.catalog().add_eval(e), 3);
}

TEST(StoreCopy, RefusesADestinationWithTheSameIds) {
  test::PostgresServer& server = test::PostgresServer::shared();
  test::TempDir dir;
  RunStore original(dir / "original");
  fill(original);
  RunStore shared(server.store_url(server.create_database("clash"), dir / "shared"));
  shared.catalog().create_run(make_run("bbbb0002", RunStatus::finished), {}, {});
  shared.catalog().create_run(make_run("cccc0003", RunStatus::finished), {}, {});
  try {
    copy_store(original, shared);
    FAIL() << "copied over an existing id";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("bbbb0002"), std::string::npos) << e.what();
  }
  EXPECT_EQ(shared.catalog().list_runs().size(), 2u);  // nothing was written
  EXPECT_FALSE(fs::exists(dir / "shared/runs/aaaa0001"));
  // Other ids only: the copy goes in beside them.
  shared.catalog().delete_run("bbbb0002");
  EXPECT_EQ(copy_store(original, shared).runs, 2);
  EXPECT_EQ(shared.catalog().list_runs().size(), 3u);
}

}  // namespace
}  // namespace seglab
