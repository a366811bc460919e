#pragma once
// `seglab store copy <from> <to>`: every row of one store's catalog (runs,
// params, record, tags, notes, metric points, per-image scores, artifacts,
// evals, sweeps) and its run files (runs/<id>/, sweeps/<id>/) into another,
// SQLite or PostgreSQL either way. The destination may hold other runs, but
// none with an id the source has. A run's files are copied before its rows
// (one transaction), so the destination never lists a run without its files;
// the row counts of every run are compared afterwards.
#include <cstdint>
#include <string>

namespace seglab {

class RunStore;

struct StoreCopyCounts {
  int64_t runs = 0, sweeps = 0, rows = 0, files = 0;
};

// Throws StoreError when the destination has one of the source's ids or a
// count differs after copying.
StoreCopyCounts copy_store(const RunStore& from, RunStore& to);

}  // namespace seglab
