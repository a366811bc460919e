// What tracking costs per training step, beside the step itself, on the
// quickstart experiment (or any experiment given as the first argument):
//
//   build/bench/tracking_overhead [experiment.ini] [--set key=value]...
//
// Measures, in one process: the median optimizer step of the experiment's
// model and batch; the median cost of logging one metric point (RunTracker);
// of one epoch's catalog flush (every step's point plus the epoch's metrics,
// with the heartbeat, in one transaction); and of one run.h5 write (last and
// best checkpoints with optimizer state, curves; written whole, fsynced,
// renamed). The per-step overhead counts the per-epoch work spread over the
// epoch's steps, exactly as the trainer does it. Goal: below 1 %.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "backends/training_registries.h"
#include "core/error.h"
#include "engine/experiment.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"
#include "tracking/run_file.h"
#include "tracking/run_store.h"
#include "tracking/run_tracker.h"

using namespace seglab;
using Clock = std::chrono::steady_clock;

namespace {

template <class F>
double median_seconds(int repeats, F&& body) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = Clock::now();
    body(i);
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) try {
  std::string experiment = "experiments/quickstart.ini";
  std::vector<std::string> overrides;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--set" && i + 1 < argc) overrides.push_back(argv[++i]);
    else experiment = arg;
  }
  const Config config = load_experiment(experiment, overrides);
  const int64_t batch = config.get_int("train.batch_size");
  const int64_t size = config.get_int("data.image_size");
  // Synthetic data says its size; for folders assume PH2's 90 images.
  const int64_t samples = config.get_text("data.adapter") == "synthetic" ? config.get_int("data.num_samples") : 90;
  const double val_ratio = config.get_real("data.val_ratio");
  const int64_t steps_per_epoch = std::max<int64_t>(1, static_cast<int64_t>(samples * (1 - val_ratio)) / batch);

  Graph graph = build_model(config);
  graph.infer_shapes(1, static_cast<int>(size), static_cast<int>(size));
  const auto backend = make_backend(config);
  auto network = backend->compile(graph, initialize_parameters(graph, 1), compile_options(config));
  Tensor images({batch, 3, size, size}, 0.5f), targets({batch, 1, size, size}, 0.0f);
  for (int64_t i = 0; i < targets.numel(); i += 3) targets.data()[i] = 1.0f;
  network->train_step(images, targets, 1e-3);  // warm-up
  const double step = median_seconds(15, [&](int) { network->train_step(images, targets, 1e-3); });

  const std::string root = (std::filesystem::temp_directory_path() / ("seglab-bench-" + std::to_string(::getpid()))).string();
  double log_point = 0, flush = 0, write = 0;
  {
    RunStore store(root);
    RunInfo run;
    run.id = "bench000";
    run.name = "bench";
    run.created_at = utc_now_iso();
    run.config_hash = config.hash();
    store.catalog().create_run(run, {}, {});
    std::filesystem::create_directories(store.run_dir(run.id));
    RunTracker tracker(store.catalog(), run.id, 1e9);  // flushes only when asked, as at an epoch's end
    int64_t s = 0;
    log_point = median_seconds(2001, [&](int) { tracker.log("train.loss", ++s, 1, 0.5); }) ;
    flush = median_seconds(21, [&](int) {
      for (int64_t i = 0; i < steps_per_epoch; ++i) tracker.log("train.loss", ++s, 1, 0.5);
      for (int k = 0; k < 11; ++k) tracker.log("val.metric" + std::to_string(k), s, 1, 0.9);
      tracker.flush();
    });
    // The flush figure includes its own logging; keep only the transaction.
    flush -= static_cast<double>(steps_per_epoch + 11) * log_point;

    RunFileContents file;
    file.run_id = run.id;
    Checkpoint c;
    c.weights = network->weights();
    c.optimizer = network->optimizer_state();
    file.last = c;
    file.best = c;
    file.best->epoch = -1;  // a separate best checkpoint (weights only, as the trainer keeps it): the worst case
    file.best->optimizer.clear();
    for (int k = 0; k < 12; ++k) file.curves["val.metric" + std::to_string(k)] = {{1, 2, 3}, {0.1, 0.2, 0.3}};
    write = median_seconds(7, [&](int) { write_run_file(store.run_file(run.id), file); });
  }
  std::filesystem::remove_all(root);

  const double per_step = log_point + (flush + write) / static_cast<double>(steps_per_epoch);
  int64_t parameters = 0;
  for (const auto& [name, t] : network->weights()) parameters += t.numel();
  std::printf("experiment %s: %lld x %lldx%lld images per step, %lld steps per epoch, %.2f M weights\n",
              experiment.c_str(), static_cast<long long>(batch), static_cast<long long>(size),
              static_cast<long long>(size), static_cast<long long>(steps_per_epoch), parameters / 1e6);
  std::printf("median training step           %10.3f ms\n", step * 1e3);
  std::printf("median log of one metric point  %10.3f us\n", log_point * 1e6);
  std::printf("median epoch flush to catalog   %10.3f ms  (%lld points + heartbeat, one transaction)\n", flush * 1e3,
              static_cast<long long>(steps_per_epoch + 11));
  std::printf("median run.h5 write             %10.3f ms  (last with optimizer state + a separate best, fsync, rename)\n",
              write * 1e3);
  std::printf("tracking per step               %10.3f ms  = %.3f %% of a step (goal < 1 %%)\n", per_step * 1e3,
              100.0 * per_step / step);
  return per_step / step < 0.01 ? 0 : 1;
} catch (const Error& e) {
  std::fprintf(stderr, "error: %s\n", e.describe().c_str());
  return 1;
}
