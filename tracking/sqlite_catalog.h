#pragma once
// The run catalog in SQLite (catalog.db in a store folder). WAL mode, a busy
// timeout and retried transactions let several processes write one store.
// The schema is versioned (PRAGMA user_version, see catalog_schema.cpp) and
// migrated forward on open.
//
// Thread safety: one SqliteCatalog per thread.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tracking/catalog.h"

struct sqlite3;

namespace seglab {

class SqliteCatalog : public Catalog {
 public:
  explicit SqliteCatalog(const std::string& path);
  ~SqliteCatalog() override;
  SqliteCatalog(const SqliteCatalog&) = delete;
  SqliteCatalog& operator=(const SqliteCatalog&) = delete;

  void create_run(const RunInfo& run, const std::map<std::string, std::string>& params,
                  const std::map<std::string, std::string>& record) override;
  void set_status(const std::string& id, RunStatus status, const std::string& error = {}) override;
  void log_metrics(const std::string& id, const std::vector<MetricPoint>& points) override;
  void begin_resume(const std::string& id, const std::string& host, int64_t pid, const std::string& identity,
                    int64_t checkpoint_step, const std::map<std::string, std::string>& record_updates) override;
  std::vector<std::string> mark_dead_runs() override;
  void add_tags(const std::string& id, const std::vector<std::string>& tags) override;
  void remove_tags(const std::string& id, const std::vector<std::string>& tags) override;
  void add_note(const std::string& id, const std::string& text) override;
  void set_image_scores(const std::string& id, const std::string& source, const std::vector<ImageScore>& scores) override;
  void add_artifact(const std::string& id, const Artifact& artifact) override;
  void delete_run(const std::string& id) override;

  int64_t add_eval(const EvalRecord& eval) override;
  std::vector<EvalRecord> evals(const std::string& run_id) const override;
  int64_t add_bench(const BenchRecord& bench) override;
  std::vector<BenchRecord> bench_records(const std::string& run_id) const override;

  std::vector<RunInfo> list_runs() const override;
  RunInfo find_run(const std::string& id_or_prefix) const override;
  bool has_run(const std::string& id) const override;
  std::map<std::string, std::string> params(const std::string& id) const override;
  std::map<std::string, std::string> record(const std::string& id) const override;
  std::vector<MetricPoint> metrics(const std::string& id, const std::string& key = {}) const override;
  int64_t metric_count(const std::string& id) const override;
  std::map<std::string, double> latest_metrics(const std::string& id) const override;
  std::vector<std::string> tags(const std::string& id) const override;
  std::vector<Note> notes(const std::string& id) const override;
  std::map<std::string, std::vector<ImageScore>> image_scores(const std::string& id) const override;
  std::vector<Artifact> artifacts(const std::string& id) const override;
  std::vector<std::string> children(const std::string& id) const override;

  void create_sweep(const SweepInfo& sweep) override;
  void update_sweep_spec(const std::string& id, const std::string& spec) override;
  bool has_sweep(const std::string& id) const override;
  SweepInfo find_sweep(const std::string& id_or_prefix) const override;
  std::vector<SweepInfo> sweeps_for_file(const std::string& file) const override;
  std::vector<SweepInfo> list_sweeps() const override;
  std::vector<RunInfo> sweep_runs(const std::string& sweep_id) const override;

  void import_run(const RunRows& rows) override;

  const std::string& path() const override { return path_; }

 private:
  void execute(const std::string& sql) const;
  // execute(), tried again with back-off while SQLite answers busy without
  // waiting (a lock upgrade it will not wait for), at most as often as a transaction.
  void execute_retrying_busy(const std::string& sql) const;
  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT, retrying the whole
  // transaction when another writer keeps the catalog busy past the timeout.
  void transaction(const std::function<void()>& body);
  void migrate();
  void insert_bench(const BenchRecord& bench);  // inside a transaction

  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace seglab
