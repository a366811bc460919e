#include <iostream>

#include "core/error.h"
#include "engine/bench.h"
#include "engine/cli/command.h"
#include "engine/cli/command_options.h"
#include "reports/text_table.h"

namespace po = boost::program_options;

namespace seglab {
namespace {

const char* kUsage =
    "bench <run-id> [--backend name] [--threads N] [--batch 1,8] [--repeats N] [--warmup N] [--checkpoint best|last] "
    "[--list]";

// One row per record: per-batch and per-image latencies and where they were measured.
void print_records(const std::vector<BenchRecord>& records, bool with_dates) {
  std::vector<std::string> header{"batch", "median ms", "min ms", "p90 ms", "median ms/image", "backend", "device",
                                  "precision", "threads", "size"};
  if (with_dates) header.insert(header.begin(), {"bench", "created (UTC)"});
  TextTable table(header);
  for (const auto& r : records) {
    std::vector<std::string> row{std::to_string(r.batch), format_metric(r.median_ms, 2), format_metric(r.min_ms, 2),
                                 format_metric(r.p90_ms, 2), format_metric(r.median_ms_per_image(), 2), r.backend,
                                 r.device, r.precision, std::to_string(r.threads),
                                 std::to_string(r.image_size) + "x" + std::to_string(r.image_size)};
    if (with_dates) row.insert(row.begin(), {std::to_string(r.id), r.created_at});
    table.add_row(row);
  }
  std::cout << table.render();
}

void list_bench(RunStore& store, const std::string& id) {
  const RunInfo run = store.catalog().find_run(id);
  const auto records = store.catalog().bench_records(run.id);
  if (records.empty()) {
    std::cout << "no bench records of run " << run.id << " yet; run `seglab bench " << run.id << "`\n";
    return;
  }
  std::cout << "bench records of run " << run.id << " (latency per batch unless marked per image)\n";
  print_records(records, true);
  std::string machine;
  for (const auto& r : records) {
    const std::string line = r.machine() + " on " + r.host + ", seglab " + r.seglab_version + " (" +
                             r.seglab_commit.substr(0, 12) + ")";
    if (line != machine) std::cout << "  bench " << r.id << ": " << line << "\n";
    machine = line;
  }
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
  std::string run_id, store, batches;
  BenchOptions bench;
  po::options_description options("bench options");
  options.add_options()("run", po::value<std::string>(&run_id), "run id (or a unique prefix)")(
      "backend", po::value<std::string>(&bench.backend),
      "run the checkpoint on this backend instead of the run's own: libtorch | onednn (seglab list backends)")(
      "threads", po::value<int>(&bench.threads)->default_value(0),
      "CPU threads the backend may use; 0 = all cores (the count used is recorded)")(
      "batch", po::value<std::string>(&batches)->default_value("1,8"), "batch sizes to time, comma-separated")(
      "repeats", po::value<int>(&bench.repeats)->default_value(30), "timed calls per batch size (median, min, p90 over them)")(
      "warmup", po::value<int>(&bench.warmup)->default_value(5), "untimed calls first (allocation, kernel selection)")(
      "checkpoint", po::value<std::string>(&bench.checkpoint)->default_value("best"), "best | last")(
      "list", "list the bench records of the run instead of measuring");
  add_store_option(options, store);
  po::positional_options_description positional;
  positional.add("run", 1);
  po::variables_map values;
  if (!parse_command(args, kUsage, options, positional, values)) return 0;
  if (run_id.empty()) throw UsageError("no run id given", "seglab bench", "see `seglab runs list`");
  RunStore run_store(RunStore::resolve_path(store));
  if (values.count("list")) {
    list_bench(run_store, run_id);
    return 0;
  }
  bench.batches = parse_batch_sizes(batches);
  const BenchResult result = bench_run(run_store, run_id, bench);
  const BenchRecord& first = result.records.front();
  std::cout << "run " << result.run_id << ", " << bench.checkpoint << " checkpoint, " << first.image_size << "x"
            << first.image_size << " input, " << bench.warmup << " warm-up + " << bench.repeats
            << " timed calls per batch size\n"
            << "machine: " << first.machine() << " (" << first.host << ")\n";
  if (!result.note.empty()) std::cout << "note: " << result.note << "\n";
  print_records(result.records, false);
  std::cout << "recorded as bench " << first.id;
  if (result.records.size() > 1) std::cout << "-" << result.records.back().id;
  std::cout << "; `seglab bench " << result.run_id << " --list` shows every record\n";
  return 0;
}

}  // namespace seglab
