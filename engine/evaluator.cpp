#include "engine/evaluator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>
#include <sstream>
#include <unistd.h>

#include "core/error.h"
#include "core/sha256.h"
#include "core/text.h"
#include "datasets/batch_loader.h"
#include "datasets/image_io.h"
#include "datasets/preprocess.h"
#include "datasets/split.h"
#include "engine/ensemble.h"
#include "engine/eval_data.h"
#include "engine/eval_figures.h"
#include "engine/eval_results.h"
#include "engine/out_of_fold_choice.h"
#include "engine/run_loader.h"
#include "engine/segmentation_output.h"
#include "engine/test_time_augmentation.h"
#include "engine/threshold_search.h"
#include "reports/overlay.h"
#include "reports/text_table.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

using Clock = std::chrono::steady_clock;

LoaderOptions eval_loader_options(const Config& config) {
  LoaderOptions o;
  o.image_size = static_cast<int>(config.get_int("data.image_size"));
  o.batch_size = static_cast<int>(config.get_int("train.batch_size"));
  return o;
}

// The threshold that maximises mean Dice on the run's validation split, with
// the same test-time augmentation as the eval itself.
double choose_threshold(LoadedRun& run, const std::string& tta, const std::string& store_root) {
  EvalData val = select_eval_data(run.config, run.info.id, "val", store_root);
  BatchLoader loader(*val.dataset, val.indices, eval_loader_options(run.config));
  ThresholdSearch search;
  loader.start_epoch(0);
  Batch batch;
  while (loader.next(batch)) {
    const Tensor probabilities = predict_with_tta(*run.network, batch.images, tta);
    const int64_t plane = batch.targets.dim(2) * batch.targets.dim(3);
    std::vector<uint8_t> target(static_cast<size_t>(plane));
    for (size_t i = 0; i < batch.indices.size(); ++i) {
      const float* t = batch.targets.data() + static_cast<int64_t>(i) * plane;
      for (int64_t p = 0; p < plane; ++p) target[p] = static_cast<uint8_t>(t[p]);
      search.add(probabilities.data() + static_cast<int64_t>(i) * plane, target.data(), target.size());
    }
  }
  return search.best();
}

}  // namespace

// Folder name: what was scored and how, defaults left out ("val-best",
// "val-best-tta_d4-largest+holes", "val-best-nsd2").
std::string eval_name(const EvalOptions& o, const std::string& label) {
  std::string name = label + "-" + o.checkpoint;
  if (!o.threshold.empty()) name += "-t" + o.threshold;
  if (o.tta != "none") name += "-tta_" + o.tta;
  if (o.postprocess.any()) name += "-" + o.postprocess.describe();
  if (o.resolution != "original") name += "-" + o.resolution + "_res";
  if (!o.backend.empty()) name += "-" + o.backend;
  if (!o.ensemble.empty()) name += "-ensemble" + std::to_string(o.ensemble.size() + 1);
  if (o.out_of_fold) name += "-oof";
  // Scoring settings: distinct settings, distinct folders and per-image scores.
  if (o.nsd_tolerance) name += "-nsd" + format_number(*o.nsd_tolerance);
  if (o.boundary_iou_dilation != kBoundaryIouDilationRatio) name += "-biou" + format_number(o.boundary_iou_dilation);
  if (o.pixel_spacing_mm > 0) name += "-px" + format_number(o.pixel_spacing_mm) + "mm";
  return name;
}

namespace {

// Moves the finished folder into place; an older eval of the same name is
// replaced only once the new one is complete.
void publish(const std::string& partial, const std::string& final_dir) {
  const std::string old = final_dir + ".old-" + std::to_string(getpid());
  std::error_code ec;
  if (fs::exists(final_dir)) fs::rename(final_dir, old);
  fs::rename(partial, final_dir, ec);
  if (ec) {
    if (fs::exists(old)) fs::rename(old, final_dir);
    throw StoreError("cannot move the eval results into place: " + ec.message(), final_dir);
  }
  fs::remove_all(old, ec);
}

// The eval's per-image scores (source "eval/<name>") and its files (tables,
// mask and overlay folders), so `runs show`, `runs export`, reports and the
// web UI find them through the catalog.
void record_in_catalog(RunStore& store, const EvalResult& result) {
  std::vector<ImageScore> scores;
  for (size_t i = 0; i < result.per_image.size(); ++i)
    for (const auto& [metric, value] : result.per_image[i])
      if (std::isfinite(value)) scores.push_back({result.ids[i], metric, value});
  store.catalog().set_image_scores(result.run_id, "eval/" + result.name, scores);

  const std::string relative = "eval/" + result.name;
  const std::string created = utc_now_iso();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(result.output_dir)) {
    const std::string name = entry.path().filename().string();
    Artifact a;
    a.created_at = created;
    if (entry.is_regular_file()) {
      a.path = relative + "/" + name;
      a.kind = "eval";
      a.bytes = static_cast<int64_t>(entry.file_size());
      a.sha256 = sha256_file(entry.path().string());
    } else if (entry.is_directory()) {
      // A folder (masks/, overlays/): its size, and a hash over its files' names and hashes.
      std::vector<fs::path> files;
      for (const auto& f : fs::directory_iterator(entry.path()))
        if (f.is_regular_file()) files.push_back(f.path());
      std::sort(files.begin(), files.end());
      std::string listing;
      for (const auto& f : files) {
        a.bytes += static_cast<int64_t>(fs::file_size(f, ec));
        listing += f.filename().string() + " " + sha256_file(f.string()) + "\n";
      }
      a.path = relative + "/" + name + "/";
      a.kind = "eval_" + name;
      a.sha256 = sha256_hex(listing);
    } else {
      continue;
    }
    store.catalog().add_artifact(result.run_id, a);
  }
}

}  // namespace

EvalResult evaluate_run(RunStore& store, const std::string& id, const EvalOptions& requested, std::ostream& out) {
  const auto start = Clock::now();
  EvalOptions options = requested;  // --out-of-fold fills in the threshold and post-processing
  if (options.out_of_fold && (!options.threshold.empty() || options.postprocess.any()))
    throw UsageError("--out-of-fold chooses the threshold and the post-processing itself", "--out-of-fold",
                     "drop --threshold, --keep-largest, --fill-holes and --min-area");
  tta_transforms(options.tta);  // validates the mode before anything is loaded
  if (options.resolution != "original" && options.resolution != "model")
    throw UsageError("unknown resolution '" + options.resolution + "'", "--resolution", "use original or model");
  if (options.postprocess.min_area < 0) throw UsageError("min area must be 0 or more", "--min-area");
  if (options.pixel_spacing_mm < 0) throw UsageError("pixel spacing must be positive", "--pixel-spacing-mm");
  if (options.nsd_tolerance && !(*options.nsd_tolerance >= 0 && std::isfinite(*options.nsd_tolerance)))
    throw UsageError("the NSD tolerance must be a number >= 0", "--nsd-tolerance",
                     "give tau in pixels (in mm for nsd_mm), e.g. 2");
  if (!(options.boundary_iou_dilation > 0 && options.boundary_iou_dilation <= 1))
    throw UsageError("the Boundary IoU dilation ratio must be in (0, 1]", "--boundary-iou-dilation",
                     "give the band width as a fraction of the image diagonal, e.g. 0.02 (the paper's)");
  double fixed_threshold = -1;
  if (!options.threshold.empty() && options.threshold != "val") {
    char* end = nullptr;
    fixed_threshold = std::strtod(options.threshold.c_str(), &end);
    if (end == options.threshold.c_str() || *end != '\0' || !(fixed_threshold >= 0 && fixed_threshold <= 1))
      throw UsageError("bad threshold '" + options.threshold + "'", "--threshold", "give a number in [0, 1] or val");
  }

  LoadedRun run = load_run(store, id, options.checkpoint, options.backend);
  const Config& config = run.config;
  const int num_classes = static_cast<int>(config.get_int("model.num_classes"));
  const bool binary = num_classes == 2;
  if (options.threshold == "val" && !binary)
    throw UsageError("a threshold is chosen for binary runs only; this run has " + std::to_string(num_classes) +
                         " classes and takes the arg-max",
                     "--threshold val");
  std::vector<LoadedRun> members =
      load_ensemble_members(store, run, options.ensemble, options.checkpoint, options.backend, options.data);
  EvalData data = select_eval_data(config, run.info.id, options.data, store.root());
  std::optional<OutOfFoldChoice> out_of_fold;
  if (options.out_of_fold) {
    std::vector<std::string> folds{run.info.id};
    for (const auto& member : members) folds.push_back(member.info.id);
    out_of_fold = choose_on_out_of_fold(store, folds, options.tta, options.checkpoint);
    options.postprocess = out_of_fold->postprocess;
  }

  EvalResult result;
  result.run_id = run.info.id;
  result.checkpoint_epoch = run.checkpoint_epoch;
  result.confusion = ConfusionMatrix(num_classes);
  result.threshold = out_of_fold                 ? out_of_fold->threshold
                     : options.threshold == "val" ? choose_threshold(run, options.tta, store.root())
                     : fixed_threshold >= 0     ? fixed_threshold
                                                : config.get_real("eval.threshold");
  result.name = eval_name(options, data.label);
  const std::string eval_root = store.run_dir(run.info.id) + "/eval";
  result.output_dir = eval_root + "/" + result.name;
  const std::string partial = eval_root + "/." + result.name + ".partial-" + std::to_string(getpid());
  fs::remove_all(partial);
  fs::create_directories(partial + "/masks");
  fs::create_directories(partial + "/overlays");

  result.options = {{"data", options.data},
                    {"checkpoint", options.checkpoint},
                    {"threshold", format_number(result.threshold)},
                    {"threshold_source", options.threshold == "val" ? "val" : fixed_threshold >= 0 ? "fixed" : "config"},
                    {"tta", options.tta},
                    {"postprocess", options.postprocess.describe()},
                    {"resolution", options.resolution},
                    {"pixel_spacing_mm", options.pixel_spacing_mm > 0 ? format_number(options.pixel_spacing_mm) : "adapter"},
                    {"skipped_samples", std::to_string(data.skipped.size())},
                    // What nsd and boundary_iou mean: tau (pixels for nsd, mm for nsd_mm) and d.
                    {"nsd_tolerance", options.nsd_tolerance ? format_number(*options.nsd_tolerance) : "none"},
                    {"boundary_iou_dilation", format_number(options.boundary_iou_dilation)}};
  if (!options.backend.empty()) result.options["backend"] = config.get_text("backend.name");  // as run
  if (!members.empty()) {
    std::vector<std::string> ids{run.info.id};
    for (const auto& member : members) ids.push_back(member.info.id);
    result.options["ensemble"] = join(ids, ",");
  }
  if (out_of_fold) {
    result.options["threshold_source"] = "out_of_fold";
    result.options["postprocess_source"] = "out_of_fold";
    result.options["out_of_fold_runs"] = join(out_of_fold->run_ids, ",");
    result.options["out_of_fold_images"] = std::to_string(out_of_fold->predictions);
    result.options["out_of_fold_dice"] = format_number(out_of_fold->mean_dice);
  }
  result.skipped = data.skipped;

  try {
    BatchLoader loader(*data.dataset, data.indices, eval_loader_options(config));
    const int size = static_cast<int>(config.get_int("data.image_size"));
    loader.start_epoch(0);
    Batch batch;
    while (loader.next(batch)) {
      const Tensor probabilities = predict_ensemble(run, members, batch.images, options.tta);
      for (size_t i = 0; i < batch.indices.size(); ++i) {
        const size_t index = batch.indices[i];
        const LoadedSample sample = data.dataset->load(index);
        Tensor p = probabilities.slice0(static_cast<int64_t>(i));
        cv::Mat target, image;
        if (options.resolution == "original") {
          // Probabilities are resized before thresholding, as `seglab predict` does.
          p = resize_probabilities(p, sample.image.cols, sample.image.rows);
          target = sample.mask;
          image = sample.image;
        } else {
          const Tensor t = batch.targets.slice0(static_cast<int64_t>(i));
          target = cv::Mat(size, size, CV_8U);
          for (int64_t k = 0; k < t.numel(); ++k) target.data[k] = static_cast<uchar>(t[k]);
          image = resize_image(sample.image, size, size);
        }
        cv::Mat predicted = probabilities_to_mask(p, result.threshold);
        postprocess_mask(predicted, num_classes, options.postprocess);

        ConfusionMatrix matrix(num_classes);
        matrix.add(predicted.data, target.data, predicted.total());
        result.confusion.merge(matrix);
        Scores scores = image_scores(matrix);
        auto [row_mm, col_mm] = data.dataset->pixel_spacing_mm(index);
        if (options.pixel_spacing_mm > 0) row_mm = col_mm = options.pixel_spacing_mm;
        PixelSpacing spacing{row_mm, col_mm};
        if (options.resolution == "model") {  // a model pixel covers several original pixels
          spacing.row *= static_cast<double>(sample.image.rows) / size;
          spacing.col *= static_cast<double>(sample.image.cols) / size;
        }
        BoundaryOptions boundary;
        if (row_mm > 0 && col_mm > 0) boundary.spacing_mm = spacing;
        boundary.nsd_tolerance = options.nsd_tolerance;
        boundary.boundary_iou_dilation = options.boundary_iou_dilation;
        for (const auto& [key, value] :
             boundary_scores(predicted.data, target.data, predicted.rows, predicted.cols, num_classes, boundary))
          scores[key] = value;
        result.ids.push_back(data.dataset->id(index));
        result.per_image.push_back(std::move(scores));
        if (options.save_masks) {
          // Binary masks are written 0/255 so they can be viewed as they are.
          write_png(partial + "/masks/" + result.ids.back() + ".png", binary ? predicted * 255 : predicted);
          write_png(partial + "/overlays/" + result.ids.back() + ".png", overlay_mask(image, predicted));
        }
      }
    }
    result.images = result.per_image.size();
    result.mean = aggregate(result.per_image);
    result.pooled = image_scores(result.confusion);
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();

    EvalRecord record;
    record.run_id = run.info.id;
    record.name = result.name;
    record.created_at = utc_now_iso();
    record.images = static_cast<int64_t>(result.images);
    record.options = result.options;
    for (const auto& [name, a] : result.mean)
      record.metrics[name] = {a.mean, a.std, result.pooled.count(name) ? result.pooled.at(name) : NAN};
    result.eval_id = store.catalog().add_eval(record);
    write_eval_tables(result, partial);
    if (options.figures) write_eval_figures(result, data.dataset->class_names(), partial);
    publish(partial, result.output_dir);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(partial, ec);
    throw;
  }
  record_in_catalog(store, result);

  // The plain eval also keeps its headline figures as metric points, as `runs list` reads them.
  if (result.name == data.label + "-" + options.checkpoint) {
    std::vector<MetricPoint> points;
    const double now = unix_time_now();
    for (const auto& [name, a] : result.mean)
      points.push_back({"eval." + data.label + "." + name, run.checkpoint_step, run.checkpoint_epoch, a.mean, now});
    store.catalog().log_metrics(run.info.id, points);
  }

  TextTable table({"metric", "mean", "std", "pooled"});
  for (const auto& [name, a] : result.mean)
    table.add_row({name, format_metric(a.mean), format_metric(a.std),
                   format_metric(result.pooled.count(name) ? result.pooled.at(name) : NAN)});
  out << "run " << run.info.id << ", " << options.checkpoint << " checkpoint (epoch " << run.checkpoint_epoch << "), "
      << data.description << ": " << result.images << " images\n";
  if (!members.empty())
    out << "ensemble of " << members.size() + 1 << " runs (" << result.options.at("ensemble")
        << "), probabilities averaged\n";
  if (out_of_fold)
    out << "threshold and post-processing chosen on " << out_of_fold->predictions << " pooled out-of-fold predictions "
        << "of " << out_of_fold->run_ids.size() << " folds (mean Dice " << format_metric(out_of_fold->mean_dice) << ")\n";
  if (!data.skipped.empty()) {
    out << "skipped " << data.skipped.size() << " bad sample" << (data.skipped.size() > 1 ? "s" : "")
        << " (data.on_bad_sample = skip; listed in skipped.csv):\n";
    for (const auto& bad : data.skipped) out << "  " << bad.path << ": " << bad.problem << "\n";
  }
  out
      << "threshold " << format_number(result.threshold) << " (" << result.options.at("threshold_source")
      << "), tta " << options.tta << ", post-processing " << options.postprocess.describe() << ", scored at "
      << (options.resolution == "original" ? "original resolution" : "model resolution") << "\n"
      << "mean and std over images; pooled over all pixels; isic_jaccard counts IoU < 0.65 as 0; hd95, assd in pixels"
      << (result.mean.count("hd95_mm") ? " (and mm)" : "") << "\n"
      << "boundary_iou: band width " << format_number(options.boundary_iou_dilation) << " of the image diagonal"
      << (options.nsd_tolerance ? "; nsd: surface within " + format_number(*options.nsd_tolerance) + " px" +
                                      (result.mean.count("nsd_mm") ? " (nsd_mm: " + format_number(*options.nsd_tolerance) + " mm)" : "")
                                : std::string())
      << "\n"
      << table.render();
  // Per-class rows are numbered; name the classes where the data does (LabelMe).
  const std::vector<std::string> class_names = data.dataset->class_names();
  if (num_classes > 2 && static_cast<int>(class_names.size()) == num_classes) {
    std::vector<std::string> legend;
    for (size_t k = 0; k < class_names.size(); ++k) legend.push_back(std::to_string(k) + " " + class_names[k]);
    out << "iou_class<k>: " << join(legend, ", ") << "\n";
  }
  out << "eval " << result.eval_id << " took " << format_duration(result.seconds) << "; wrote "
      << result.output_dir << "/{per_image.csv,summary.csv,summary.json,confusion_matrix.csv,per_class.csv"
      << (result.skipped.empty() ? "" : ",skipped.csv")
      << (options.figures ? ",class_metrics.*,confusion_matrix.*,dice_distribution.*" : "")
      << (options.save_masks ? ",masks/,overlays/" : "") << "}\n";
  return result;
}

}  // namespace seglab
