#include "tracking/sqlite_catalog.h"

#include <sqlite3.h>

#include "core/error.h"
#include "tracking/sqlite_statement.h"

namespace seglab {
namespace {

// Migration i brings the schema from version i to i + 1. Never edit a shipped
// migration: add a new one.
const char* const kMigrations[] = {
    R"sql(
    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL,
      ended_at TEXT NOT NULL DEFAULT '',
      error TEXT NOT NULL DEFAULT '',
      config_hash TEXT NOT NULL,
      command TEXT NOT NULL DEFAULT '',
      host TEXT NOT NULL DEFAULT '',
      pid INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE params (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    );
    CREATE TABLE record (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    );
    CREATE TABLE metrics (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      step INTEGER NOT NULL,
      epoch INTEGER NOT NULL,
      value REAL NOT NULL,
      wall_time REAL NOT NULL
    );
    CREATE INDEX metrics_by_run ON metrics(run_id, key, step);
    )sql",
    // 2: evals of a run with their options and summary (`seglab eval`).
    R"sql(
    CREATE TABLE evals (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      images INTEGER NOT NULL
    );
    CREATE INDEX evals_by_run ON evals(run_id, id);
    CREATE TABLE eval_options (
      eval_id INTEGER NOT NULL REFERENCES evals(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (eval_id, key)
    );
    CREATE TABLE eval_metrics (
      eval_id INTEGER NOT NULL REFERENCES evals(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      mean REAL,
      std REAL,
      pooled REAL,
      PRIMARY KEY (eval_id, key)
    );
    )sql",
    // 3: sweeps, and the link from a run to its sweep cell.
    R"sql(
    CREATE TABLE sweeps (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      file TEXT NOT NULL,
      spec TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX sweeps_by_file ON sweeps(file);
    ALTER TABLE runs ADD COLUMN sweep_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN job_key TEXT NOT NULL DEFAULT '';
    CREATE INDEX runs_by_sweep ON runs(sweep_id, job_key);
    )sql",
};

constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kMigrationCount == SqliteCatalog::kSchemaVersion, "one migration per schema version");

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
  return r;
}

const char* kRunColumns = "id, name, status, created_at, ended_at, error, config_hash, command, host, pid";

}  // namespace

SqliteCatalog::SqliteCatalog(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open the catalog: " + message, path, "check that the store folder is writable");
  }
  sqlite3_busy_timeout(db_, 30000);
  try {
    execute("PRAGMA foreign_keys = ON");
    // WAL lets readers run beside a writer; NORMAL sync is crash-safe in WAL mode.
    execute("PRAGMA journal_mode = WAL");
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

void SqliteCatalog::migrate() {
  execute("BEGIN IMMEDIATE");
  try {
    SqliteStatement version(db_, "PRAGMA user_version", path_);
    version.step();
    const int current = static_cast<int>(version.integer(0));
    if (current > kSchemaVersion)
      throw StoreError("the catalog has schema version " + std::to_string(current) + ", newer than this seglab (" +
                           std::to_string(kSchemaVersion) + ")",
                       path_, "use a newer seglab for this store");
    for (int v = current; v < kSchemaVersion; ++v) execute(kMigrations[v]);
    if (current != kSchemaVersion) execute("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void SqliteCatalog::create_run(const RunInfo& run, const std::map<std::string, std::string>& params,
                               const std::map<std::string, std::string>& record) {
  execute("BEGIN IMMEDIATE");
  try {
    SqliteStatement insert(db_,
                           "INSERT INTO runs (id, name, status, created_at, config_hash, command, host, pid) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           path_);
    insert.bind(1, run.id).bind(2, run.name).bind(3, std::string(run_status_name(run.status)));
    insert.bind(4, run.created_at).bind(5, run.config_hash).bind(6, run.command).bind(7, run.host).bind(8, run.pid);
    insert.run();
    if (!run.sweep_id.empty()) {
      SqliteStatement link(db_, "UPDATE runs SET sweep_id = ?, job_key = ? WHERE id = ?", path_);
      link.bind(1, run.sweep_id).bind(2, run.job_key).bind(3, run.id).run();
    }
    SqliteStatement param(db_, "INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)", path_);
    for (const auto& [key, value] : params) param.bind(1, run.id).bind(2, key).bind(3, value).run();
    SqliteStatement rec(db_, "INSERT INTO record (run_id, key, value) VALUES (?, ?, ?)", path_);
    for (const auto& [key, value] : record) rec.bind(1, run.id).bind(2, key).bind(3, value).run();
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void SqliteCatalog::set_status(const std::string& id, RunStatus status, const std::string& error) {
  SqliteStatement update(db_, "UPDATE runs SET status = ?, error = ?, ended_at = ? WHERE id = ?", path_);
  update.bind(1, std::string(run_status_name(status))).bind(2, error);
  update.bind(3, status == RunStatus::running ? std::string() : utc_now_iso()).bind(4, id);
  update.run();
}

void SqliteCatalog::log_metrics(const std::string& id, const std::vector<MetricPoint>& points) {
  if (points.empty()) return;
  execute("BEGIN IMMEDIATE");
  try {
    SqliteStatement insert(db_,
                           "INSERT INTO metrics (run_id, key, step, epoch, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)",
                           path_);
    for (const auto& p : points)
      insert.bind(1, id).bind(2, p.key).bind(3, p.step).bind(4, p.epoch).bind(5, p.value).bind(6, p.wall_time).run();
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
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
  if (id_or_prefix.empty()) throw StoreError("empty run id", path_, "see `seglab runs list`");
  SqliteStatement s(db_,
                    std::string("SELECT ") + kRunColumns +
                        " FROM runs WHERE id = ?1 OR substr(id, 1, length(?1)) = ?1 ORDER BY id = ?1 DESC LIMIT 3",
                    path_);
  s.bind(1, id_or_prefix);
  std::vector<RunInfo> found;
  while (s.step()) found.push_back(read_run(s));
  if (found.empty()) throw StoreError("no run with id '" + id_or_prefix + "'", path_, "see `seglab runs list`");
  if (found[0].id == id_or_prefix || found.size() == 1) return found[0];
  throw StoreError("run id prefix '" + id_or_prefix + "' is ambiguous (" + found[0].id + ", " + found[1].id + ", ...)",
                   path_, "give more characters of the id");
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
  if (id_or_prefix.empty()) throw StoreError("empty sweep id", path_, "the id is printed when a sweep starts");
  SqliteStatement s(db_,
                    std::string("SELECT ") + kSweepColumns +
                        " FROM sweeps WHERE id = ?1 OR substr(id, 1, length(?1)) = ?1 ORDER BY id = ?1 DESC LIMIT 3",
                    path_);
  s.bind(1, id_or_prefix);
  std::vector<SweepInfo> found;
  while (s.step()) found.push_back(read_sweep(s));
  if (found.empty())
    throw StoreError("no sweep with id '" + id_or_prefix + "'", path_, "the id is printed when a sweep starts");
  if (found[0].id == id_or_prefix || found.size() == 1) return found[0];
  throw StoreError("sweep id prefix '" + id_or_prefix + "' is ambiguous (" + found[0].id + ", " + found[1].id + ", ...)",
                   path_, "give more characters of the id");
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
                    std::string("SELECT ") + kRunColumns + ", sweep_id, job_key FROM runs WHERE sweep_id = ? ORDER BY created_at, rowid",
                    path_);
  s.bind(1, sweep_id);
  std::vector<RunInfo> runs;
  while (s.step()) {
    RunInfo run = read_run(s);
    run.sweep_id = s.text(10);
    run.job_key = s.text(11);
    runs.push_back(std::move(run));
  }
  return runs;
}

}  // namespace seglab
