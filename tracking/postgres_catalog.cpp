#include "tracking/postgres_catalog.h"

#include <cstdio>

#include "core/crash_point.h"
#include "core/error.h"
#include "tracking/catalog_schema.h"
#include "tracking/id_lookup.h"
#include "tracking/pg_connection.h"
#include "tracking/process_identity.h"

namespace seglab {
namespace {

// Any constant: the advisory lock that serialises migrations of one database.
constexpr int64_t kMigrationLock = 0x5e61ab;

const char* kRunColumns =
    "id, name, status, created_at, ended_at, error, config_hash, command, host, pid, process_identity, heartbeat, "
    "parent_id, resumes, sweep_id, job_key";
const char* kSweepColumns = "id, name, file, spec, created_at";

RunInfo read_run(const PgResult& r, int row) {
  RunInfo run;
  run.id = r.text(row, 0);
  run.name = r.text(row, 1);
  run.status = parse_run_status(r.text(row, 2));
  run.created_at = r.text(row, 3);
  run.ended_at = r.text(row, 4);
  run.error = r.text(row, 5);
  run.config_hash = r.text(row, 6);
  run.command = r.text(row, 7);
  run.host = r.text(row, 8);
  run.pid = r.integer(row, 9);
  run.process_identity = r.text(row, 10);
  run.heartbeat = r.real(row, 11);
  run.parent_id = r.text(row, 12);
  run.resumes = r.integer(row, 13);
  run.sweep_id = r.text(row, 14);
  run.job_key = r.text(row, 15);
  return run;
}

std::vector<RunInfo> read_runs(const PgResult& r) {
  std::vector<RunInfo> runs;
  for (int i = 0; i < r.rows(); ++i) runs.push_back(read_run(r, i));
  return runs;
}

std::vector<SweepInfo> read_sweeps(const PgResult& r) {
  std::vector<SweepInfo> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
  return out;
}

std::map<std::string, std::string> read_pairs(const PgResult& r) {
  std::map<std::string, std::string> out;
  for (int i = 0; i < r.rows(); ++i) out[r.text(i, 0)] = r.text(i, 1);
  return out;
}

// Inserts many metric points with one statement per batch of rows.
void insert_metrics(PgConnection& db, const std::string& id, const std::vector<MetricPoint>& points) {
  constexpr size_t kRowsPerStatement = 500;
  for (size_t begin = 0; begin < points.size(); begin += kRowsPerStatement) {
    const size_t end = std::min(points.size(), begin + kRowsPerStatement);
    std::string sql = "INSERT INTO metrics (run_id, key, step, epoch, value, wall_time) VALUES ";
    std::vector<PgValue> values{pg_value(id)};
    for (size_t i = begin; i < end; ++i) {
      const int n = static_cast<int>(values.size());
      char row[96];
      std::snprintf(row, sizeof row, "%s($1, $%d, $%d, $%d, $%d, $%d)", i == begin ? "" : ", ", n + 1, n + 2, n + 3,
                    n + 4, n + 5);
      sql += row;
      const MetricPoint& p = points[i];
      values.insert(values.end(), {pg_value(p.key), pg_value(p.step), pg_value(p.epoch), pg_value(p.value),
                                   pg_value(p.wall_time)});
    }
    db.exec(sql, values);
  }
}

int64_t insert_eval(PgConnection& db, const EvalRecord& eval, bool keep_id) {
  const PgResult inserted =
      keep_id ? db.exec("INSERT INTO evals (id, run_id, name, created_at, images) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        {pg_value(eval.id), pg_value(eval.run_id), pg_value(eval.name), pg_value(eval.created_at),
                         pg_value(eval.images)})
              : db.exec("INSERT INTO evals (run_id, name, created_at, images) VALUES ($1, $2, $3, $4) RETURNING id",
                        {pg_value(eval.run_id), pg_value(eval.name), pg_value(eval.created_at), pg_value(eval.images)});
  const int64_t id = inserted.integer(0, 0);
  for (const auto& [key, value] : eval.options)
    db.exec("INSERT INTO eval_options (eval_id, key, value) VALUES ($1, $2, $3)", {pg_value(id), pg_value(key), pg_value(value)});
  for (const auto& [key, v] : eval.metrics)
    db.exec("INSERT INTO eval_metrics (eval_id, key, mean, std, pooled) VALUES ($1, $2, $3, $4, $5)",
            {pg_value(id), pg_value(key), pg_nullable(v.mean), pg_nullable(v.std), pg_nullable(v.pooled)});
  return id;
}

}  // namespace

PostgresCatalog::PostgresCatalog(const std::string& conninfo, const std::string& display)
    : display_(display), db_(std::make_unique<PgConnection>(conninfo, display)) {
  migrate();
}

PostgresCatalog::~PostgresCatalog() = default;

void PostgresCatalog::migrate() {
  if (kPostgresCatalogMigrationCount != kSchemaVersion)
    throw StoreError("internal: " + std::to_string(kPostgresCatalogMigrationCount) +
                         " PostgreSQL migrations for schema version " + std::to_string(kSchemaVersion),
                     display_);
  db_->transaction([&] {
    // Several processes may open a fresh catalog at once: one migrates, the others wait.
    db_->exec("SELECT pg_advisory_xact_lock($1)", {pg_value(kMigrationLock)});
    db_->exec("CREATE TABLE IF NOT EXISTS seglab_schema_version (version INTEGER NOT NULL)");
    const PgResult version = db_->exec("SELECT max(version) FROM seglab_schema_version");
    const int current = version.rows() && !version.text(0, 0).empty() ? static_cast<int>(version.integer(0, 0)) : 0;
    if (current > kSchemaVersion)
      throw StoreError("the catalog has schema version " + std::to_string(current) + ", newer than this seglab (" +
                           std::to_string(kSchemaVersion) + ")",
                       display_, "use a newer seglab for this store");
    for (int v = current; v < kSchemaVersion; ++v) db_->exec(kPostgresCatalogMigrations[v]);
    if (current != kSchemaVersion) {
      db_->exec("DELETE FROM seglab_schema_version");
      db_->exec("INSERT INTO seglab_schema_version (version) VALUES ($1)", {pg_value(int64_t{kSchemaVersion})});
    }
  });
}

void PostgresCatalog::create_run(const RunInfo& run, const std::map<std::string, std::string>& params,
                                 const std::map<std::string, std::string>& record) {
  db_->transaction([&] {
    db_->exec("INSERT INTO runs (id, name, status, created_at, config_hash, command, host, pid, process_identity, "
              "heartbeat, parent_id, sweep_id, job_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
              {pg_value(run.id), pg_value(run.name), pg_value(run_status_name(run.status)), pg_value(run.created_at),
               pg_value(run.config_hash), pg_value(run.command), pg_value(run.host), pg_value(run.pid),
               pg_value(run.process_identity), pg_value(unix_time_now()), pg_value(run.parent_id),
               pg_value(run.sweep_id.empty() ? std::string() : run.sweep_id),
               pg_value(run.sweep_id.empty() ? std::string() : run.job_key)});
    for (const auto& [key, value] : params)
      db_->exec("INSERT INTO params (run_id, key, value) VALUES ($1, $2, $3)", {pg_value(run.id), pg_value(key), pg_value(value)});
    for (const auto& [key, value] : record)
      db_->exec("INSERT INTO record (run_id, key, value) VALUES ($1, $2, $3)", {pg_value(run.id), pg_value(key), pg_value(value)});
  });
}

void PostgresCatalog::set_status(const std::string& id, RunStatus status, const std::string& error) {
  db_->transaction([&] {
    db_->exec("UPDATE runs SET status = $1, error = $2, ended_at = $3, heartbeat = $4 WHERE id = $5",
              {pg_value(run_status_name(status)), pg_value(error),
               pg_value(status == RunStatus::running ? std::string() : utc_now_iso()), pg_value(unix_time_now()),
               pg_value(id)});
  });
}

void PostgresCatalog::log_metrics(const std::string& id, const std::vector<MetricPoint>& points) {
  db_->transaction([&] {
    insert_metrics(*db_, id, points);
    if (!points.empty()) crash_point("catalog.metrics");  // inside the open transaction
    db_->exec("UPDATE runs SET heartbeat = $1 WHERE id = $2", {pg_value(unix_time_now()), pg_value(id)});
  });
}

void PostgresCatalog::begin_resume(const std::string& id, const std::string& host, int64_t pid,
                                   const std::string& identity, int64_t checkpoint_step,
                                   const std::map<std::string, std::string>& record_updates) {
  db_->transaction([&] {
    // FOR UPDATE: a second resume of the same run waits here, then sees this one's pid.
    const PgResult found =
        db_->exec(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = $1 FOR UPDATE", {pg_value(id)});
    if (found.rows() == 0) throw StoreError("no run with id '" + id + "'", display_, "see `seglab runs list`");
    const RunInfo run = read_run(found, 0);
    if (run.status == RunStatus::finished)
      throw StoreError("run " + id + " has finished; there is nothing to resume", display_,
                       "use `seglab reproduce " + id + "` to train it again");
    if (run.status == RunStatus::running &&
        run_process_alive(run.host, run.pid, run.process_identity, run.heartbeat, unix_time_now()))
      throw StoreError("run " + id + " is still running (pid " + std::to_string(run.pid) + " on " + run.host + ")",
                       display_, "stop it first (Ctrl-C or kill " + std::to_string(run.pid) + "), then resume");
    db_->exec("UPDATE runs SET status = 'running', error = '', ended_at = '', host = $1, pid = $2, "
              "process_identity = $3, heartbeat = $4, resumes = resumes + 1 WHERE id = $5",
              {pg_value(host), pg_value(pid), pg_value(identity), pg_value(unix_time_now()), pg_value(id)});
    db_->exec("DELETE FROM metrics WHERE run_id = $1 AND step > $2", {pg_value(id), pg_value(checkpoint_step)});
    for (const auto& [key, value] : record_updates)
      db_->exec("INSERT INTO record (run_id, key, value) VALUES ($1, $2, $3) "
                "ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value",
                {pg_value(id), pg_value(key), pg_value(value)});
  });
}

std::vector<std::string> PostgresCatalog::mark_dead_runs() {
  std::vector<std::string> dead;
  const double now = unix_time_now();
  for (const RunInfo& run : list_runs()) {
    if (run.status != RunStatus::running || run_process_alive(run.host, run.pid, run.process_identity, run.heartbeat, now))
      continue;
    bool marked = false;
    db_->transaction([&] {
      // Only if nobody took it over meanwhile (a resume changes the pid).
      char when[64];
      std::snprintf(when, sizeof when, "%.0f s", now - run.heartbeat);
      const PgResult update = db_->exec(
          "UPDATE runs SET status = 'interrupted', ended_at = $1, error = $2 "
          "WHERE id = $3 AND status = 'running' AND pid = $4 AND process_identity = $5",
          {pg_value(utc_now_iso()),
           pg_value("process " + std::to_string(run.pid) + " on " + run.host + " died (last heartbeat " + when + " ago)"),
           pg_value(run.id), pg_value(run.pid), pg_value(run.process_identity)});
      marked = update.affected() > 0;
    });
    if (marked) dead.push_back(run.id);
  }
  return dead;
}

void PostgresCatalog::add_tags(const std::string& id, const std::vector<std::string>& tags) {
  db_->transaction([&] {
    for (const auto& tag : tags)
      db_->exec("INSERT INTO tags (run_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING", {pg_value(id), pg_value(tag)});
  });
}

void PostgresCatalog::remove_tags(const std::string& id, const std::vector<std::string>& tags) {
  db_->transaction([&] {
    for (const auto& tag : tags)
      db_->exec("DELETE FROM tags WHERE run_id = $1 AND tag = $2", {pg_value(id), pg_value(tag)});
  });
}

void PostgresCatalog::add_note(const std::string& id, const std::string& text) {
  db_->transaction([&] {
    db_->exec("INSERT INTO notes (run_id, created_at, text) VALUES ($1, $2, $3)",
              {pg_value(id), pg_value(utc_now_iso()), pg_value(text)});
  });
}

void PostgresCatalog::set_image_scores(const std::string& id, const std::string& source,
                                       const std::vector<ImageScore>& scores) {
  db_->transaction([&] {
    db_->exec("DELETE FROM image_scores WHERE run_id = $1 AND source = $2", {pg_value(id), pg_value(source)});
    for (const auto& s : scores)
      db_->exec("INSERT INTO image_scores (run_id, source, image_id, metric, value) VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT (run_id, source, image_id, metric) DO UPDATE SET value = EXCLUDED.value",
                {pg_value(id), pg_value(source), pg_value(s.image_id), pg_value(s.metric), pg_value(s.value)});
  });
}

void PostgresCatalog::add_artifact(const std::string& id, const Artifact& a) {
  db_->transaction([&] {
    db_->exec("INSERT INTO artifacts (run_id, path, kind, bytes, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
              "ON CONFLICT (run_id, path) DO UPDATE SET kind = EXCLUDED.kind, bytes = EXCLUDED.bytes, "
              "sha256 = EXCLUDED.sha256, created_at = EXCLUDED.created_at",
              {pg_value(id), pg_value(a.path), pg_value(a.kind), pg_value(a.bytes), pg_value(a.sha256),
               pg_value(a.created_at.empty() ? utc_now_iso() : a.created_at)});
  });
}

void PostgresCatalog::delete_run(const std::string& id) {
  db_->transaction([&] {
    for (const char* table : {"metrics", "params", "record", "tags", "notes", "image_scores", "artifacts", "evals", "bench"})
      db_->exec(std::string("DELETE FROM ") + table + " WHERE run_id = $1", {pg_value(id)});
    db_->exec("DELETE FROM runs WHERE id = $1", {pg_value(id)});
  });
}

int64_t PostgresCatalog::add_eval(const EvalRecord& eval) {
  int64_t id = 0;
  db_->transaction([&] { id = insert_eval(*db_, eval, false); });
  return id;
}

std::vector<EvalRecord> PostgresCatalog::evals(const std::string& run_id) const {
  std::vector<EvalRecord> out;
  db_->read([&] {
    out.clear();
    const PgResult r =
        db_->exec("SELECT id, run_id, name, created_at, images FROM evals WHERE run_id = $1 ORDER BY id", {pg_value(run_id)});
    for (int i = 0; i < r.rows(); ++i) {
      EvalRecord e;
      e.id = r.integer(i, 0);
      e.run_id = r.text(i, 1);
      e.name = r.text(i, 2);
      e.created_at = r.text(i, 3);
      e.images = r.integer(i, 4);
      out.push_back(e);
    }
    for (auto& e : out) {
      const PgResult options = db_->exec("SELECT key, value FROM eval_options WHERE eval_id = $1", {pg_value(e.id)});
      e.options = read_pairs(options);
      const PgResult metrics =
          db_->exec("SELECT key, mean, std, pooled FROM eval_metrics WHERE eval_id = $1", {pg_value(e.id)});
      for (int i = 0; i < metrics.rows(); ++i)
        e.metrics[metrics.text(i, 0)] = {metrics.real_or_nan(i, 1), metrics.real_or_nan(i, 2), metrics.real_or_nan(i, 3)};
    }
  });
  return out;
}

std::vector<RunInfo> PostgresCatalog::list_runs() const {
  std::vector<RunInfo> runs;
  db_->read([&] { runs = read_runs(db_->exec(std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY created_at, rowid")); });
  return runs;
}

bool PostgresCatalog::has_run(const std::string& id) const {
  bool found = false;
  db_->read([&] { found = db_->exec("SELECT 1 FROM runs WHERE id = $1", {pg_value(id)}).rows() > 0; });
  return found;
}

RunInfo PostgresCatalog::find_run(const std::string& id_or_prefix) const {
  require_id_text(id_or_prefix, kRunIds, display_);
  std::vector<RunInfo> found;
  db_->read([&] {
    found = read_runs(db_->exec(std::string("SELECT ") + kRunColumns +
                                    " FROM runs WHERE id = $1 OR left(id, length($1)) = $1 ORDER BY id = $1 DESC LIMIT 3",
                                {pg_value(id_or_prefix)}));
  });
  return pick_by_id(found, id_or_prefix, kRunIds, display_);
}

std::map<std::string, std::string> PostgresCatalog::params(const std::string& id) const {
  std::map<std::string, std::string> out;
  db_->read([&] { out = read_pairs(db_->exec("SELECT key, value FROM params WHERE run_id = $1", {pg_value(id)})); });
  return out;
}

std::map<std::string, std::string> PostgresCatalog::record(const std::string& id) const {
  std::map<std::string, std::string> out;
  db_->read([&] { out = read_pairs(db_->exec("SELECT key, value FROM record WHERE run_id = $1", {pg_value(id)})); });
  return out;
}

std::vector<MetricPoint> PostgresCatalog::metrics(const std::string& id, const std::string& key) const {
  std::vector<MetricPoint> out;
  db_->read([&] {
    out.clear();
    const PgResult r = db_->exec(
        "SELECT key, step, epoch, value, wall_time FROM metrics WHERE run_id = $1 AND ($2 = '' OR key = $2) "
        "ORDER BY key, step, rowid",
        {pg_value(id), pg_value(key)});
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.text(i, 0), r.integer(i, 1), r.integer(i, 2), r.real(i, 3), r.real(i, 4)});
  });
  return out;
}

int64_t PostgresCatalog::metric_count(const std::string& id) const {
  int64_t count = 0;
  db_->read([&] { count = db_->exec("SELECT count(*) FROM metrics WHERE run_id = $1", {pg_value(id)}).integer(0, 0); });
  return count;
}

std::map<std::string, double> PostgresCatalog::latest_metrics(const std::string& id) const {
  std::map<std::string, double> out;
  db_->read([&] {
    out.clear();
    const PgResult r = db_->exec(
        "SELECT DISTINCT ON (key) key, value FROM metrics WHERE run_id = $1 ORDER BY key, rowid DESC", {pg_value(id)});
    for (int i = 0; i < r.rows(); ++i) out[r.text(i, 0)] = r.real(i, 1);
  });
  return out;
}

void PostgresCatalog::create_sweep(const SweepInfo& sweep) {
  db_->transaction([&] {
    db_->exec("INSERT INTO sweeps (id, name, file, spec, created_at) VALUES ($1, $2, $3, $4, $5)",
              {pg_value(sweep.id), pg_value(sweep.name), pg_value(sweep.file), pg_value(sweep.spec),
               pg_value(sweep.created_at)});
  });
}

void PostgresCatalog::update_sweep_spec(const std::string& id, const std::string& spec) {
  db_->transaction([&] { db_->exec("UPDATE sweeps SET spec = $1 WHERE id = $2", {pg_value(spec), pg_value(id)}); });
}

bool PostgresCatalog::has_sweep(const std::string& id) const {
  bool found = false;
  db_->read([&] { found = db_->exec("SELECT 1 FROM sweeps WHERE id = $1", {pg_value(id)}).rows() > 0; });
  return found;
}

SweepInfo PostgresCatalog::find_sweep(const std::string& id_or_prefix) const {
  require_id_text(id_or_prefix, kSweepIds, display_);
  std::vector<SweepInfo> found;
  db_->read([&] {
    found = read_sweeps(db_->exec(std::string("SELECT ") + kSweepColumns +
                                      " FROM sweeps WHERE id = $1 OR left(id, length($1)) = $1 ORDER BY id = $1 DESC LIMIT 3",
                                  {pg_value(id_or_prefix)}));
  });
  return pick_by_id(found, id_or_prefix, kSweepIds, display_);
}

std::vector<SweepInfo> PostgresCatalog::sweeps_for_file(const std::string& file) const {
  std::vector<SweepInfo> out;
  db_->read([&] {
    out = read_sweeps(db_->exec(std::string("SELECT ") + kSweepColumns +
                                    " FROM sweeps WHERE file = $1 ORDER BY created_at DESC, rowid DESC",
                                {pg_value(file)}));
  });
  return out;
}

std::vector<SweepInfo> PostgresCatalog::list_sweeps() const {
  std::vector<SweepInfo> out;
  db_->read([&] { out = read_sweeps(db_->exec(std::string("SELECT ") + kSweepColumns + " FROM sweeps ORDER BY created_at, rowid")); });
  return out;
}

std::vector<RunInfo> PostgresCatalog::sweep_runs(const std::string& sweep_id) const {
  std::vector<RunInfo> runs;
  db_->read([&] {
    runs = read_runs(db_->exec(std::string("SELECT ") + kRunColumns + " FROM runs WHERE sweep_id = $1 ORDER BY created_at, rowid",
                               {pg_value(sweep_id)}));
  });
  return runs;
}

std::vector<std::string> PostgresCatalog::tags(const std::string& id) const {
  std::vector<std::string> out;
  db_->read([&] {
    out.clear();
    const PgResult r = db_->exec("SELECT tag FROM tags WHERE run_id = $1 ORDER BY tag", {pg_value(id)});
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  });
  return out;
}

std::vector<Note> PostgresCatalog::notes(const std::string& id) const {
  std::vector<Note> out;
  db_->read([&] {
    out.clear();
    const PgResult r = db_->exec("SELECT created_at, text FROM notes WHERE run_id = $1 ORDER BY rowid", {pg_value(id)});
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1)});
  });
  return out;
}

std::map<std::string, std::vector<ImageScore>> PostgresCatalog::image_scores(const std::string& id) const {
  std::map<std::string, std::vector<ImageScore>> out;
  db_->read([&] {
    out.clear();
    const PgResult r = db_->exec(
        "SELECT source, image_id, metric, value FROM image_scores WHERE run_id = $1 ORDER BY source, image_id, metric",
        {pg_value(id)});
    for (int i = 0; i < r.rows(); ++i) out[r.text(i, 0)].push_back({r.text(i, 1), r.text(i, 2), r.real(i, 3)});
  });
  return out;
}

std::vector<Artifact> PostgresCatalog::artifacts(const std::string& id) const {
  std::vector<Artifact> out;
  db_->read([&] {
    out.clear();
    const PgResult r = db_->exec(
        "SELECT path, kind, bytes, sha256, created_at FROM artifacts WHERE run_id = $1 ORDER BY path", {pg_value(id)});
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.integer(i, 2), r.text(i, 3), r.text(i, 4)});
  });
  return out;
}

std::vector<std::string> PostgresCatalog::children(const std::string& id) const {
  std::vector<std::string> out;
  db_->read([&] {
    out.clear();
    const PgResult r = db_->exec("SELECT id FROM runs WHERE parent_id = $1 ORDER BY created_at, rowid", {pg_value(id)});
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  });
  return out;
}

void PostgresCatalog::import_run(const RunRows& rows) {
  const RunInfo& r = rows.info;
  db_->transaction([&] {
    db_->exec(std::string("INSERT INTO runs (") + kRunColumns +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
              {pg_value(r.id), pg_value(r.name), pg_value(run_status_name(r.status)), pg_value(r.created_at),
               pg_value(r.ended_at), pg_value(r.error), pg_value(r.config_hash), pg_value(r.command), pg_value(r.host),
               pg_value(r.pid), pg_value(r.process_identity), pg_value(r.heartbeat), pg_value(r.parent_id),
               pg_value(r.resumes), pg_value(r.sweep_id), pg_value(r.job_key)});
    for (const auto& [key, value] : rows.params)
      db_->exec("INSERT INTO params (run_id, key, value) VALUES ($1, $2, $3)", {pg_value(r.id), pg_value(key), pg_value(value)});
    for (const auto& [key, value] : rows.record)
      db_->exec("INSERT INTO record (run_id, key, value) VALUES ($1, $2, $3)", {pg_value(r.id), pg_value(key), pg_value(value)});
    for (const auto& tag : rows.tags)
      db_->exec("INSERT INTO tags (run_id, tag) VALUES ($1, $2)", {pg_value(r.id), pg_value(tag)});
    for (const auto& n : rows.notes)
      db_->exec("INSERT INTO notes (run_id, created_at, text) VALUES ($1, $2, $3)",
                {pg_value(r.id), pg_value(n.created_at), pg_value(n.text)});
    insert_metrics(*db_, r.id, rows.metrics);
    for (const auto& [source, scores] : rows.image_scores)
      for (const auto& s : scores)
        db_->exec("INSERT INTO image_scores (run_id, source, image_id, metric, value) VALUES ($1, $2, $3, $4, $5)",
                  {pg_value(r.id), pg_value(source), pg_value(s.image_id), pg_value(s.metric), pg_value(s.value)});
    for (const auto& a : rows.artifacts)
      db_->exec("INSERT INTO artifacts (run_id, path, kind, bytes, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                {pg_value(r.id), pg_value(a.path), pg_value(a.kind), pg_value(a.bytes), pg_value(a.sha256),
                 pg_value(a.created_at)});
    bool kept_ids = false;
    for (EvalRecord e : rows.evals) {
      e.run_id = r.id;
      // The eval keeps its id unless this catalog already uses it.
      const bool keep_id = e.id > 0 && db_->exec("SELECT 1 FROM evals WHERE id = $1", {pg_value(e.id)}).rows() == 0;
      insert_eval(*db_, e, keep_id);
      kept_ids = kept_ids || keep_id;
    }
    for (BenchRecord b : rows.bench) {
      b.run_id = r.id;
      insert_bench(b);
    }
    // Ids given explicitly do not move the identity sequence: move it past them.
    if (kept_ids)
      db_->exec("SELECT setval(pg_get_serial_sequence('evals', 'id'), (SELECT max(id) FROM evals))");
  });
}

}  // namespace seglab
