#pragma once
// The run catalog in SQLite (catalog.db): runs (status, liveness, lineage),
// their parameters (every resolved config key), reproducibility record, tags,
// notes, metric points, per-image scores and artifacts. WAL mode, a busy
// timeout and retried transactions let several processes write one store;
// every write is one transaction, so a killed process never leaves a
// half-written row set. The schema is versioned (PRAGMA user_version, see
// catalog_schema.cpp) and migrated forward on open.
//
// Thread safety: one SqliteCatalog per thread.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tracking/eval_record.h"
#include "tracking/run_info.h"
#include "tracking/sweep_info.h"

struct sqlite3;

namespace seglab {

class SqliteCatalog {
 public:
  static constexpr int kSchemaVersion = 4;

  explicit SqliteCatalog(const std::string& path);
  ~SqliteCatalog();
  SqliteCatalog(const SqliteCatalog&) = delete;
  SqliteCatalog& operator=(const SqliteCatalog&) = delete;

  // --- writing
  void create_run(const RunInfo& run, const std::map<std::string, std::string>& params,
                  const std::map<std::string, std::string>& record);
  void set_status(const std::string& id, RunStatus status, const std::string& error = {});
  // Appends points and refreshes the run's heartbeat, in one transaction.
  void log_metrics(const std::string& id, const std::vector<MetricPoint>& points);
  void heartbeat(const std::string& id);
  // Takes an interrupted run over for this process: status running, new pid,
  // resumes + 1, and drops the metric points after `checkpoint_step` (they
  // will be produced again). Refuses a run that is still alive or finished.
  void begin_resume(const std::string& id, const std::string& host, int64_t pid, const std::string& identity,
                    int64_t checkpoint_step, const std::map<std::string, std::string>& record_updates);
  // Marks `running` runs whose process is gone as interrupted; returns their ids.
  std::vector<std::string> mark_dead_runs();
  void add_tags(const std::string& id, const std::vector<std::string>& tags);
  void remove_tags(const std::string& id, const std::vector<std::string>& tags);
  void add_note(const std::string& id, const std::string& text);
  // Replaces the scores of one source ("val@epoch12", "eval/val-best").
  void set_image_scores(const std::string& id, const std::string& source, const std::vector<ImageScore>& scores);
  void add_artifact(const std::string& id, const Artifact& artifact);
  // Removes the run and every row that belongs to it.
  void delete_run(const std::string& id);

  // Records one eval of a run with its options and summary, in one
  // transaction; returns its id.
  int64_t add_eval(const EvalRecord& eval);
  // The evals of a run, oldest first.
  std::vector<EvalRecord> evals(const std::string& run_id) const;

  // --- reading
  std::vector<RunInfo> list_runs() const;
  // Exact id or a unique prefix; throws StoreError when none or several match.
  RunInfo find_run(const std::string& id_or_prefix) const;
  bool has_run(const std::string& id) const;
  std::map<std::string, std::string> params(const std::string& id) const;
  std::map<std::string, std::string> record(const std::string& id) const;
  // All points of a run, or of one key, in step order.
  std::vector<MetricPoint> metrics(const std::string& id, const std::string& key = {}) const;
  int64_t metric_count(const std::string& id) const;
  // The last value logged under each key.
  std::map<std::string, double> latest_metrics(const std::string& id) const;
  std::vector<std::string> tags(const std::string& id) const;
  std::vector<Note> notes(const std::string& id) const;
  // source -> scores
  std::map<std::string, std::vector<ImageScore>> image_scores(const std::string& id) const;
  std::vector<Artifact> artifacts(const std::string& id) const;
  // Runs whose parent is `id`.
  std::vector<std::string> children(const std::string& id) const;

  // Sweeps (migration 2): a sweep row, and runs linked to it by sweep_id and
  // job_key (set by create_run from RunInfo, in the same transaction).
  void create_sweep(const SweepInfo& sweep);
  void update_sweep_spec(const std::string& id, const std::string& spec);
  bool has_sweep(const std::string& id) const;
  // Exact id or a unique prefix; throws StoreError when none or several match.
  SweepInfo find_sweep(const std::string& id_or_prefix) const;
  // Sweeps started from `file` (an absolute path), newest first.
  std::vector<SweepInfo> sweeps_for_file(const std::string& file) const;
  std::vector<SweepInfo> list_sweeps() const;
  // Every run of a sweep, oldest first, with sweep_id and job_key filled in.
  std::vector<RunInfo> sweep_runs(const std::string& sweep_id) const;

  const std::string& path() const { return path_; }

 private:
  void execute(const std::string& sql) const;
  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT, retrying the whole
  // transaction when another writer keeps the catalog busy past the timeout.
  void transaction(const std::function<void()>& body);
  void migrate();

  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace seglab
