#include "tracking/sqlite_catalog.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/crash_point.h"
#include "core/error.h"
#include "core/text.h"
#include "tracking/catalog_schema.h"
#include "tracking/id_lookup.h"
#include "tracking/process_identity.h"
#include "tracking/sqlite_statement.h"

namespace seglab {
namespace {

constexpr int kBusyTimeoutMs = 30000;

// SEGLAB_BUSY_TIMEOUT_MS shortens SQLite's wait for a lock, so the tests of a
// locked catalog run in seconds.
int busy_timeout_ms() {
  const char* value = std::getenv("SEGLAB_BUSY_TIMEOUT_MS");
  if (!value || !*value) return kBusyTimeoutMs;
  const int ms = std::atoi(value);
  return ms > 0 ? ms : kBusyTimeoutMs;
}
constexpr int kTransactionAttempts = 8;

const char* kRunColumns =
    "id, name, status, created_at, ended_at, error, config_hash, command, host, pid, process_identity, heartbeat, "
    "parent_id, resumes, sweep_id, job_key";

RunInfo read_run(const SqliteStatement& s) {
  RunInfo r;
  r.id = s.text(0);
  r.name = s.text(1);
  r.status = parse_run_status(s.text(2));
  r.created_at = s.text(3);
  r.ended_at = s.text(4);
  r.error = s.text(5);
  r.config_hash = s.text(6);
  r.command = s.text(7);
  r.host = s.text(8);
  r.pid = s.integer(9);
  r.process_identity = s.text(10);
  r.heartbeat = s.real(11);
  r.parent_id = s.text(12);
  r.resumes = s.integer(13);
  r.sweep_id = s.text(14);
  r.job_key = s.text(15);
  return r;
}

bool busy(sqlite3* db) {
  const int code = sqlite3_extended_errcode(db) & 0xff;
  return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

}  // namespace

SqliteCatalog::SqliteCatalog(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open the catalog: " + message, path, "check that the store folder is writable");
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms());
  try {
    execute("PRAGMA foreign_keys = ON");
    // WAL lets readers run beside a writer; NORMAL sync is crash-safe in WAL mode.
    // Switching a new catalog to WAL needs an exclusive lock, and when several
    // processes open it at once SQLite answers busy without waiting (waiting
    // could deadlock), so the switch is retried like a transaction.
    execute_retrying_busy("PRAGMA journal_mode = WAL");
    execute("PRAGMA synchronous = NORMAL");
    migrate();
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

SqliteCatalog::~SqliteCatalog() { sqlite3_close(db_); }

void SqliteCatalog::execute(const std::string& sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    throw_sqlite_error(db_, path_, "'" + sql.substr(0, 40) + "'");
  }
}

void SqliteCatalog::execute_retrying_busy(const std::string& sql) const {
  for (int attempt = 1;; ++attempt) {
    try {
      execute(sql);
      return;
    } catch (const StoreError&) {
      if (!busy(db_) || attempt == kTransactionAttempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
    }
  }
}

void SqliteCatalog::transaction(const std::function<void()>& body) {
  for (int attempt = 1;; ++attempt) {
    try {
      execute("BEGIN IMMEDIATE");
    } catch (const StoreError&) {
      if (!busy(db_) || attempt == kTransactionAttempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
      continue;
    }
    try {
      body();
      execute("COMMIT");
      return;
    } catch (...) {
      const bool retry = busy(db_) && attempt < kTransactionAttempts;
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      if (!retry) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
    }
  }
}

void SqliteCatalog::migrate() {
  static_assert(kSchemaVersion > 0, "schema version");
  if (kCatalogMigrationCount != kSchemaVersion)
    throw StoreError("internal: " + std::to_string(kCatalogMigrationCount) + " migrations for schema version " +
                     std::to_string(kSchemaVersion), path_);
  transaction([&] {
    SqliteStatement version(db_, "PRAGMA user_version", path_);
    version.step();
    const int current = static_cast<int>(version.integer(0));
    if (current > kSchemaVersion)
      throw StoreError("the catalog has schema version " + std::to_string(current) + ", newer than this seglab (" +
                           std::to_string(kSchemaVersion) + ")",
                       path_, "use a newer seglab for this store");
    for (int v = current; v < kSchemaVersion; ++v) execute(kCatalogMigrations[v]);
    if (current != kSchemaVersion) execute("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  });
}

void SqliteCatalog::create_run(const RunInfo& run, const std::map<std::string, std::string>& params,
                               const std::map<std::string, std::string>& record) {
  transaction([&] {
    SqliteStatement insert(db_,
                           "INSERT INTO runs (id, name, status, created_at, config_hash, command, host, pid, "
                           "process_identity, heartbeat, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           path_);
    insert.bind(1, run.id).bind(2, run.name).bind(3, std::string(run_status_name(run.status)));
    insert.bind(4, run.created_at).bind(5, run.config_hash).bind(6, run.command).bind(7, run.host).bind(8, run.pid);
    insert.bind(9, run.process_identity).bind(10, unix_time_now()).bind(11, run.parent_id);
    insert.run();
    if (!run.sweep_id.empty()) {
      SqliteStatement link(db_, "UPDATE runs SET sweep_id = ?, job_key = ? WHERE id = ?", path_);
      link.bind(1, run.sweep_id).bind(2, run.job_key).bind(3, run.id).run();
    }
    SqliteStatement param(db_, "INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)", path_);
    for (const auto& [key, value] : params) param.bind(1, run.id).bind(2, key).bind(3, value).run();
    SqliteStatement rec(db_, "INSERT INTO record (run_id, key, value) VALUES (?, ?, ?)", path_);
    for (const auto& [key, value] : record) rec.bind(1, run.id).bind(2, key).bind(3, value).run();
  });
}

void SqliteCatalog::set_status(const std::string& id, RunStatus status, const std::string& error) {
  transaction([&] {
    SqliteStatement update(db_, "UPDATE runs SET status = ?, error = ?, ended_at = ?, heartbeat = ? WHERE id = ?",
                           path_);
    update.bind(1, std::string(run_status_name(status))).bind(2, error);
    update.bind(3, status == RunStatus::running ? std::string() : utc_now_iso()).bind(4, unix_time_now()).bind(5, id);
    update.run();
  });
}

void SqliteCatalog::log_metrics(const std::string& id, const std::vector<MetricPoint>& points) {
  transaction([&] {
    SqliteStatement insert(db_,
                           "INSERT INTO metrics (run_id, key, step, epoch, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)",
                           path_);
    for (const auto& p : points)
      insert.bind(1, id).bind(2, p.key).bind(3, p.step).bind(4, p.epoch).bind(5, p.value).bind(6, p.wall_time).run();
    if (!points.empty()) crash_point("catalog.metrics");  // inside the open transaction
    SqliteStatement beat(db_, "UPDATE runs SET heartbeat = ? WHERE id = ?", path_);
    beat.bind(1, unix_time_now()).bind(2, id).run();
  });
}

void SqliteCatalog::begin_resume(const std::string& id, const std::string& host, int64_t pid,
                                 const std::string& identity, int64_t checkpoint_step,
                                 const std::map<std::string, std::string>& record_updates) {
  transaction([&] {
    SqliteStatement find(db_, std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?", path_);
    find.bind(1, id);
    if (!find.step()) throw StoreError("no run with id '" + id + "'", path_, "see `seglab runs list`");
    const RunInfo run = read_run(find);
    if (run.status == RunStatus::finished)
      throw StoreError("run " + id + " has finished; there is nothing to resume", path_,
                       "use `seglab reproduce " + id + "` to train it again");
    if (run.status == RunStatus::running &&
        run_process_alive(run.host, run.pid, run.process_identity, run.heartbeat, unix_time_now()))
      throw StoreError("run " + id + " is still running (pid " + std::to_string(run.pid) + " on " + run.host + ")",
                       path_, "stop it first (Ctrl-C or kill " + std::to_string(run.pid) + "), then resume");
    SqliteStatement update(db_,
                           "UPDATE runs SET status = 'running', error = '', ended_at = '', host = ?, pid = ?, "
                           "process_identity = ?, heartbeat = ?, resumes = resumes + 1 WHERE id = ?",
                           path_);
    update.bind(1, host).bind(2, pid).bind(3, identity).bind(4, unix_time_now()).bind(5, id).run();
    SqliteStatement drop(db_, "DELETE FROM metrics WHERE run_id = ? AND step > ?", path_);
    drop.bind(1, id).bind(2, checkpoint_step).run();
    SqliteStatement rec(db_, "INSERT OR REPLACE INTO record (run_id, key, value) VALUES (?, ?, ?)", path_);
    for (const auto& [key, value] : record_updates) rec.bind(1, id).bind(2, key).bind(3, value).run();
  });
}

std::vector<std::string> SqliteCatalog::mark_dead_runs() {
  std::vector<std::string> dead;
  const double now = unix_time_now();
  for (const RunInfo& run : list_runs()) {
    if (run.status != RunStatus::running || run_process_alive(run.host, run.pid, run.process_identity, run.heartbeat, now))
      continue;
    transaction([&] {
      // Only if nobody took it over meanwhile (a resume changes the pid).
      SqliteStatement update(db_,
                             "UPDATE runs SET status = 'interrupted', ended_at = ?, error = ? "
                             "WHERE id = ? AND status = 'running' AND pid = ? AND process_identity = ?",
                             path_);
      char when[64];
      std::snprintf(when, sizeof when, "%.0f s", now - run.heartbeat);
      update.bind(1, utc_now_iso())
          .bind(2, "process " + std::to_string(run.pid) + " on " + run.host + " died (last heartbeat " + when +
                       " ago)")
          .bind(3, run.id)
          .bind(4, run.pid)
          .bind(5, run.process_identity);
      update.run();
      if (sqlite3_changes(db_) > 0) dead.push_back(run.id);
    });
  }
  return dead;
}

void SqliteCatalog::add_tags(const std::string& id, const std::vector<std::string>& tags) {
  transaction([&] {
    SqliteStatement insert(db_, "INSERT OR IGNORE INTO tags (run_id, tag) VALUES (?, ?)", path_);
    for (const auto& tag : tags) insert.bind(1, id).bind(2, tag).run();
  });
}

void SqliteCatalog::remove_tags(const std::string& id, const std::vector<std::string>& tags) {
  transaction([&] {
    SqliteStatement remove(db_, "DELETE FROM tags WHERE run_id = ? AND tag = ?", path_);
    for (const auto& tag : tags) remove.bind(1, id).bind(2, tag).run();
  });
}

void SqliteCatalog::add_note(const std::string& id, const std::string& text) {
  transaction([&] {
    SqliteStatement insert(db_, "INSERT INTO notes (run_id, created_at, text) VALUES (?, ?, ?)", path_);
    insert.bind(1, id).bind(2, utc_now_iso()).bind(3, text).run();
  });
}

void SqliteCatalog::set_image_scores(const std::string& id, const std::string& source,
                                     const std::vector<ImageScore>& scores) {
  transaction([&] {
    SqliteStatement remove(db_, "DELETE FROM image_scores WHERE run_id = ? AND source = ?", path_);
    remove.bind(1, id).bind(2, source).run();
    SqliteStatement insert(db_,
                           "INSERT OR REPLACE INTO image_scores (run_id, source, image_id, metric, value) "
                           "VALUES (?, ?, ?, ?, ?)",
                           path_);
    for (const auto& s : scores) insert.bind(1, id).bind(2, source).bind(3, s.image_id).bind(4, s.metric).bind(5, s.value).run();
  });
}

void SqliteCatalog::add_artifact(const std::string& id, const Artifact& a) {
  transaction([&] {
    SqliteStatement insert(db_,
                           "INSERT OR REPLACE INTO artifacts (run_id, path, kind, bytes, sha256, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           path_);
    insert.bind(1, id).bind(2, a.path).bind(3, a.kind).bind(4, a.bytes).bind(5, a.sha256);
    insert.bind(6, a.created_at.empty() ? utc_now_iso() : a.created_at).run();
  });
}

void SqliteCatalog::delete_run(const std::string& id) {
  transaction([&] {
    // Explicit deletes: catalogs made before foreign keys were enforced still lose every row.
    for (const char* table : {"metrics", "params", "record", "tags", "notes", "image_scores", "artifacts", "bench"}) {
      SqliteStatement remove(db_, std::string("DELETE FROM ") + table + " WHERE run_id = ?", path_);
      remove.bind(1, id).run();
    }
    SqliteStatement remove(db_, "DELETE FROM runs WHERE id = ?", path_);
    remove.bind(1, id).run();
  });
}

int64_t SqliteCatalog::add_eval(const EvalRecord& eval) {
  execute("BEGIN IMMEDIATE");
  try {
    SqliteStatement insert(db_, "INSERT INTO evals (run_id, name, created_at, images) VALUES (?, ?, ?, ?)", path_);
    insert.bind(1, eval.run_id).bind(2, eval.name).bind(3, eval.created_at).bind(4, eval.images);
    insert.run();
    const int64_t id = sqlite3_last_insert_rowid(db_);
    SqliteStatement option(db_, "INSERT INTO eval_options (eval_id, key, value) VALUES (?, ?, ?)", path_);
    for (const auto& [key, value] : eval.options) option.bind(1, id).bind(2, key).bind(3, value).run();
    SqliteStatement metric(db_, "INSERT INTO eval_metrics (eval_id, key, mean, std, pooled) VALUES (?, ?, ?, ?, ?)",
                           path_);
    for (const auto& [key, v] : eval.metrics)
      metric.bind(1, id).bind(2, key).bind(3, v.mean).bind(4, v.std).bind(5, v.pooled).run();
    execute("COMMIT");
    return id;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<EvalRecord> SqliteCatalog::evals(const std::string& run_id) const {
  std::vector<EvalRecord> out;
  SqliteStatement s(db_, "SELECT id, run_id, name, created_at, images FROM evals WHERE run_id = ? ORDER BY id", path_);
  s.bind(1, run_id);
  while (s.step()) {
    EvalRecord e;
    e.id = s.integer(0);
    e.run_id = s.text(1);
    e.name = s.text(2);
    e.created_at = s.text(3);
    e.images = s.integer(4);
    out.push_back(e);
  }
  SqliteStatement options(db_, "SELECT key, value FROM eval_options WHERE eval_id = ?", path_);
  SqliteStatement metrics(db_, "SELECT key, mean, std, pooled FROM eval_metrics WHERE eval_id = ?", path_);
  for (auto& e : out) {
    options.bind(1, e.id);
    while (options.step()) e.options[options.text(0)] = options.text(1);
    options.reset();
    metrics.bind(1, e.id);
    while (metrics.step()) e.metrics[metrics.text(0)] = {metrics.real_or_nan(1), metrics.real_or_nan(2), metrics.real_or_nan(3)};
    metrics.reset();
  }
  return out;
}

std::vector<RunInfo> SqliteCatalog::list_runs() const {
  SqliteStatement s(db_, std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY created_at, rowid", path_);
  std::vector<RunInfo> runs;
  while (s.step()) runs.push_back(read_run(s));
  return runs;
}

bool SqliteCatalog::has_run(const std::string& id) const {
  SqliteStatement s(db_, "SELECT 1 FROM runs WHERE id = ?", path_);
  s.bind(1, id);
  return s.step();
}

RunInfo SqliteCatalog::find_run(const std::string& id_or_prefix) const {
  require_id_text(id_or_prefix, kRunIds, path_);
  SqliteStatement s(db_,
                    std::string("SELECT ") + kRunColumns +
                        " FROM runs WHERE id = ?1 OR substr(id, 1, length(?1)) = ?1 ORDER BY id = ?1 DESC LIMIT 3",
                    path_);
  s.bind(1, id_or_prefix);
  std::vector<RunInfo> found;
  while (s.step()) found.push_back(read_run(s));
  return pick_by_id(found, id_or_prefix, kRunIds, path_);
}

std::map<std::string, std::string> SqliteCatalog::params(const std::string& id) const {
  SqliteStatement s(db_, "SELECT key, value FROM params WHERE run_id = ? ORDER BY key", path_);
  s.bind(1, id);
  std::map<std::string, std::string> out;
  while (s.step()) out[s.text(0)] = s.text(1);
  return out;
}

std::map<std::string, std::string> SqliteCatalog::record(const std::string& id) const {
  SqliteStatement s(db_, "SELECT key, value FROM record WHERE run_id = ? ORDER BY key", path_);
  s.bind(1, id);
  std::map<std::string, std::string> out;
  while (s.step()) out[s.text(0)] = s.text(1);
  return out;
}

std::vector<MetricPoint> SqliteCatalog::metrics(const std::string& id, const std::string& key) const {
  SqliteStatement s(db_,
                    "SELECT key, step, epoch, value, wall_time FROM metrics WHERE run_id = ?1 AND (?2 = '' OR key = ?2) "
                    "ORDER BY key, step, rowid",
                    path_);
  s.bind(1, id).bind(2, key);
  std::vector<MetricPoint> out;
  while (s.step()) out.push_back({s.text(0), s.integer(1), s.integer(2), s.real(3), s.real(4)});
  return out;
}

int64_t SqliteCatalog::metric_count(const std::string& id) const {
  SqliteStatement s(db_, "SELECT count(*) FROM metrics WHERE run_id = ?", path_);
  s.bind(1, id);
  s.step();
  return s.integer(0);
}

std::map<std::string, double> SqliteCatalog::latest_metrics(const std::string& id) const {
  SqliteStatement s(db_,
                    "SELECT key, value FROM metrics m WHERE run_id = ?1 AND rowid = "
                    "(SELECT max(rowid) FROM metrics WHERE run_id = ?1 AND key = m.key)",
                    path_);
  s.bind(1, id);
  std::map<std::string, double> out;
  while (s.step()) out[s.text(0)] = s.real(1);
  return out;
}

namespace {

SweepInfo read_sweep(const SqliteStatement& s) {
  return {s.text(0), s.text(1), s.text(2), s.text(3), s.text(4)};
}

const char* kSweepColumns = "id, name, file, spec, created_at";

}  // namespace

void SqliteCatalog::create_sweep(const SweepInfo& sweep) {
  SqliteStatement insert(db_, "INSERT INTO sweeps (id, name, file, spec, created_at) VALUES (?, ?, ?, ?, ?)", path_);
  insert.bind(1, sweep.id).bind(2, sweep.name).bind(3, sweep.file).bind(4, sweep.spec).bind(5, sweep.created_at);
  insert.run();
}

void SqliteCatalog::update_sweep_spec(const std::string& id, const std::string& spec) {
  SqliteStatement update(db_, "UPDATE sweeps SET spec = ? WHERE id = ?", path_);
  update.bind(1, spec).bind(2, id).run();
}

bool SqliteCatalog::has_sweep(const std::string& id) const {
  SqliteStatement s(db_, "SELECT 1 FROM sweeps WHERE id = ?", path_);
  s.bind(1, id);
  return s.step();
}

SweepInfo SqliteCatalog::find_sweep(const std::string& id_or_prefix) const {
  require_id_text(id_or_prefix, kSweepIds, path_);
  SqliteStatement s(db_,
                    std::string("SELECT ") + kSweepColumns +
                        " FROM sweeps WHERE id = ?1 OR substr(id, 1, length(?1)) = ?1 ORDER BY id = ?1 DESC LIMIT 3",
                    path_);
  s.bind(1, id_or_prefix);
  std::vector<SweepInfo> found;
  while (s.step()) found.push_back(read_sweep(s));
  return pick_by_id(found, id_or_prefix, kSweepIds, path_);
}

std::vector<SweepInfo> SqliteCatalog::sweeps_for_file(const std::string& file) const {
  SqliteStatement s(db_, std::string("SELECT ") + kSweepColumns + " FROM sweeps WHERE file = ? ORDER BY created_at DESC, rowid DESC",
                    path_);
  s.bind(1, file);
  std::vector<SweepInfo> out;
  while (s.step()) out.push_back(read_sweep(s));
  return out;
}

std::vector<SweepInfo> SqliteCatalog::list_sweeps() const {
  SqliteStatement s(db_, std::string("SELECT ") + kSweepColumns + " FROM sweeps ORDER BY created_at, rowid", path_);
  std::vector<SweepInfo> out;
  while (s.step()) out.push_back(read_sweep(s));
  return out;
}

std::vector<RunInfo> SqliteCatalog::sweep_runs(const std::string& sweep_id) const {
  SqliteStatement s(db_,
                    std::string("SELECT ") + kRunColumns + " FROM runs WHERE sweep_id = ? ORDER BY created_at, rowid",
                    path_);
  s.bind(1, sweep_id);
  std::vector<RunInfo> runs;
  while (s.step()) {
    runs.push_back(read_run(s));
  }
  return runs;
}

std::vector<std::string> SqliteCatalog::tags(const std::string& id) const {
  SqliteStatement s(db_, "SELECT tag FROM tags WHERE run_id = ? ORDER BY tag", path_);
  s.bind(1, id);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

std::vector<Note> SqliteCatalog::notes(const std::string& id) const {
  SqliteStatement s(db_, "SELECT created_at, text FROM notes WHERE run_id = ? ORDER BY rowid", path_);
  s.bind(1, id);
  std::vector<Note> out;
  while (s.step()) out.push_back({s.text(0), s.text(1)});
  return out;
}

std::map<std::string, std::vector<ImageScore>> SqliteCatalog::image_scores(const std::string& id) const {
  SqliteStatement s(db_,
                    "SELECT source, image_id, metric, value FROM image_scores WHERE run_id = ? "
                    "ORDER BY source, image_id, metric",
                    path_);
  s.bind(1, id);
  std::map<std::string, std::vector<ImageScore>> out;
  while (s.step()) out[s.text(0)].push_back({s.text(1), s.text(2), s.real(3)});
  return out;
}

std::vector<Artifact> SqliteCatalog::artifacts(const std::string& id) const {
  SqliteStatement s(db_,
                    "SELECT path, kind, bytes, sha256, created_at FROM artifacts WHERE run_id = ? ORDER BY path",
                    path_);
  s.bind(1, id);
  std::vector<Artifact> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.integer(2), s.text(3), s.text(4)});
  return out;
}

std::vector<std::string> SqliteCatalog::children(const std::string& id) const {
  SqliteStatement s(db_, "SELECT id FROM runs WHERE parent_id = ? ORDER BY created_at, rowid", path_);
  s.bind(1, id);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void SqliteCatalog::import_run(const RunRows& rows) {
  const RunInfo& r = rows.info;
  transaction([&] {
    SqliteStatement insert(db_,
                           std::string("INSERT INTO runs (") + kRunColumns +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           path_);
    insert.bind(1, r.id).bind(2, r.name).bind(3, std::string(run_status_name(r.status))).bind(4, r.created_at);
    insert.bind(5, r.ended_at).bind(6, r.error).bind(7, r.config_hash).bind(8, r.command).bind(9, r.host);
    insert.bind(10, r.pid).bind(11, r.process_identity).bind(12, r.heartbeat).bind(13, r.parent_id);
    insert.bind(14, r.resumes).bind(15, r.sweep_id).bind(16, r.job_key).run();
    SqliteStatement param(db_, "INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)", path_);
    for (const auto& [key, value] : rows.params) param.bind(1, r.id).bind(2, key).bind(3, value).run();
    SqliteStatement rec(db_, "INSERT INTO record (run_id, key, value) VALUES (?, ?, ?)", path_);
    for (const auto& [key, value] : rows.record) rec.bind(1, r.id).bind(2, key).bind(3, value).run();
    SqliteStatement tag(db_, "INSERT INTO tags (run_id, tag) VALUES (?, ?)", path_);
    for (const auto& t : rows.tags) tag.bind(1, r.id).bind(2, t).run();
    SqliteStatement note(db_, "INSERT INTO notes (run_id, created_at, text) VALUES (?, ?, ?)", path_);
    for (const auto& n : rows.notes) note.bind(1, r.id).bind(2, n.created_at).bind(3, n.text).run();
    SqliteStatement metric(db_,
                           "INSERT INTO metrics (run_id, key, step, epoch, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)",
                           path_);
    for (const auto& p : rows.metrics)
      metric.bind(1, r.id).bind(2, p.key).bind(3, p.step).bind(4, p.epoch).bind(5, p.value).bind(6, p.wall_time).run();
    SqliteStatement score(db_,
                          "INSERT INTO image_scores (run_id, source, image_id, metric, value) VALUES (?, ?, ?, ?, ?)",
                          path_);
    for (const auto& [source, scores] : rows.image_scores)
      for (const auto& s : scores) score.bind(1, r.id).bind(2, source).bind(3, s.image_id).bind(4, s.metric).bind(5, s.value).run();
    SqliteStatement artifact(db_,
                             "INSERT INTO artifacts (run_id, path, kind, bytes, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                             path_);
    for (const auto& a : rows.artifacts)
      artifact.bind(1, r.id).bind(2, a.path).bind(3, a.kind).bind(4, a.bytes).bind(5, a.sha256).bind(6, a.created_at).run();
    for (const auto& e : rows.evals) {
      // The eval keeps its id unless this catalog already uses it.
      SqliteStatement taken(db_, "SELECT 1 FROM evals WHERE id = ?", path_);
      taken.bind(1, e.id);
      const bool keep_id = e.id > 0 && !taken.step();
      SqliteStatement insert_eval(db_,
                                  keep_id ? "INSERT INTO evals (run_id, name, created_at, images, id) VALUES (?, ?, ?, ?, ?)"
                                          : "INSERT INTO evals (run_id, name, created_at, images) VALUES (?, ?, ?, ?)",
                                  path_);
      insert_eval.bind(1, r.id).bind(2, e.name).bind(3, e.created_at).bind(4, e.images);
      if (keep_id) insert_eval.bind(5, e.id);
      insert_eval.run();
      const int64_t id = sqlite3_last_insert_rowid(db_);
      SqliteStatement option(db_, "INSERT INTO eval_options (eval_id, key, value) VALUES (?, ?, ?)", path_);
      for (const auto& [key, value] : e.options) option.bind(1, id).bind(2, key).bind(3, value).run();
      SqliteStatement m(db_, "INSERT INTO eval_metrics (eval_id, key, mean, std, pooled) VALUES (?, ?, ?, ?, ?)", path_);
      for (const auto& [key, v] : e.metrics) m.bind(1, id).bind(2, key).bind(3, v.mean).bind(4, v.std).bind(5, v.pooled).run();
    }
    for (BenchRecord b : rows.bench) {
      b.run_id = r.id;
      insert_bench(b);
    }
  });
}

}  // namespace seglab
