#pragma once
// The bench table's columns in one order, shared by the SQLite and PostgreSQL
// catalogs (internal to tracking/).
namespace seglab {

constexpr const char* kBenchColumns =
    "run_id, created_at, checkpoint, backend, device, precision, threads, batch, image_size, warmup, repeats, "
    "median_ms, min_ms, p90_ms, cpu, cores, gpu, host, seglab_version, seglab_commit";
constexpr int kBenchColumnCount = 20;

}  // namespace seglab
