#include "tracking/catalog.h"

namespace seglab {

RunRows Catalog::export_run(const std::string& id) const {
  RunRows rows;
  rows.info = find_run(id);
  rows.params = params(id);
  rows.record = record(id);
  rows.tags = tags(id);
  rows.notes = notes(id);
  rows.metrics = metrics(id);
  rows.image_scores = image_scores(id);
  rows.artifacts = artifacts(id);
  rows.evals = evals(id);
  rows.bench = bench_records(id);
  return rows;
}

}  // namespace seglab
