// What tracking costs per training step, beside the step itself, on the
// quickstart experiment (or any experiment given as the first argument):
//
//   build/bench/tracking_overhead [experiment.ini] [--epochs N] [--set key=value]...
//
// Measures, in one process, side by side:
//  - the median optimizer step of the experiment's model and batch;
//  - what the training thread spends on tracking: logging one metric point
//    (RunTracker), and at each epoch's end taking the checkpoint (weights and
//    optimizer state out of the backend) and handing it and the epoch's points
//    to the background RunWriter -- spread over the epoch's steps, exactly as
//    the trainer does it. This is the per-step overhead; goal: below 1 %;
//  - for comparison, the same work done synchronously on the training thread
//    (the epoch's catalog transaction and the run.h5 write with its fsync and
//    rename), as the trainer did before the writer thread;
//  - the writer thread's wall and CPU time per epoch (its CPU time competes
//    with training on a machine with few cores);
//  - end to end: `--epochs N` (default 2) epochs of real steps with full
//    tracking against N without, interleaved, median epoch time of each.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "backends/training_registries.h"
#include "core/error.h"
#include "engine/experiment.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"
#include "tracking/run_file.h"
#include "tracking/run_store.h"
#include "tracking/run_tracker.h"
#include "tracking/run_writer.h"

using namespace seglab;
using Clock = std::chrono::steady_clock;

namespace {

template <class F>
double median_seconds(int repeats, F&& body) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = Clock::now();
    // A body may return the moment its timed part ended (what follows is set-up for the next repeat).
    if constexpr (std::is_same_v<decltype(body(i)), Clock::time_point>) {
      const auto end = body(i);
      times.push_back(std::chrono::duration<double>(end - start).count());
    } else {
      body(i);
      times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) try {
  std::string experiment = "experiments/quickstart.ini";
  std::vector<std::string> overrides;
  int end_to_end_epochs = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--set" && i + 1 < argc) overrides.push_back(argv[++i]);
    else if (arg == "--epochs" && i + 1 < argc) end_to_end_epochs = std::atoi(argv[++i]);
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
  double log_point = 0, flush = 0, write = 0, handoff = 0, writer_busy = 0, writer_cpu = 0;
  double epoch_plain = 0, epoch_tracked = 0;
  {
    RunStore store(root);
    RunInfo run;
    run.id = "bench000";
    run.name = "bench";
    run.created_at = utc_now_iso();
    run.config_hash = config.hash();
    store.catalog().create_run(run, {}, {});
    std::filesystem::create_directories(store.run_dir(run.id));
    int64_t s = 0;
    RunFileContents file;
    file.run_id = run.id;
    auto take_checkpoint = [&] {
      Checkpoint c;
      c.weights = network->weights();
      c.optimizer = network->optimizer_state();
      return c;
    };
    auto fill_contents = [&] {
      file.last = take_checkpoint();
      file.best = file.last;
      file.best->epoch = -1;  // a separate best checkpoint (weights only, as the trainer keeps it): the worst case
      file.best->optimizer.clear();
    };
    fill_contents();
    for (int k = 0; k < 12; ++k) file.curves["val.metric" + std::to_string(k)] = {{1, 2, 3}, {0.1, 0.2, 0.3}};

    // Before: everything on the training thread.
    {
      RunTracker tracker(store.catalog(), run.id, 1e9);  // flushes only when asked, as at an epoch's end
      log_point = median_seconds(2001, [&](int) { tracker.log("train.loss", ++s, 1, 0.5); });
      flush = median_seconds(21, [&](int) {
        for (int64_t i = 0; i < steps_per_epoch; ++i) tracker.log("train.loss", ++s, 1, 0.5);
        for (int k = 0; k < 11; ++k) tracker.log("val.metric" + std::to_string(k), s, 1, 0.9);
        tracker.flush();
      });
      // The flush figure includes its own logging; keep only the transaction.
      flush -= static_cast<double>(steps_per_epoch + 11) * log_point;
      write = median_seconds(7, [&](int) { write_run_file(store.run_file(run.id), file); });
    }

    // After: the training thread takes the checkpoint and hands it over; the
    // writer thread does the transaction and the file. Drained between
    // repeats (outside the timing), as an epoch of steps would let it finish.
    {
      RunWriter writer(store.catalog(), run.id, store.run_file(run.id));
      RunTracker tracker(writer, run.id, 1e9);
      const int repeats = 7;
      handoff = median_seconds(repeats, [&](int) {
        for (int64_t i = 0; i < steps_per_epoch; ++i) tracker.log("train.loss", ++s, 1, 0.5);
        for (int k = 0; k < 11; ++k) tracker.log("val.metric" + std::to_string(k), s, 1, 0.9);
        tracker.flush();
        fill_contents();
        writer.write_run_file(file);
        const auto paused = Clock::now();
        writer.drain();
        return paused;
      });
      handoff -= static_cast<double>(steps_per_epoch + 11) * log_point;
      writer_busy = writer.busy_seconds() / repeats;
      writer_cpu = writer.cpu_seconds() / repeats;
    }

    // End to end: epochs of real steps, with and without tracking, interleaved.
    std::vector<double> plain, tracked;
    for (int e = 0; e < end_to_end_epochs; ++e) {
      for (int mode = 0; mode < 2; ++mode) {
        const auto start = Clock::now();
        {
          std::unique_ptr<RunWriter> writer;
          std::unique_ptr<RunTracker> tracker;
          if (mode == 1) {
            writer = std::make_unique<RunWriter>(store.catalog(), run.id, store.run_file(run.id));
            tracker = std::make_unique<RunTracker>(*writer, run.id);
          }
          for (int64_t i = 0; i < steps_per_epoch; ++i) {
            const float loss = network->train_step(images, targets, 1e-3);
            if (tracker) tracker->log("train.loss", ++s, 1, loss);
          }
          if (tracker) {
            for (int k = 0; k < 11; ++k) tracker->log("val.metric" + std::to_string(k), s, 1, 0.9);
            tracker->flush();
            fill_contents();
            writer->write_run_file(file);
            writer->drain();  // the next epoch's steps would overlap this; counted here in full
          }
        }
        (mode ? tracked : plain).push_back(std::chrono::duration<double>(Clock::now() - start).count());
      }
    }
    std::sort(plain.begin(), plain.end());
    std::sort(tracked.begin(), tracked.end());
    if (!plain.empty()) {
      epoch_plain = plain[plain.size() / 2];
      epoch_tracked = tracked[tracked.size() / 2];
    }
  }
  std::filesystem::remove_all(root);

  const double per_step_before = log_point + (flush + write) / static_cast<double>(steps_per_epoch);
  const double per_step = log_point + handoff / static_cast<double>(steps_per_epoch);
  int64_t parameters = 0;
  for (const auto& [name, t] : network->weights()) parameters += t.numel();
  std::printf("experiment %s: %lld x %lldx%lld images per step, %lld steps per epoch, %.2f M weights\n",
              experiment.c_str(), static_cast<long long>(batch), static_cast<long long>(size),
              static_cast<long long>(size), static_cast<long long>(steps_per_epoch), parameters / 1e6);
  std::printf("median training step             %10.3f ms\n", step * 1e3);
  std::printf("median log of one metric point    %10.3f us\n", log_point * 1e6);
  std::printf("synchronous (before the writer thread):\n");
  std::printf("  epoch flush to catalog          %10.3f ms  (%lld points + heartbeat, one transaction)\n", flush * 1e3,
              static_cast<long long>(steps_per_epoch + 11));
  std::printf("  run.h5 write                    %10.3f ms  (last with optimizer state + a separate best, fsync, rename)\n",
              write * 1e3);
  std::printf("  tracking per step               %10.3f ms  = %.3f %% of a step\n", per_step_before * 1e3,
              100.0 * per_step_before / step);
  std::printf("background writer (now):\n");
  std::printf("  epoch hand-off on the trainer   %10.3f ms  (checkpoint out of the backend, copy, queue)\n", handoff * 1e3);
  std::printf("  writer thread per epoch         %10.3f ms  wall, %.3f ms CPU\n", writer_busy * 1e3, writer_cpu * 1e3);
  std::printf("  tracking per step               %10.3f ms  = %.3f %% of a step (goal < 1 %%)\n", per_step * 1e3,
              100.0 * per_step / step);
  if (epoch_plain > 0)
    std::printf("end to end, median of %d epochs:  %.3f s untracked, %.3f s tracked (%+.2f %%)\n", end_to_end_epochs,
                epoch_plain, epoch_tracked, 100.0 * (epoch_tracked / epoch_plain - 1));
  return per_step / step < 0.01 ? 0 : 1;
} catch (const Error& e) {
  std::fprintf(stderr, "error: %s\n", e.describe().c_str());
  return 1;
}
