#pragma once
// The run catalog: runs (status, liveness, lineage), their parameters (every
// resolved config key), reproducibility record, tags, notes, metric points,
// per-image scores, artifacts, evals and sweeps. Two implementations with one
// schema and one set of migrations: SqliteCatalog (catalog.db in a store
// folder) and PostgresCatalog (a shared server for a cluster). Every write is
// one transaction, so a killed process never leaves a half-written row set,
// and several processes may write one catalog at once.
//
// Thread safety: one Catalog per thread (each holds one connection).
#include <map>
#include <string>
#include <vector>

#include "tracking/bench_record.h"
#include "tracking/eval_record.h"
#include "tracking/run_info.h"
#include "tracking/sweep_info.h"

namespace seglab {

// Every row of one run, as `seglab store copy` moves it between catalogs.
struct RunRows {
  RunInfo info;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> record;
  std::vector<std::string> tags;
  std::vector<Note> notes;
  std::vector<MetricPoint> metrics;  // by key, then step
  std::map<std::string, std::vector<ImageScore>> image_scores;
  std::vector<Artifact> artifacts;
  std::vector<EvalRecord> evals;
  std::vector<BenchRecord> bench;
};

class Catalog {
 public:
  static constexpr int kSchemaVersion = 5;

  virtual ~Catalog() = default;

  // --- writing
  virtual void create_run(const RunInfo& run, const std::map<std::string, std::string>& params,
                          const std::map<std::string, std::string>& record) = 0;
  virtual void set_status(const std::string& id, RunStatus status, const std::string& error = {}) = 0;
  // Appends points and refreshes the run's heartbeat, in one transaction.
  virtual void log_metrics(const std::string& id, const std::vector<MetricPoint>& points) = 0;
  void heartbeat(const std::string& id) { log_metrics(id, {}); }
  // Takes an interrupted run over for this process: status running, new pid,
  // resumes + 1, and drops the metric points after `checkpoint_step` (they
  // will be produced again). Refuses a run that is still alive or finished.
  virtual void begin_resume(const std::string& id, const std::string& host, int64_t pid, const std::string& identity,
                            int64_t checkpoint_step, const std::map<std::string, std::string>& record_updates) = 0;
  // Marks `running` runs whose process is gone as interrupted; returns their ids.
  virtual std::vector<std::string> mark_dead_runs() = 0;
  virtual void add_tags(const std::string& id, const std::vector<std::string>& tags) = 0;
  virtual void remove_tags(const std::string& id, const std::vector<std::string>& tags) = 0;
  virtual void add_note(const std::string& id, const std::string& text) = 0;
  // Replaces the scores of one source ("val@epoch12", "eval/val-best").
  virtual void set_image_scores(const std::string& id, const std::string& source,
                                const std::vector<ImageScore>& scores) = 0;
  virtual void add_artifact(const std::string& id, const Artifact& artifact) = 0;
  // Removes the run and every row that belongs to it.
  virtual void delete_run(const std::string& id) = 0;

  // Records one eval of a run with its options and summary, in one
  // transaction; returns its id.
  virtual int64_t add_eval(const EvalRecord& eval) = 0;
  // The evals of a run, oldest first.
  virtual std::vector<EvalRecord> evals(const std::string& run_id) const = 0;

  // Inference latency measurements (migration 5, `seglab bench`): one row per
  // batch size; returns its id. The bench records of a run, oldest first.
  virtual int64_t add_bench(const BenchRecord& bench) = 0;
  virtual std::vector<BenchRecord> bench_records(const std::string& run_id) const = 0;

  // --- reading
  virtual std::vector<RunInfo> list_runs() const = 0;
  // Exact id or a unique prefix; throws StoreError when none or several match.
  virtual RunInfo find_run(const std::string& id_or_prefix) const = 0;
  virtual bool has_run(const std::string& id) const = 0;
  virtual std::map<std::string, std::string> params(const std::string& id) const = 0;
  virtual std::map<std::string, std::string> record(const std::string& id) const = 0;
  // All points of a run, or of one key, in step order.
  virtual std::vector<MetricPoint> metrics(const std::string& id, const std::string& key = {}) const = 0;
  virtual int64_t metric_count(const std::string& id) const = 0;
  // The last value logged under each key.
  virtual std::map<std::string, double> latest_metrics(const std::string& id) const = 0;
  virtual std::vector<std::string> tags(const std::string& id) const = 0;
  virtual std::vector<Note> notes(const std::string& id) const = 0;
  // source -> scores
  virtual std::map<std::string, std::vector<ImageScore>> image_scores(const std::string& id) const = 0;
  virtual std::vector<Artifact> artifacts(const std::string& id) const = 0;
  // Runs whose parent is `id`.
  virtual std::vector<std::string> children(const std::string& id) const = 0;

  // Sweeps (migration 4): a sweep row, and runs linked to it by sweep_id and
  // job_key (set by create_run from RunInfo, in the same transaction).
  virtual void create_sweep(const SweepInfo& sweep) = 0;
  virtual void update_sweep_spec(const std::string& id, const std::string& spec) = 0;
  virtual bool has_sweep(const std::string& id) const = 0;
  // Exact id or a unique prefix; throws StoreError when none or several match.
  virtual SweepInfo find_sweep(const std::string& id_or_prefix) const = 0;
  // Sweeps started from `file` (an absolute path), newest first.
  virtual std::vector<SweepInfo> sweeps_for_file(const std::string& file) const = 0;
  virtual std::vector<SweepInfo> list_sweeps() const = 0;
  // Every run of a sweep, oldest first, with sweep_id and job_key filled in.
  virtual std::vector<RunInfo> sweep_runs(const std::string& sweep_id) const = 0;

  // --- copying between catalogs (`seglab store copy`)
  // Every row of a run, read through the methods above.
  RunRows export_run(const std::string& id) const;
  // Writes a run exactly as exported (status, times, heartbeat, resumes,
  // note times, eval ids where free), in one transaction.
  virtual void import_run(const RunRows& rows) = 0;

  // Where the catalog is, for messages: a file path, or a postgresql:// URL
  // without any password.
  virtual const std::string& path() const = 0;
};

}  // namespace seglab
