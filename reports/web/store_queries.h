#pragma once
// Everything the web UI reads from the run store, as JSON, in one file: the
// catalog (runs, params, record, metric points) and the files of runs/<id>/
// (eval summaries, per-image scores, predicted masks) through tracking/.
//
// Thread safety: each thread gets its own catalog connection (SqliteCatalog is
// one-per-thread), so one StoreQueries serves every request thread.
#include <nlohmann/json.hpp>
#include <string>

namespace seglab {

class RunStore;

class StoreQueries {
 public:
  explicit StoreQueries(std::string store_root);

  // {"store", "runs": [{id, name, status, created_at, ended_at, sweep, epochs,
  //  metrics: {key: last value}, params: {key: value}}]}, oldest first.
  nlohmann::json runs() const;
  // One run: catalog fields, params, record, last metric values, metric keys,
  // evaluations (summary, per-image scores, mask files) and its other files.
  nlohmann::json run(const std::string& id) const;
  // {"run", "status", "metrics": {key: {step: [], epoch: [], value: [], wall_time: []}}}
  // for every key, or only `key`.
  nlohmann::json metrics(const std::string& id, const std::string& key) const;
  // A sweep (id or unique prefix), its spec and its runs (with job keys and
  // last metrics) oldest first, and how many runs are in each status;
  // HttpError 404 for an unknown sweep.
  nlohmann::json sweep(const std::string& id) const;

  // The full id of an exact id or unique prefix; HttpError 400 for characters
  // no id has, 404 for none or several matches.
  std::string resolve_run_id(const std::string& id) const;
  // A file of runs/<id>/, checked by file_inside().
  std::string run_file(const std::string& id, const std::string& relative) const;
  std::string run_status(const std::string& id) const;

  const std::string& root() const { return root_; }

 private:
  RunStore& store() const;
  std::string root_;
};

}  // namespace seglab
