#include "tracking/catalog_schema.h"

namespace seglab {

const char* const kCatalogMigrations[] = {
    // 1: runs, resolved config keys, reproducibility record, metric points.
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
    // 2: liveness (heartbeat, process identity), lineage (parent run,
    // resumes), tags, notes, per-image scores, artifacts.
    R"sql(
    ALTER TABLE runs ADD COLUMN process_identity TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN heartbeat REAL NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN parent_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN resumes INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX runs_by_parent ON runs(parent_id);
    CREATE TABLE tags (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      tag TEXT NOT NULL,
      PRIMARY KEY (run_id, tag)
    );
    CREATE TABLE notes (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      text TEXT NOT NULL
    );
    CREATE INDEX notes_by_run ON notes(run_id);
    CREATE TABLE image_scores (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      source TEXT NOT NULL,
      image_id TEXT NOT NULL,
      metric TEXT NOT NULL,
      value REAL NOT NULL,
      PRIMARY KEY (run_id, source, image_id, metric)
    );
    CREATE TABLE artifacts (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      kind TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (run_id, path)
    );
    )sql",
    // 3: evals of a run with their options and summary (`seglab eval`).
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
    // 4: sweeps, and the link from a run to its sweep cell.
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
    // 5: inference latency measurements of a run's model (`seglab bench`),
    // one row per batch size, with the machine it was measured on.
    R"sql(
    CREATE TABLE bench (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      checkpoint TEXT NOT NULL,
      backend TEXT NOT NULL,
      device TEXT NOT NULL,
      precision TEXT NOT NULL,
      threads INTEGER NOT NULL,
      batch INTEGER NOT NULL,
      image_size INTEGER NOT NULL,
      warmup INTEGER NOT NULL,
      repeats INTEGER NOT NULL,
      median_ms REAL NOT NULL,
      min_ms REAL NOT NULL,
      p90_ms REAL NOT NULL,
      cpu TEXT NOT NULL,
      cores INTEGER NOT NULL,
      gpu TEXT NOT NULL,
      host TEXT NOT NULL,
      seglab_version TEXT NOT NULL,
      seglab_commit TEXT NOT NULL
    );
    CREATE INDEX bench_by_run ON bench(run_id, id);
    )sql",
};

const int kCatalogMigrationCount = sizeof(kCatalogMigrations) / sizeof(kCatalogMigrations[0]);

}  // namespace seglab
