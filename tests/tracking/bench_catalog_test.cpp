// Schema v5 of the catalog: `seglab bench` records, written and read back by
// both catalogs, migrated into a version-4 store, copied with the run and
// deleted with it.
#include <gtest/gtest.h>

#include "tests/support/test_support.h"
#include "tests/tracking/catalog_backends.h"
#include "tracking/sqlite_catalog.h"

namespace seglab {
namespace {

using CatalogBench = test::CatalogTest;

RunInfo bench_run(const std::string& id) {
  RunInfo r;
  r.id = id;
  r.name = "bench-" + id;
  r.created_at = utc_now_iso();
  r.config_hash = "hash";
  return r;
}

BenchRecord record(const std::string& run, int64_t batch, double median) {
  BenchRecord b;
  b.run_id = run;
  b.created_at = "2026-12-07T10:00:0" + std::to_string(batch % 10) + "Z";
  b.checkpoint = "best";
  b.backend = "onednn";
  b.device = "cpu";
  b.precision = "fp32";
  b.threads = 4;
  b.batch = batch;
  b.image_size = 256;
  b.warmup = 5;
  b.repeats = 30;
  b.median_ms = median;
  b.min_ms = median * 0.9;
  b.p90_ms = median * 1.2;
  b.cpu = "Test CPU @ 2.0GHz";
  b.cores = 16;
  b.host = "node7";
  b.seglab_version = "0.1.0";
  b.seglab_commit = "abc123";
  return b;
}

TEST_P(CatalogBench, RecordsRoundTripInOrderWithEveryField) {
  auto catalog = open();
  catalog->create_run(bench_run("b0000001"), {}, {});
  const int64_t first = catalog->add_bench(record("b0000001", 1, 12.5));
  const int64_t second = catalog->add_bench(record("b0000001", 8, 60.25));
  EXPECT_LT(first, second);
  const auto rows = catalog->bench_records("b0000001");
  ASSERT_EQ(rows.size(), 2u);
  const BenchRecord& b = rows[1];
  EXPECT_EQ(b.id, second);
  EXPECT_EQ(b.batch, 8);
  EXPECT_EQ(b.threads, 4);
  EXPECT_EQ(b.backend, "onednn");
  EXPECT_EQ(b.device, "cpu");
  EXPECT_EQ(b.precision, "fp32");
  EXPECT_EQ(b.image_size, 256);
  EXPECT_EQ(b.warmup, 5);
  EXPECT_EQ(b.repeats, 30);
  EXPECT_DOUBLE_EQ(b.median_ms, 60.25);
  EXPECT_DOUBLE_EQ(b.min_ms, 60.25 * 0.9);
  EXPECT_DOUBLE_EQ(b.p90_ms, 60.25 * 1.2);
  EXPECT_DOUBLE_EQ(b.median_ms_per_image(), 60.25 / 8);
  EXPECT_EQ(b.cpu, "Test CPU @ 2.0GHz");
  EXPECT_EQ(b.cores, 16);
  EXPECT_EQ(b.host, "node7");
  EXPECT_EQ(b.seglab_commit, "abc123");
  EXPECT_EQ(b.machine(), "Test CPU @ 2.0GHz (16 cores), 4 threads");
  EXPECT_EQ(rows[0].batch, 1);
  EXPECT_TRUE(catalog->bench_records("nosuchrun").empty());
}

TEST_P(CatalogBench, TravelWithExportImportAndGoWithTheRun) {
  auto catalog = open();
  catalog->create_run(bench_run("b0000002"), {}, {});
  catalog->add_bench(record("b0000002", 1, 3.0));
  RunRows rows = catalog->export_run("b0000002");
  ASSERT_EQ(rows.bench.size(), 1u);
  test::TempDir other;
  SqliteCatalog copy(other / "catalog.db");
  copy.import_run(rows);
  const auto copied = copy.bench_records("b0000002");
  ASSERT_EQ(copied.size(), 1u);
  EXPECT_DOUBLE_EQ(copied[0].median_ms, 3.0);
  EXPECT_EQ(copied[0].cpu, rows.bench[0].cpu);
  catalog->delete_run("b0000002");
  EXPECT_TRUE(catalog->bench_records("b0000002").empty());
}

TEST_P(CatalogBench, AnOlderStoreGainsTheBenchTableOnOpen) {
  make_version_one();  // then migrated through 2..5 on open, as an old store is
  auto catalog = open();
  EXPECT_EQ(schema_version(), 5);
  catalog->create_run(bench_run("b0000003"), {}, {});
  catalog->add_bench(record("b0000003", 1, 1.0));
  EXPECT_EQ(catalog->bench_records("b0000003").size(), 1u);
}

SEGLAB_CATALOG_BACKENDS(CatalogBench);

}  // namespace
}  // namespace seglab
