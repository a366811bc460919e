#include "tracking/sqlite_catalog.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/error.h"
#include "tests/support/test_support.h"

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

TEST(SqliteCatalog, RecordsRunsParamsRecordAndMetrics) {
  test::TempDir dir;
  {
    SqliteCatalog catalog(dir / "catalog.db");
    catalog.create_run(make_run("a1b2c3d4", "first"), {{"train.lr", "0.001"}, {"model.name", "unet"}},
                       {{"seed", "42"}});
    catalog.log_metrics("a1b2c3d4", {{"train.loss", 1, 1, 0.9, 1.0}, {"train.loss", 2, 1, 0.7, 2.0}, {"val.dice", 2, 1, 0.5, 2.0}});
    catalog.log_metrics("a1b2c3d4", {{"val.dice", 4, 2, 0.8, 3.0}});
    catalog.set_status("a1b2c3d4", RunStatus::finished);
  }
  SqliteCatalog catalog(dir / "catalog.db");  // reopened: everything persisted
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

TEST(SqliteCatalog, FindsRunsByUniquePrefix) {
  test::TempDir dir;
  SqliteCatalog catalog(dir / "catalog.db");
  catalog.create_run(make_run("abc12345", "x"), {}, {});
  catalog.create_run(make_run("abd00000", "y"), {}, {});
  EXPECT_EQ(catalog.find_run("abc").name, "x");
  EXPECT_EQ(catalog.find_run("abd00000").name, "y");
  EXPECT_THROW(catalog.find_run("ab"), StoreError);   // ambiguous
  EXPECT_THROW(catalog.find_run("zzz"), StoreError);  // unknown
  EXPECT_THROW(catalog.create_run(make_run("abc12345", "dup"), {}, {}), StoreError);
  EXPECT_EQ(catalog.list_runs().size(), 2u);  // the failed insert left nothing behind
}

TEST(SqliteCatalog, RefusesANewerSchemaAndAFileThatIsNotADatabase) {
  test::TempDir dir;
  {
    sqlite3* db;
    sqlite3_open((dir / "newer.db").c_str(), &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  try {
    SqliteCatalog catalog(dir / "newer.db");
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos);
  }
  test::write_text_file(dir / "garbage.db", std::string(4096, 'x'));
  EXPECT_THROW(SqliteCatalog(dir / "garbage.db"), StoreError);
}

}  // namespace
}  // namespace seglab
