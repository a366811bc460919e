#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>

#include "core/error.h"
#include "tests/support/test_support.h"
#include "tests/tracking/catalog_backends.h"
#include "tracking/sqlite_catalog.h"

namespace seglab {
namespace {

RunInfo make_run(const std::string& id, const std::string& name) {
  RunInfo r;
  r.id = id;
  r.name = name;
  r.created_at = utc_now_iso();
  r.config_hash = "abc";
  r.pid = 42;
  return r;
}

using CatalogBasics = test::CatalogTest;

TEST_P(CatalogBasics, RecordsRunsParamsRecordAndMetrics) {
  {
    auto opened = open();
    Catalog& catalog = *opened;
    catalog.create_run(make_run("a1b2c3d4", "first"), {{"train.lr", "0.001"}, {"model.name", "unet"}},
                       {{"seed", "42"}});
    catalog.log_metrics("a1b2c3d4", {{"train.loss", 1, 1, 0.9, 1.0}, {"train.loss", 2, 1, 0.7, 2.0}, {"val.dice", 2, 1, 0.5, 2.0}});
    catalog.log_metrics("a1b2c3d4", {{"val.dice", 4, 2, 0.8, 3.0}});
    catalog.set_status("a1b2c3d4", RunStatus::finished);
  }
  auto reopened = open();  // everything persisted
  Catalog& catalog = *reopened;
  const auto runs = catalog.list_runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, RunStatus::finished);
  EXPECT_FALSE(runs[0].ended_at.empty());
  EXPECT_EQ(runs[0].pid, 42);
  EXPECT_EQ(catalog.params("a1b2c3d4").at("train.lr"), "0.001");
  EXPECT_EQ(catalog.record("a1b2c3d4").at("seed"), "42");
  const auto loss = catalog.metrics("a1b2c3d4", "train.loss");
  ASSERT_EQ(loss.size(), 2u);
  EXPECT_EQ(loss[1].step, 2);
  EXPECT_DOUBLE_EQ(loss[1].value, 0.7);
  EXPECT_EQ(catalog.metrics("a1b2c3d4").size(), 4u);
  EXPECT_DOUBLE_EQ(catalog.latest_metrics("a1b2c3d4").at("val.dice"), 0.8);
}

TEST_P(CatalogBasics, FindsRunsByUniquePrefix) {
  auto opened = open();
  Catalog& catalog = *opened;
  catalog.create_run(make_run("abc12345", "x"), {}, {});
  catalog.create_run(make_run("abd00000", "y"), {}, {});
  EXPECT_EQ(catalog.find_run("abc").name, "x");
  EXPECT_EQ(catalog.find_run("abd00000").name, "y");
  EXPECT_THROW(catalog.find_run("ab"), StoreError);   // ambiguous
  EXPECT_THROW(catalog.find_run("zzz"), StoreError);  // unknown
  EXPECT_THROW(catalog.create_run(make_run("abc12345", "dup"), {}, {}), StoreError);
  EXPECT_EQ(catalog.list_runs().size(), 2u);  // the failed insert left nothing behind
}

TEST_P(CatalogBasics, RefusesANewerSchema) {
  raw_sql(postgres() ? "CREATE TABLE seglab_schema_version (version INTEGER NOT NULL); "
                       "INSERT INTO seglab_schema_version VALUES (99);"
                     : "PRAGMA user_version = 99");
  try {
    open();
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos);
  }
}

TEST(SqliteCatalog, RefusesAFileThatIsNotADatabase) {
  test::TempDir dir;
  test::write_text_file(dir / "garbage.db", std::string(4096, 'x'));
  EXPECT_THROW(SqliteCatalog(dir / "garbage.db"), StoreError);
}

SEGLAB_CATALOG_BACKENDS(CatalogBasics);

}  // namespace
}  // namespace seglab

namespace seglab {
namespace {

EvalRecord make_eval(const std::string& run_id, const std::string& tta, double dice) {
  EvalRecord e;
  e.run_id = run_id;
  e.name = "val-best" + (tta == "none" ? std::string() : "-tta_" + tta);
  e.created_at = utc_now_iso();
  e.images = 18;
  e.options = {{"data", "val"}, {"checkpoint", "best"}, {"tta", tta}, {"threshold", "0.5"}};
  e.metrics["dice"] = {dice, 0.05, dice + 0.01};
  e.metrics["hd95"] = {12.5, 3.0, std::nan("")};
  return e;
}

using CatalogEvals = test::CatalogTest;

TEST_P(CatalogEvals, RecordsEvalsWithTheirOptions) {
  {
    auto opened = open();
    Catalog& catalog = *opened;
    catalog.create_run(make_run("a1b2c3d4", "first"), {}, {});
    catalog.create_run(make_run("ffff0000", "other"), {}, {});
    EXPECT_EQ(catalog.add_eval(make_eval("a1b2c3d4", "none", 0.80)), 1);
    EXPECT_EQ(catalog.add_eval(make_eval("a1b2c3d4", "d4", 0.83)), 2);
    catalog.add_eval(make_eval("ffff0000", "flips", 0.5));
    EXPECT_THROW(catalog.add_eval(make_eval("nonexistent", "none", 0.1)), StoreError);  // foreign key
  }
  auto reopened = open();
  Catalog& catalog = *reopened;
  const auto evals = catalog.evals("a1b2c3d4");
  ASSERT_EQ(evals.size(), 2u);
  EXPECT_EQ(evals[0].options.at("tta"), "none");
  EXPECT_EQ(evals[1].options.at("tta"), "d4");
  EXPECT_EQ(evals[1].name, "val-best-tta_d4");
  EXPECT_EQ(evals[1].images, 18);
  EXPECT_DOUBLE_EQ(evals[1].metrics.at("dice").mean, 0.83);
  EXPECT_DOUBLE_EQ(evals[1].metrics.at("dice").pooled, 0.84);
  EXPECT_TRUE(std::isnan(evals[1].metrics.at("hd95").pooled));  // NaN survives as NULL
  EXPECT_EQ(catalog.evals("ffff0000").size(), 1u);
  EXPECT_TRUE(catalog.evals("00000000").empty());
}

SEGLAB_CATALOG_BACKENDS(CatalogEvals);

TEST(SqliteCatalog, MigratesAVersionOneCatalogKeepingItsRuns) {
  test::TempDir dir;
  {  // a version-1 catalog, as seglab 0.1 left it, with one run in it
    sqlite3* db;
    sqlite3_open((dir / "catalog.db").c_str(), &db);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL,"
                           " created_at TEXT NOT NULL, ended_at TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '',"
                           " config_hash TEXT NOT NULL, command TEXT NOT NULL DEFAULT '', host TEXT NOT NULL DEFAULT '',"
                           " pid INTEGER NOT NULL DEFAULT 0);"
                           "CREATE TABLE params (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                           " key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));"
                           "CREATE TABLE record (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                           " key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));"
                           "CREATE TABLE metrics (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                           " key TEXT NOT NULL, step INTEGER NOT NULL, epoch INTEGER NOT NULL, value REAL NOT NULL,"
                           " wall_time REAL NOT NULL);"
                           "INSERT INTO runs (id, name, status, created_at, config_hash)"
                           " VALUES ('a1b2c3d4', 'old', 'finished', 'x', 'h');"
                           "INSERT INTO params VALUES ('a1b2c3d4', 'train.lr', '0.01');"
                           "PRAGMA user_version = 1",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  SqliteCatalog catalog(dir / "catalog.db");
  EXPECT_EQ(catalog.find_run("a1b2").name, "old");
  EXPECT_EQ(catalog.params("a1b2c3d4").at("train.lr"), "0.01");
  catalog.add_eval(make_eval("a1b2c3d4", "none", 0.7));
  EXPECT_EQ(catalog.evals("a1b2c3d4").size(), 1u);
}

}  // namespace
}  // namespace seglab
