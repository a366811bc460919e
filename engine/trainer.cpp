#include "engine/trainer.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "backends/training_registries.h"
#include "core/atomic_file.h"
#include "core/crash_point.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "core/lr_schedule.h"
#include "core/progress_bar.h"
#include "core/sha256.h"
#include "core/text.h"
#include "datasets/batch_loader.h"
#include "datasets/split.h"
#include "engine/run_data.h"
#include "engine/run_loader.h"
#include "engine/run_record.h"
#include "engine/validation.h"
#include "models/encoder_weights.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"
#include "tracking/process_identity.h"
#include "tracking/run_file.h"
#include "tracking/run_tracker.h"
#include "tracking/run_writer.h"

namespace seglab {
namespace {

using Clock = std::chrono::steady_clock;

const char* const kScoreNames[] = {"dice", "iou", "isic_jaccard", "precision", "recall", "specificity", "accuracy", "miou"};
const char* const kRngStreams = "shuffle/<epoch> (data order), augment/<epoch>/<sample>, split, init/<parameter>";

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

PerImageTable per_image_table(const ValidationResult& v, int64_t epoch) {
  PerImageTable t;
  t.epoch = epoch;
  t.ids = v.ids;
  for (const char* name : kScoreNames) t.columns.push_back(name);
  for (const Scores& scores : v.per_image) {
    std::vector<double> row;
    for (const char* name : kScoreNames) row.push_back(scores.count(name) ? scores.at(name) : NAN);
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::vector<ImageScore> to_image_scores(const PerImageTable& t) {
  std::vector<ImageScore> out;
  for (size_t i = 0; i < t.rows.size(); ++i)
    for (size_t j = 0; j < t.columns.size(); ++j)
      if (std::isfinite(t.rows[i][j])) out.push_back({t.ids[i], t.columns[j], t.rows[i][j]});
  return out;
}

// Where a run stands; everything needed to continue it bit for bit.
struct Progress {
  int64_t step = 0;              // optimizer steps done
  int64_t completed_epochs = 0;
  int64_t batches_into_epoch = 0;  // of epoch completed_epochs + 1
  double epoch_loss_sum = 0;
  int64_t epoch_images = 0;
};

void record_artifacts(RunStore& store, const std::string& id) {
  const std::string dir = store.run_dir(id);
  const std::pair<const char*, const char*> files[] = {{"config.ini", "config"}, {"log.txt", "log"}, {"run.h5", "checkpoints"}};
  for (const auto& [name, kind] : files) {
    const std::string path = dir + "/" + name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    Artifact a;
    a.path = name;
    a.kind = kind;
    a.bytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
    a.sha256 = sha256_file(path);
    store.catalog().add_artifact(id, a);
  }
}

// The part of train() and resume() after the run exists: the epochs from
// `progress` on, then the final status.
TrainResult run_epochs(const Config& config, Prepared& p, RunStore& store, const std::string& run_id, Progress progress,
                       RunFileContents file, TrainResult result, std::ostream& out, bool interactive) {
  const int epochs = static_cast<int>(config.get_int("train.epochs"));
  const int64_t steps_per_epoch = static_cast<int64_t>(p.train_loader->batches_per_epoch());
  const LrFunction lr_at = make_lr_schedule(config, steps_per_epoch, steps_per_epoch * epochs);
  const int64_t num_classes = config.get_int("model.num_classes");
  const double threshold = config.get_real("eval.threshold");
  const int64_t checkpoint_every = config.get_int("train.checkpoint_every");
  const uint64_t seed = static_cast<uint64_t>(config.get_int("experiment.seed"));
  const bool higher_better = !lower_is_better(result.monitor);

  // Metric points and run.h5 are written by a background thread, in order:
  // the training thread only hands them over (bench/tracking_overhead). From
  // here until the writer is drained, only the writer touches the catalog.
  RunWriter writer(store.catalog(), run_id, store.run_file(run_id));
  RunTracker tracker(writer, run_id);
  ProgressBar bar(out, interactive, epochs, steps_per_epoch * epochs);
  const auto start = Clock::now();
  auto checkpoint_now = [&](double value) {
    Checkpoint c;
    c.epoch = progress.completed_epochs;
    c.step = progress.step;
    c.metric_name = result.monitor;
    c.metric_value = value;
    c.weights = p.network->weights();
    c.optimizer = p.network->optimizer_state();
    c.batches_into_epoch = progress.batches_into_epoch;
    c.epoch_loss_sum = progress.epoch_loss_sum;
    c.epoch_images = progress.epoch_images;
    c.rng_seed = seed;
    c.rng_streams = kRngStreams;
    c.lr_next = progress.step < steps_per_epoch * epochs ? lr_at(progress.step) : 0.0;
    return c;
  };
  auto check_interrupt = [] {
    if (interrupt_requested()) throw InterruptedError("interrupted by signal " + std::to_string(interrupt_signal()));
  };

  const int64_t freeze_epochs = config.get_int("train.freeze_encoder_epochs");
  bool frozen = freeze_epochs > 0;  // prepare() froze the encoder
  try {
    for (int64_t epoch = progress.completed_epochs + 1; epoch <= epochs; ++epoch) {
      if (frozen && epoch > freeze_epochs) {
        p.network->set_frozen({});
        frozen = false;
        log::detail("encoder unfrozen at epoch " + std::to_string(epoch));
      }
      p.train_loader->start_epoch(static_cast<int>(epoch));
      Batch batch;
      // A resumed epoch: the loader's order is a function of seed and epoch,
      // so skipping the batches already trained puts it where it stopped.
      for (int64_t i = 0; i < progress.batches_into_epoch; ++i) p.train_loader->next(batch);
      bar.start_epoch(static_cast<int>(epoch), static_cast<int>(steps_per_epoch));
      const auto epoch_start = Clock::now();
      // A step's loss is read once the next step is queued: on CUDA the GPU then
      // has work while the host waits (Network::queue_train_step).
      struct QueuedStep {
        std::function<float()> loss;
        int64_t step = 0, batches_into_epoch = 0, images = 0;
      };
      std::optional<QueuedStep> queued;
      auto settle = [&] {
        if (!queued) return;
        const QueuedStep q = std::move(*queued);
        queued.reset();
        const float loss = q.loss();
        if (!std::isfinite(loss))
          throw Error("the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at epoch " +
                          std::to_string(epoch) + ", step " + std::to_string(q.step),
                      "train.lr = " + format_number(config.get_real("train.lr")),
                      "lower train.lr or add warm-up (train.warmup_epochs)");
        progress.epoch_loss_sum += loss;
        tracker.log("train.loss", q.step, epoch, loss);
        bar.step(static_cast<int>(q.batches_into_epoch), static_cast<int>(q.images), loss);
      };
      while (p.train_loader->next(batch)) {
        const double lr = lr_at(progress.step);
        std::function<float()> loss = p.network->queue_train_step(batch.images, batch.targets, lr);
        ++progress.step;
        ++progress.batches_into_epoch;
        progress.epoch_images += batch.images.dim(0);
        settle();
        queued = QueuedStep{std::move(loss), progress.step, progress.batches_into_epoch, batch.images.dim(0)};
        crash_point("train.step");
        if (interrupt_requested()) settle();  // the interrupted checkpoint counts every loss
        check_interrupt();
      }
      settle();
      const double epoch_seconds = std::chrono::duration<double>(Clock::now() - epoch_start).count();
      const double epoch_loss = progress.epoch_loss_sum / static_cast<double>(std::max<int64_t>(1, progress.batches_into_epoch));
      std::map<std::string, double> epoch_values{{"train.epoch_loss", epoch_loss},
                                                  {"train.lr", lr_at(progress.step - 1)},
                                                  {"train.images_per_second", progress.epoch_images / epoch_seconds}};
      std::string summary;
      std::optional<PerImageTable> scores;
      if (p.val_loader) {
        const auto val_start = Clock::now();
        const ValidationResult v = validate(*p.network, *p.val_loader, *p.data.dataset, num_classes, threshold);
        const double val_seconds = std::chrono::duration<double>(Clock::now() - val_start).count();
        for (const auto& [name, aggregate] : v.mean) epoch_values["val." + name] = aggregate.mean;
        // Inference throughput (loading and scoring included), for efficiency plots.
        if (val_seconds > 0) epoch_values["val.images_per_second"] = static_cast<double>(v.images) / val_seconds;
        summary = describe_scores(v.mean);
        scores = per_image_table(v, epoch);
      }
      for (const auto& [key, value] : epoch_values) {
        tracker.log(key, progress.step, epoch, value);
        file.curves[key].epochs.push_back(static_cast<double>(epoch));
        file.curves[key].values.push_back(value);
      }
      tracker.flush();
      result.final_metrics = epoch_values;

      progress.completed_epochs = epoch;
      progress.batches_into_epoch = 0;
      progress.epoch_loss_sum = 0;
      progress.epoch_images = 0;
      const double monitored = result.monitor == "train.loss" ? epoch_loss : epoch_values.at(result.monitor);
      const bool improved = !file.best || (higher_better ? monitored > result.best_value : monitored < result.best_value);
      file.last = checkpoint_now(monitored);
      if (scores) file.per_image["val_last"] = *scores;
      if (improved) {
        result.best_value = monitored;
        result.best_epoch = epoch;
        file.best = file.last;
        file.best->optimizer.clear();  // only `last` is ever resumed: the best keeps its weights
        if (scores) file.per_image["val_best"] = *scores;
      }
      file.periodic.clear();
      if (checkpoint_every > 0 && epoch % checkpoint_every == 0) file.periodic[epoch] = *file.last;
      writer.write_run_file(file);  // a copy: `file` keeps the best checkpoint and the curves
      crash_point("train.after_checkpoint");  // queued; "run_writer.written" once durable
      bar.finish_epoch(summary);
      log::detail("epoch " + std::to_string(epoch) + " loss " + format_number(epoch_loss) + " " + summary);
      check_interrupt();
    }
    // Every checkpoint and point is durable before the run is marked finished;
    // a failed background write fails the run here, with its error.
    writer.drain();
  } catch (const InterruptedError& e) {
    // Keep what was learned: the current weights, mid-epoch position included,
    // become the last checkpoint, durable before the run is marked interrupted.
    try {
      tracker.flush();
      file.periodic.clear();
      file.last = checkpoint_now(NAN);
      writer.write_run_file(std::move(file));
      writer.drain();
    } catch (const std::exception& write_error) {
      // The run keeps its previous checkpoint; the error is not lost.
      const std::string error = std::string(e.what()) + ", and the checkpoint could not be written: " + write_error.what();
      store.catalog().set_status(run_id, RunStatus::failed, error);
      log::detail("failed: " + error);
      log::close_file();
      throw StoreError(error, store.run_file(run_id), "free disk space or check the store, then: seglab resume " + run_id);
    }
    store.catalog().set_status(run_id, RunStatus::interrupted, e.what());
    record_artifacts(store, run_id);
    log::close_file();
    out << "\ninterrupted; run " << run_id << " keeps its checkpoint (epoch " << progress.completed_epochs << ", +"
        << progress.batches_into_epoch << " batches); continue with: seglab resume " << run_id << "\n";
    result.status = RunStatus::interrupted;
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
  } catch (const std::exception& e) {
    // What was queued before the failure is still written (or the writer failed
    // itself, then `e` may be its error); either way the writer is idle after this.
    try {
      writer.drain();
    } catch (const std::exception& write_error) {
      if (std::string(write_error.what()) != e.what()) log::warn(std::string("background write failed: ") + write_error.what());
    }
    // The cause must reach the user even when the catalog cannot record it
    // (a full disk fails both): the status error is logged, the cause rethrown.
    try {
      store.catalog().set_status(run_id, RunStatus::failed, e.what());
    } catch (const std::exception& status_error) {
      log::warn("could not mark run " + run_id + " failed: " + status_error.what());
    }
    log::detail(std::string("failed: ") + e.what());
    log::close_file();
    throw;
  }

  for (const auto& [source, table] : file.per_image) store.catalog().set_image_scores(run_id, source, to_image_scores(table));
  record_artifacts(store, run_id);
  store.catalog().set_status(run_id, RunStatus::finished);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  out << "finished run " << run_id << " in " << format_duration(result.seconds) << "; best " << result.monitor << " "
      << format_number(std::round(result.best_value * 1e4) / 1e4) << " at epoch " << result.best_epoch << "\n";
  log::detail("finished");
  log::close_file();
  return result;
}

void print_header(std::ostream& out, const Config& config, const Prepared& p, const std::string& id,
                  const std::string& name, const std::string& dir) {
  const int image_size = static_cast<int>(config.get_int("data.image_size"));
  char flops[64];
  std::snprintf(flops, sizeof flops, "%.2f M parameters, %.2f GFLOP per %dx%d image",
                static_cast<double>(p.graph.trainable_parameter_count()) / 1e6,
                p.graph.forward_flops(image_size, image_size) / 1e9, image_size, image_size);
  out << "run " << id << " \"" << name << "\" -> " << dir << "\n"
      << "data: " << p.data.dataset->describe() << ": " << p.data.split.train.size() << " train, "
      << p.data.split.val.size() << " val"
      << (p.data.split.test.empty() ? "" : ", " + std::to_string(p.data.split.test.size()) + " test held out") << " ("
      << describe_split(config) << ")\n";
  if (!p.data.skipped.empty()) {
    out << "skipped " << p.data.skipped.size() << " bad sample" << (p.data.skipped.size() > 1 ? "s" : "")
        << " (data.on_bad_sample = skip; listed in the run record):\n";
    for (const auto& bad : p.data.skipped) out << "  " << bad.path << ": " << bad.problem << "\n";
  }
  out << "model: " << p.graph.description << ", " << flops << "\n"
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
}

// The reproducibility record of a new or resuming run: config, code, libraries,
// data (fingerprint, skipped samples) and the model's size and cost (for
// reports' efficiency plots).
RunRecord full_run_record(const Config& config, const Prepared& p, const std::string& command_line) {
  RunRecord record = make_run_record(config, *p.data.dataset, *p.backend, *p.network, command_line);
  add_data_record(config, p.data, record);
  const int image_size = static_cast<int>(config.get_int("data.image_size"));
  record["model.parameters"] = std::to_string(p.graph.trainable_parameter_count());
  record["model.gflops"] = format_number(p.graph.forward_flops(image_size, image_size) / 1e9);
  // The imported file decides the start, so `seglab reproduce` must find the same one.
  const std::string& encoder_weights = config.get_text("model.encoder_weights");
  if (!encoder_weights.empty()) record["model.encoder_weights_sha256"] = sha256_file(encoder_weights);
  return record;
}

bool interactive_output(const TrainOptions& options) {
  return ProgressBar::stdout_is_terminal() && options.out == nullptr;
}

}  // namespace

bool record_key_affects_results(const std::string& key) {
  return starts_with(key, "seglab.") || starts_with(key, "lib.") || starts_with(key, "backend.") ||
         starts_with(key, "threads.") || starts_with(key, "env.") || key == "data.fingerprint" || key == "config.hash" || key == "seed" ||
         key == "data.split_sha256" || key == "model.encoder_weights_sha256";
}

TrainResult train(const Config& config, RunStore& store, const TrainOptions& options) {
  std::ostream& out = options.out ? *options.out : std::cout;
  Prepared p = prepare(config, store.root());
  const RunRecord record = full_run_record(config, p, options.command_line);
  if (options.on_record) options.on_record(record);

  TrainResult result;
  result.monitor = p.val_loader ? config.get_text("train.monitor") : "train.loss";
  RunInfo run;
  run.id = store.new_run_id();
  run.name = config.get_text("experiment.name");
  run.created_at = utc_now_iso();
  run.config_hash = config.hash();
  run.command = options.command_line;
  run.host = this_host_name();
  run.pid = static_cast<int64_t>(::getpid());
  run.process_identity = own_process_identity();
  run.parent_id = options.parent_id;
  run.sweep_id = options.sweep_id;
  run.job_key = options.job_key;
  result.run_id = run.id;

  const std::string dir = store.run_dir(run.id);
  std::filesystem::create_directories(dir);
  write_file_atomically(dir + "/config.ini", config.canonical_text());
  std::map<std::string, std::string> params;
  for (const auto& [key, value] : config.values()) params[key] = value.text;
  try {
    store.catalog().create_run(run, params, record);
  } catch (...) {
    // No catalog row (locked or full catalog): leave no orphan folder either.
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    throw;
  }
  log::open_file(dir + "/log.txt");
  print_header(out, config, p, run.id, run.name, dir);
  crash_point("train.created");
  log::detail("config hash " + config.hash() + "\n" + config.canonical_text());

  RunFileContents file;
  file.run_id = run.id;
  return run_epochs(config, p, store, run.id, Progress{}, std::move(file), result, out, interactive_output(options));
}

TrainResult resume(RunStore& store, const std::string& id_or_prefix, const TrainOptions& options) {
  std::ostream& out = options.out ? *options.out : std::cout;
  store.catalog().mark_dead_runs();
  const RunInfo info = store.catalog().find_run(id_or_prefix);
  if (info.status == RunStatus::finished)
    throw StoreError("run " + info.id + " has finished; there is nothing to resume", store.catalog().path(),
                     "use `seglab reproduce " + info.id + "` to train it again");
  const Config config = recorded_config(store, info.id);
  Prepared p = prepare(config, store.root());
  const RunRecord record = full_run_record(config, p, options.command_line);
  if (options.on_record) options.on_record(record);

  // Where to continue from: the last checkpoint, or the very start when the
  // run died before writing one (its initial weights come from the seed).
  TrainResult result;
  result.run_id = info.id;
  result.monitor = p.val_loader ? config.get_text("train.monitor") : "train.loss";
  Progress progress;
  RunFileContents file;
  file.run_id = info.id;
  const std::string run_file = store.run_file(info.id);
  std::error_code ec;
  if (std::filesystem::exists(run_file, ec)) {
    const Checkpoint last = read_checkpoint(run_file, "last");
    try {
      p.network->load_weights(last.weights);
      p.network->load_optimizer_state(last.optimizer);
    } catch (const BackendError& e) {
      throw_checkpoint_does_not_fit(run_file, "last", e);
    }
    progress.step = last.step;
    progress.completed_epochs = last.epoch;
    progress.batches_into_epoch = last.batches_into_epoch;
    progress.epoch_loss_sum = last.epoch_loss_sum;
    progress.epoch_images = last.epoch_images;
    const auto names = list_checkpoints(run_file);
    if (std::find(names.begin(), names.end(), "best") != names.end()) {
      file.best = read_checkpoint(run_file, "best");
      result.best_value = file.best->metric_value;
      result.best_epoch = file.best->epoch;
    }
    file.last = last;
    file.curves = read_curves(run_file);
    file.per_image = read_per_image(run_file);
    for (const auto& [key, curve] : file.curves)
      if (!curve.values.empty()) result.final_metrics[key] = curve.values.back();
  }

  RunRecord updates;
  updates["resume." + std::to_string(info.resumes + 1)] =
      utc_now_iso() + " from epoch " + std::to_string(progress.completed_epochs) + " +" +
      std::to_string(progress.batches_into_epoch) + " batches by: " + options.command_line;
  for (const auto& [key, value] : record) {
    if (record_key_affects_results(key)) updates["resume.current." + key] = value;
    if (starts_with(key, "slurm.")) updates[key] = value;  // the Slurm job running it now
  }
  store.catalog().begin_resume(info.id, this_host_name(), static_cast<int64_t>(::getpid()), own_process_identity(),
                               progress.step, updates);
  const std::string dir = store.run_dir(info.id);
  log::open_file(dir + "/log.txt");
  print_header(out, config, p, info.id, info.name, dir);
  out << "resuming from epoch " << progress.completed_epochs << " +" << progress.batches_into_epoch
      << " batches (step " << progress.step << ")\n";
  log::detail("resumed at step " + std::to_string(progress.step) + " by " + options.command_line);
  return run_epochs(config, p, store, info.id, progress, std::move(file), result, out, interactive_output(options));
}

}  // namespace seglab
