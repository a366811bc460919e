// PostgresCatalog: the bench table (migration 5), kept apart from the other
// tables' code so that `seglab bench` reads as one piece.
#include "tracking/bench_columns.h"
#include "tracking/pg_connection.h"
#include "tracking/postgres_catalog.h"

namespace seglab {

int64_t PostgresCatalog::insert_bench(const BenchRecord& b) {
  std::string marks;
  for (int i = 1; i <= kBenchColumnCount; ++i) marks += (i > 1 ? ", $" : "$") + std::to_string(i);
  const PgResult r = db_->exec(std::string("INSERT INTO bench (") + kBenchColumns + ") VALUES (" + marks + ") RETURNING id",
            {pg_value(b.run_id), pg_value(b.created_at), pg_value(b.checkpoint), pg_value(b.backend),
             pg_value(b.device), pg_value(b.precision), pg_value(b.threads), pg_value(b.batch),
             pg_value(b.image_size), pg_value(b.warmup), pg_value(b.repeats), pg_value(b.median_ms),
             pg_value(b.min_ms), pg_value(b.p90_ms), pg_value(b.cpu), pg_value(b.cores), pg_value(b.gpu),
             pg_value(b.host), pg_value(b.seglab_version), pg_value(b.seglab_commit)});
  return r.integer(0, 0);
}

int64_t PostgresCatalog::add_bench(const BenchRecord& bench) {
  int64_t id = 0;
  db_->transaction([&] {
    id = insert_bench(bench);
  });
  return id;
}

std::vector<BenchRecord> PostgresCatalog::bench_records(const std::string& run_id) const {
  std::vector<BenchRecord> out;
  db_->read([&] {
    out.clear();
    const PgResult r = db_->exec(std::string("SELECT id, ") + kBenchColumns + " FROM bench WHERE run_id = $1 ORDER BY id",
                                 {pg_value(run_id)});
    for (int i = 0; i < r.rows(); ++i) {
      BenchRecord b;
      b.id = r.integer(i, 0);
      b.run_id = r.text(i, 1);
      b.created_at = r.text(i, 2);
      b.checkpoint = r.text(i, 3);
      b.backend = r.text(i, 4);
      b.device = r.text(i, 5);
      b.precision = r.text(i, 6);
      b.threads = r.integer(i, 7);
      b.batch = r.integer(i, 8);
      b.image_size = r.integer(i, 9);
      b.warmup = r.integer(i, 10);
      b.repeats = r.integer(i, 11);
      b.median_ms = r.real(i, 12);
      b.min_ms = r.real(i, 13);
      b.p90_ms = r.real(i, 14);
      b.cpu = r.text(i, 15);
      b.cores = r.integer(i, 16);
      b.gpu = r.text(i, 17);
      b.host = r.text(i, 18);
      b.seglab_version = r.text(i, 19);
      b.seglab_commit = r.text(i, 20);
      out.push_back(std::move(b));
    }
  });
  return out;
}

}  // namespace seglab
