// The sweep tables of the catalog (schema version 3): sweeps, and runs linked
// to a sweep cell by sweep_id and job_key; a version-1 catalog is migrated.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/error.h"
#include "tests/support/test_support.h"
#include "tracking/sqlite_catalog.h"

namespace seglab {
namespace {

RunInfo make_run(const std::string& id, const std::string& sweep_id = {}, const std::string& job_key = {}) {
  RunInfo r;
  r.id = id;
  r.name = "n";
  r.created_at = utc_now_iso();
  r.config_hash = "abc";
  r.sweep_id = sweep_id;
  r.job_key = job_key;
  return r;
}

TEST(SweepCatalog, SweepsAndTheirRuns) {
  test::TempDir dir;
  SqliteCatalog catalog(dir / "catalog.db");
  catalog.create_sweep({"5eed0001", "ablation", "/x/a.ini", "[sweep]\na.b = 1, 2\n", "2026-11-25T10:00:00Z"});
  catalog.create_sweep({"5eed0002", "ablation", "/x/a.ini", "text 2", "2026-11-25T11:00:00Z"});
  catalog.create_sweep({"7a000000", "other", "/x/b.ini", "text 3", "2026-11-25T09:00:00Z"});
  catalog.create_run(make_run("00000001", "5eed0001", "k1"), {{"a.b", "1"}}, {});
  catalog.create_run(make_run("00000002"), {}, {});
  catalog.create_run(make_run("00000003", "5eed0001", "k2"), {{"a.b", "2"}}, {});
  catalog.create_run(make_run("00000004", "5eed0001", "k1"), {{"a.b", "1"}}, {});

  EXPECT_EQ(catalog.find_sweep("7a").name, "other");
  EXPECT_EQ(catalog.find_sweep("5eed0001").spec, "[sweep]\na.b = 1, 2\n");
  EXPECT_THROW(catalog.find_sweep("5eed"), StoreError);  // ambiguous
  EXPECT_THROW(catalog.find_sweep("ffff"), StoreError);
  EXPECT_TRUE(catalog.has_sweep("7a000000"));
  EXPECT_FALSE(catalog.has_sweep("7a"));
  const auto for_file = catalog.sweeps_for_file("/x/a.ini");
  ASSERT_EQ(for_file.size(), 2u);
  EXPECT_EQ(for_file[0].id, "5eed0002");  // newest first
  EXPECT_EQ(catalog.list_sweeps().size(), 3u);

  catalog.update_sweep_spec("5eed0001", "new text");
  EXPECT_EQ(catalog.find_sweep("5eed0001").spec, "new text");

  const auto runs = catalog.sweep_runs("5eed0001");
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].id, "00000001");
  EXPECT_EQ(runs[0].job_key, "k1");
  EXPECT_EQ(runs[1].job_key, "k2");
  EXPECT_EQ(runs[2].id, "00000004");
  EXPECT_EQ(runs[2].sweep_id, "5eed0001");
  EXPECT_TRUE(catalog.sweep_runs("5eed0002").empty());
  EXPECT_EQ(catalog.list_runs().size(), 4u);  // plain and sweep runs alike
}

TEST(SweepCatalog, MigratesAVersionOneCatalog) {
  test::TempDir dir;
  const std::string path = dir / "catalog.db";
  {
    // The schema seglab 0.1 shipped, with one run in it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* v1 =
        "CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,"
        " ended_at TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '', config_hash TEXT NOT NULL,"
        " command TEXT NOT NULL DEFAULT '', host TEXT NOT NULL DEFAULT '', pid INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE params (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL,"
        " value TEXT NOT NULL, PRIMARY KEY (run_id, key));"
        "CREATE TABLE record (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL,"
        " value TEXT NOT NULL, PRIMARY KEY (run_id, key));"
        "CREATE TABLE metrics (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL,"
        " step INTEGER NOT NULL, epoch INTEGER NOT NULL, value REAL NOT NULL, wall_time REAL NOT NULL);"
        "INSERT INTO runs (id, name, status, created_at, config_hash) VALUES ('0ld00000', 'old', 'finished', 'x', 'h');"
        "PRAGMA user_version = 1;";
    ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  SqliteCatalog catalog(path);
  ASSERT_EQ(catalog.list_runs().size(), 1u);
  EXPECT_EQ(catalog.list_runs()[0].id, "0ld00000");
  catalog.create_sweep({"5eed0001", "s", "/f.ini", "t", "2026-11-25T10:00:00Z"});
  catalog.create_run(make_run("00000001", "5eed0001", "k"), {}, {});
  EXPECT_EQ(catalog.sweep_runs("5eed0001").size(), 1u);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), SqliteCatalog::kSchemaVersion);
  sqlite3_finalize(s);
  sqlite3_close(db);
}

}  // namespace
}  // namespace seglab
