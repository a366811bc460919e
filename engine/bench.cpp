#include "engine/bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/error.h"
#include "core/rng.h"
#include "core/text.h"
#include "core/version.h"
#include "engine/machine_info.h"
#include "engine/run_loader.h"
#include "engine/run_record.h"

namespace seglab {
namespace {

using Clock = std::chrono::steady_clock;

void check_options(const BenchOptions& o) {
  if (o.batches.empty()) throw UsageError("no batch size given", "--batch", "give sizes like 1,8");
  for (int b : o.batches)
    if (b < 1) throw UsageError("batch size " + std::to_string(b) + " is below 1", "--batch", "give sizes like 1,8");
  if (o.repeats < 1)
    throw UsageError("repeats must be 1 or more, not " + std::to_string(o.repeats), "--repeats",
                     "30 gives a stable median");
  if (o.warmup < 0) throw UsageError("warm-up must be 0 or more, not " + std::to_string(o.warmup), "--warmup");
  if (o.threads < 0)
    throw UsageError("threads must be 1 or more (or 0 for all cores), not " + std::to_string(o.threads), "--threads");
}

// Input of the model's shape with values like a normalised image; latency
// does not depend on them, but denormal-free data keeps CPUs on their fast path.
Tensor synthetic_batch(int batch, int64_t channels, int64_t size) {
  Tensor t({batch, channels, size, size});
  Rng rng(12345);
  for (int64_t i = 0; i < t.numel(); ++i) t[i] = static_cast<float>(rng.normal());
  return t;
}

}  // namespace

std::vector<int> parse_batch_sizes(const std::string& text) {
  std::vector<int> out;
  // Split by hand: split_list drops empty items, and "1,,8" is a typo to report.
  size_t begin = 0;
  for (;;) {
    const size_t comma = text.find(',', begin);
    const std::string item = trim(text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin));
    char* end = nullptr;
    const long value = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || value < 1 || value > 4096)
      throw UsageError("bad batch size '" + item + "'", "--batch", "give positive integers separated by commas, e.g. 1,8");
    out.push_back(static_cast<int>(value));
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  if (out.empty()) throw UsageError("no batch size given", "--batch", "give sizes like 1,8");
  return out;
}

LatencySummary summarize_latencies(std::vector<double> ms) {
  LatencySummary s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  const auto quantile = [&](double q) {
    const double position = q * static_cast<double>(ms.size() - 1);
    const size_t below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(ms.size() - 1, below + 1);
    return ms[below] + (position - static_cast<double>(below)) * (ms[above] - ms[below]);
  };
  s.min = ms.front();
  s.median = quantile(0.5);
  s.p90 = quantile(0.9);
  return s;
}

BenchResult bench_run(RunStore& store, const std::string& id, const BenchOptions& options) {
  check_options(options);
  // A fixed, recorded thread count: 0 means every core, written down as the number.
  const int threads = options.threads > 0 ? options.threads : cpu_cores();
  std::map<std::string, std::string> overrides{{"backend.threads", std::to_string(threads)}};
  if (!options.backend.empty()) overrides["backend.name"] = options.backend;
  LoadedRun run = load_run_with(store, id, options.checkpoint, overrides,
                                options.backend.empty() ? "--threads" : "--backend");

  BenchResult result;
  result.run_id = run.info.id;
  const int64_t size = run.config.get_int("data.image_size");
  const int64_t channels = run.graph.node(run.graph.input()).channels;
  const std::string device = run.network->device();
  BenchRecord base;
  base.run_id = run.info.id;
  base.checkpoint = options.checkpoint;
  base.backend = run.backend->name();
  base.device = device;
  base.precision = run.compiled.precision;
  base.threads = threads;
  base.image_size = size;
  base.warmup = options.warmup;
  base.repeats = options.repeats;
  base.cpu = cpu_model_name();
  base.cores = cpu_cores();
  base.gpu = gpu_model_name(device);
  base.host = host_name();
  base.seglab_version = seglab_version();
  base.seglab_commit = git_commit() + (git_dirty() ? "-dirty" : "");
  if (run.compiled.device != run.config.get_text("backend.device") ||
      run.compiled.precision != run.config.get_text("backend.precision"))
    result.note = "run recorded " + run.config.get_text("backend.device") + "/" +
                  run.config.get_text("backend.precision") + "; measured on " + device + " in " + base.precision;

  for (int batch : options.batches) {
    const Tensor input = synthetic_batch(batch, channels, size);
    // Warm-up: first calls pay for memory allocation, kernel selection and
    // (oneDNN) primitive creation, which a deployed model pays once.
    for (int i = 0; i < options.warmup; ++i) run.network->predict(input);
    std::vector<double> ms;
    for (int i = 0; i < options.repeats; ++i) {
      const auto start = Clock::now();
      const Tensor out = run.network->predict(input);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (out.numel() == 0) throw BackendError("the network returned no output", "predict");
    }
    const LatencySummary s = summarize_latencies(ms);
    BenchRecord record = base;
    record.batch = batch;
    record.median_ms = s.median;
    record.min_ms = s.min;
    record.p90_ms = s.p90;
    record.created_at = utc_now_iso();
    record.id = store.catalog().add_bench(record);
    result.records.push_back(record);
  }
  return result;
}

}  // namespace seglab
