#include "engine/trainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <unistd.h>

#include "backends/training_registries.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "core/lr_schedule.h"
#include "core/progress_bar.h"
#include "core/text.h"
#include "datasets/batch_loader.h"
#include "datasets/split.h"
#include "engine/run_data.h"
#include "engine/run_record.h"
#include "engine/validation.h"
#include "models/encoder_weights.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"
#include "tracking/run_file.h"

namespace seglab {
namespace {

using Clock = std::chrono::steady_clock;

const char* const kScoreNames[] = {"dice", "iou", "isic_jaccard", "precision", "recall", "specificity", "accuracy", "miou"};

void check_monitor(const std::string& monitor) {
  if (monitor == "train.loss") return;
  for (const char* name : kScoreNames)
    if (monitor == std::string("val.") + name) return;
  std::vector<std::string> allowed{"train.loss"};
  for (const char* name : kScoreNames) allowed.push_back(std::string("val.") + name);
  throw ConfigError("unknown metric '" + monitor + "' for train.monitor", "train.monitor",
                    "use one of: " + join(allowed, ", "));
}

// Everything that can fail because of the user's input, done before a run is recorded.
struct Prepared {
  RunData data;
  Graph graph;
  std::unique_ptr<Backend> backend;
  std::unique_ptr<Network> network;
  std::unique_ptr<BatchLoader> train_loader;
  std::unique_ptr<BatchLoader> val_loader;
  std::optional<EncoderWeightsReport> encoder_weights;  // when model.encoder_weights is set
  std::vector<std::string> encoder_parameters;          // trainable encoder.* names, when freezing
};

Prepared prepare(const Config& config, const std::string& store_root) {
  Prepared p;
  check_monitor(config.get_text("train.monitor"));
  const int image_size = static_cast<int>(config.get_int("data.image_size"));
  p.graph = build_model(config);
  const int stride = p.graph.max_stride();
  if (image_size % stride != 0)
    throw ConfigError("data.image_size = " + std::to_string(image_size) + " is not a multiple of " +
                          std::to_string(stride) + ", the model's total downsampling",
                      "data.image_size", "use e.g. " + std::to_string((image_size / stride + 1) * stride));
  p.graph.infer_shapes(1, image_size, image_size);

  p.data = prepare_run_data(config, store_root);
  if (p.data.split.train.empty())
    throw DataError("no samples left for training after the validation split", p.data.dataset->describe(),
                    "lower data.val_ratio or add samples");

  p.backend = make_backend(config);
  const uint64_t seed = static_cast<uint64_t>(config.get_int("experiment.seed"));
  NamedTensors initial_weights = initialize_parameters(p.graph, seed);
  const std::string& encoder_weights = config.get_text("model.encoder_weights");
  if (!encoder_weights.empty())
    p.encoder_weights = import_encoder_weights(p.graph, read_pth(encoder_weights),
                                               config.get_bool("model.encoder_weights_strict"), initial_weights);
  p.network = p.backend->compile(p.graph, initial_weights, compile_options(config));
  if (config.get_int("train.freeze_encoder_epochs") > 0) {
    for (const auto& spec : p.graph.params())
      if (spec.trainable && starts_with(spec.name, "encoder.")) p.encoder_parameters.push_back(spec.name);
    p.network->set_frozen(p.encoder_parameters);  // fails here, before the run exists, on a backend without it
  }

  p.train_loader = std::make_unique<BatchLoader>(p.data.samples, p.data.split.train, loader_options(config, true));
  if (!p.data.split.val.empty())
    p.val_loader = std::make_unique<BatchLoader>(p.data.samples, p.data.split.val, loader_options(config, false));
  return p;
}

bool lower_is_better(const std::string& metric) { return ends_with(metric, "loss"); }

std::string describe_scores(const std::map<std::string, Aggregate>& mean) {
  auto get = [&](const char* key) { return mean.count(key) ? mean.at(key).mean : NAN; };
  char text[96];
  std::snprintf(text, sizeof text, "val dice %.4f  iou %.4f", get("dice"), get("iou"));
  std::string summary = text;
  // Multi-class runs (per-class scores present) also show the mean IoU over classes.
  if (mean.count("iou_class0")) {
    std::snprintf(text, sizeof text, "  miou %.4f", get("miou"));
    summary += text;
  }
  return summary;
}

}  // namespace

TrainResult train(const Config& config, RunStore& store, const TrainOptions& options) {
  std::ostream& out = options.out ? *options.out : std::cout;
  Prepared p = prepare(config, store.root());

  TrainResult result;
  result.monitor = p.val_loader ? config.get_text("train.monitor") : "train.loss";
  RunInfo run;
  run.id = store.new_run_id();
  run.name = config.get_text("experiment.name");
  run.created_at = utc_now_iso();
  run.config_hash = config.hash();
  run.command = options.command_line;
  run.host = host_name();
  run.pid = static_cast<int64_t>(::getpid());
  run.sweep_id = options.sweep_id;
  run.job_key = options.job_key;
  result.run_id = run.id;

  const std::string dir = store.run_dir(run.id);
  std::filesystem::create_directories(dir);
  write_file_atomically(dir + "/config.ini", config.canonical_text());
  std::map<std::string, std::string> params;
  for (const auto& [key, value] : config.values()) params[key] = value.text;
  const int image_size = static_cast<int>(config.get_int("data.image_size"));
  auto record = make_run_record(config, *p.data.dataset, *p.backend, *p.network, options.command_line);
  add_data_record(config, p.data, record);
  // Model size and cost, for reports' efficiency plots.
  record["model.parameters"] = std::to_string(p.graph.trainable_parameter_count());
  record["model.gflops"] = format_number(p.graph.forward_flops(image_size, image_size) / 1e9);
  store.catalog().create_run(run, params, record);
  log::open_file(dir + "/log.txt");

  char flops[64];
  std::snprintf(flops, sizeof flops, "%.2f M parameters, %.2f GFLOP per %dx%d image",
                static_cast<double>(p.graph.trainable_parameter_count()) / 1e6,
                p.graph.forward_flops(image_size, image_size) / 1e9, image_size, image_size);
  out << "run " << run.id << " \"" << run.name << "\" -> " << dir << "\n"
      << "data: " << p.data.dataset->describe() << ": " << p.data.split.train.size() << " train, "
      << p.data.split.val.size() << " val (" << describe_split(config) << ")\n";
  if (!p.data.skipped.empty()) {
    out << "skipped " << p.data.skipped.size() << " bad sample" << (p.data.skipped.size() > 1 ? "s" : "")
        << " (data.on_bad_sample = skip; listed in the run record):\n";
    for (const auto& bad : p.data.skipped) out << "  " << bad.path << ": " << bad.problem << "\n";
  }
  out
      << "model: " << p.graph.description << ", " << flops << "\n"
      << "backend: " << p.backend->name() << " on " << p.network->device() << ", "
      << config.get_text("backend.precision") << "\n";
  if (p.encoder_weights) {
    out << "encoder weights: " << p.encoder_weights->summary() << "\n" << p.encoder_weights->problems();
    log::detail("encoder weights: " + p.encoder_weights->summary() + "\n" + p.encoder_weights->problems());
  }
  const int freeze_epochs = static_cast<int>(config.get_int("train.freeze_encoder_epochs"));
  if (freeze_epochs > 0)
    out << "encoder frozen for the first " << freeze_epochs << " epoch" << (freeze_epochs == 1 ? "" : "s") << " ("
        << p.encoder_parameters.size() << " tensors)\n";
  out.flush();
  log::detail("config hash " + config.hash() + "\n" + config.canonical_text());

  const int epochs = static_cast<int>(config.get_int("train.epochs"));
  const int64_t steps_per_epoch = static_cast<int64_t>(p.train_loader->batches_per_epoch());
  const LrFunction lr_at = make_lr_schedule(config, steps_per_epoch, steps_per_epoch * epochs);
  const int64_t num_classes = config.get_int("model.num_classes");
  const double threshold = config.get_real("eval.threshold");
  const bool higher_better = !lower_is_better(result.monitor);

  RunFileContents file;
  file.run_id = run.id;
  ProgressBar progress(out, ProgressBar::stdout_is_terminal() && options.out == nullptr, epochs,
                       steps_per_epoch * epochs);
  const auto start = Clock::now();
  int64_t step = 0;
  int epoch = 0;
  auto checkpoint_now = [&](int64_t completed_epochs, double value) {
    Checkpoint c;
    c.epoch = completed_epochs;
    c.step = step;
    c.metric_name = result.monitor;
    c.metric_value = value;
    c.weights = p.network->weights();
    c.optimizer = p.network->optimizer_state();
    return c;
  };

  try {
    for (epoch = 1; epoch <= epochs; ++epoch) {
      if (freeze_epochs > 0 && epoch == freeze_epochs + 1) {
        p.network->set_frozen({});
        log::detail("encoder unfrozen at epoch " + std::to_string(epoch));
      }
      p.train_loader->start_epoch(epoch);
      progress.start_epoch(epoch, static_cast<int>(steps_per_epoch));
      std::vector<MetricPoint> points;
      Batch batch;
      double loss_sum = 0;
      int64_t epoch_steps = 0, images = 0;
      const auto epoch_start = Clock::now();
      while (p.train_loader->next(batch)) {
        const double lr = lr_at(step);
        const float loss = p.network->train_step(batch.images, batch.targets, lr);
        if (!std::isfinite(loss))
          throw Error("the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at epoch " +
                          std::to_string(epoch) + ", step " + std::to_string(step + 1),
                      "train.lr = " + format_number(config.get_real("train.lr")),
                      "lower train.lr or add warm-up (train.warmup_epochs)");
        ++step;
        ++epoch_steps;
        images += batch.images.dim(0);
        loss_sum += loss;
        points.push_back({"train.loss", step, epoch, loss, unix_time_now()});
        progress.step(static_cast<int>(epoch_steps), static_cast<int>(batch.images.dim(0)), loss);
        if (interrupt_requested()) throw InterruptedError("interrupted by signal " + std::to_string(interrupt_signal()));
      }
      const double epoch_seconds = std::chrono::duration<double>(Clock::now() - epoch_start).count();
      const double epoch_loss = loss_sum / std::max<int64_t>(1, epoch_steps);
      std::map<std::string, double> epoch_values{{"train.epoch_loss", epoch_loss},
                                                  {"train.lr", lr_at(step - 1)},
                                                  {"train.images_per_second", images / epoch_seconds}};
      std::string summary;
      if (p.val_loader) {
        const auto val_start = Clock::now();
        const ValidationResult v = validate(*p.network, *p.val_loader, *p.data.dataset, num_classes, threshold);
        const double val_seconds = std::chrono::duration<double>(Clock::now() - val_start).count();
        for (const auto& [name, aggregate] : v.mean) epoch_values["val." + name] = aggregate.mean;
        // Inference throughput (loading and scoring included), for efficiency plots.
        if (val_seconds > 0) epoch_values["val.images_per_second"] = static_cast<double>(v.images) / val_seconds;
        summary = describe_scores(v.mean);
      }
      const double now = unix_time_now();
      for (const auto& [key, value] : epoch_values) {
        points.push_back({key, step, epoch, value, now});
        file.curves[key].epochs.push_back(epoch);
        file.curves[key].values.push_back(value);
      }
      store.catalog().log_metrics(run.id, points);
      result.final_metrics = epoch_values;

      const double monitored = result.monitor == "train.loss" ? epoch_loss : epoch_values.at(result.monitor);
      const bool improved = !file.best || (higher_better ? monitored > result.best_value : monitored < result.best_value);
      file.last = checkpoint_now(epoch, monitored);
      if (improved) {
        result.best_value = monitored;
        result.best_epoch = epoch;
        file.best = file.last;
      }
      write_run_file(store.run_file(run.id), file);
      progress.finish_epoch(summary);
      log::detail("epoch " + std::to_string(epoch) + " loss " + format_number(epoch_loss) + " " + summary);
      if (interrupt_requested()) throw InterruptedError("interrupted by signal " + std::to_string(interrupt_signal()));
    }
  } catch (const InterruptedError& e) {
    // Keep what was learned: the current weights become the last checkpoint.
    file.last = checkpoint_now(epoch - 1, NAN);
    try {
      write_run_file(store.run_file(run.id), file);
    } catch (const Error& write_error) {
      log::warn("could not write the interrupt checkpoint: " + std::string(write_error.what()));
    }
    store.catalog().set_status(run.id, RunStatus::interrupted, e.what());
    log::close_file();
    out << "\ninterrupted; run " << run.id << " keeps its checkpoint\n";
    result.status = RunStatus::interrupted;
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
  } catch (const std::exception& e) {
    store.catalog().set_status(run.id, RunStatus::failed, e.what());
    log::detail(std::string("failed: ") + e.what());
    log::close_file();
    throw;
  }

  store.catalog().set_status(run.id, RunStatus::finished);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  out << "finished run " << run.id << " in " << format_duration(result.seconds) << "; best " << result.monitor << " "
      << format_number(std::round(result.best_value * 1e4) / 1e4) << " at epoch " << result.best_epoch << "\n";
  log::detail("finished");
  log::close_file();
  return result;
}

}  // namespace seglab
