// The sweep tables of the catalog (schema version 3): sweeps, and runs linked
// to a sweep cell by sweep_id and job_key; a version-1 catalog is migrated.
#include <gtest/gtest.h>

#include "core/error.h"
#include "tests/support/test_support.h"
#include "tests/tracking/catalog_backends.h"

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

using SweepCatalog = test::CatalogTest;

TEST_P(SweepCatalog, SweepsAndTheirRuns) {
  auto opened = open();
  Catalog& catalog = *opened;
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

TEST_P(SweepCatalog, MigratesAVersionOneCatalog) {
  make_version_one();  // the schema seglab 0.1 shipped, with one run in it
  raw_sql("INSERT INTO runs (id, name, status, created_at, config_hash) VALUES ('0ld00000', 'old', 'finished', 'x', 'h');");
  auto opened = open();
  Catalog& catalog = *opened;
  ASSERT_EQ(catalog.list_runs().size(), 1u);
  EXPECT_EQ(catalog.list_runs()[0].id, "0ld00000");
  catalog.create_sweep({"5eed0001", "s", "/f.ini", "t", "2026-11-25T10:00:00Z"});
  catalog.create_run(make_run("00000001", "5eed0001", "k"), {}, {});
  EXPECT_EQ(catalog.sweep_runs("5eed0001").size(), 1u);

  EXPECT_EQ(schema_version(), Catalog::kSchemaVersion);
}

SEGLAB_CATALOG_BACKENDS(SweepCatalog);

}  // namespace
}  // namespace seglab
