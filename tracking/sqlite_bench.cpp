// SqliteCatalog: the bench table (migration 5), kept apart from the other
// tables' code so that `seglab bench` reads as one piece.
#include <sqlite3.h>

#include "tracking/bench_columns.h"
#include "tracking/sqlite_catalog.h"
#include "tracking/sqlite_statement.h"

namespace seglab {

void SqliteCatalog::insert_bench(const BenchRecord& b) {
  std::string marks;
  for (int i = 0; i < kBenchColumnCount; ++i) marks += i ? ", ?" : "?";
  SqliteStatement s(db_, std::string("INSERT INTO bench (") + kBenchColumns + ") VALUES (" + marks + ")", path_);
  s.bind(1, b.run_id).bind(2, b.created_at).bind(3, b.checkpoint).bind(4, b.backend).bind(5, b.device);
  s.bind(6, b.precision).bind(7, b.threads).bind(8, b.batch).bind(9, b.image_size).bind(10, b.warmup);
  s.bind(11, b.repeats).bind(12, b.median_ms).bind(13, b.min_ms).bind(14, b.p90_ms).bind(15, b.cpu);
  s.bind(16, b.cores).bind(17, b.gpu).bind(18, b.host).bind(19, b.seglab_version).bind(20, b.seglab_commit);
  s.run();
}

int64_t SqliteCatalog::add_bench(const BenchRecord& bench) {
  int64_t id = 0;
  transaction([&] {
    insert_bench(bench);
    id = sqlite3_last_insert_rowid(db_);
  });
  return id;
}

std::vector<BenchRecord> SqliteCatalog::bench_records(const std::string& run_id) const {
  SqliteStatement s(db_, std::string("SELECT id, ") + kBenchColumns + " FROM bench WHERE run_id = ? ORDER BY id", path_);
  s.bind(1, run_id);
  std::vector<BenchRecord> out;
  while (s.step()) {
    BenchRecord b;
    b.id = s.integer(0);
    b.run_id = s.text(1);
    b.created_at = s.text(2);
    b.checkpoint = s.text(3);
    b.backend = s.text(4);
    b.device = s.text(5);
    b.precision = s.text(6);
    b.threads = s.integer(7);
    b.batch = s.integer(8);
    b.image_size = s.integer(9);
    b.warmup = s.integer(10);
    b.repeats = s.integer(11);
    b.median_ms = s.real(12);
    b.min_ms = s.real(13);
    b.p90_ms = s.real(14);
    b.cpu = s.text(15);
    b.cores = s.integer(16);
    b.gpu = s.text(17);
    b.host = s.text(18);
    b.seglab_version = s.text(19);
    b.seglab_commit = s.text(20);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace seglab
