#include "engine/evaluator.h"

#include <filesystem>
#include <sstream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/text.h"
#include "datasets/dataset_adapter.h"
#include "datasets/image_io.h"
#include "datasets/split.h"
#include "engine/run_loader.h"
#include "reports/text_table.h"

namespace seglab {

EvalResult evaluate_run(RunStore& store, const std::string& id, const EvalOptions& options, std::ostream& out) {
  if (options.data != "val" && options.data != "train" && options.data != "all")
    throw UsageError("unknown data selection '" + options.data + "'", "--data", "use val, train or all");
  LoadedRun run = load_run(store, id, options.checkpoint);
  const Config& config = run.config;
  auto dataset = make_adapter(config);
  const Split split = split_by_ratio(dataset->size(), config.get_real("data.val_ratio"),
                                     static_cast<uint64_t>(config.get_int("data.split_seed")));
  std::vector<size_t> indices = options.data == "val" ? split.val : options.data == "train" ? split.train : std::vector<size_t>{};
  if (options.data == "all")
    for (size_t i = 0; i < dataset->size(); ++i) indices.push_back(i);
  if (indices.empty())
    throw DataError("the " + options.data + " split of this run is empty", "run " + run.info.id,
                    "use --data train or --data all");

  LoaderOptions loader_options;
  loader_options.image_size = static_cast<int>(config.get_int("data.image_size"));
  loader_options.batch_size = static_cast<int>(config.get_int("train.batch_size"));
  BatchLoader loader(*dataset, indices, loader_options);

  EvalResult result;
  result.run_id = run.info.id;
  result.output_dir = store.run_dir(run.info.id) + "/eval/" + options.data + "-" + options.checkpoint;
  const std::string masks_dir = result.output_dir + "/masks";
  std::filesystem::create_directories(masks_dir);
  const int64_t num_classes = config.get_int("model.num_classes");
  const bool binary = num_classes == 2;
  result.scores = validate(*run.network, loader, *dataset, num_classes, config.get_real("eval.threshold"),
                           [&](const std::string& sample_id, const cv::Mat& mask) {
                             if (!options.save_masks) return;
                             // Binary masks are written 0/255 so they can be viewed as they are.
                             write_png(masks_dir + "/" + sample_id + ".png", binary ? mask * 255 : mask);
                           });

  const auto& scores = result.scores;
  std::vector<std::string> names;
  for (const auto& [name, aggregate] : scores.mean) names.push_back(name);
  std::ostringstream csv;
  csv << "id," << join(names, ",") << "\n";
  for (size_t i = 0; i < scores.ids.size(); ++i) {
    csv << scores.ids[i];
    for (const auto& name : names) csv << "," << format_number(scores.per_image[i].at(name));
    csv << "\n";
  }
  write_file_atomically(result.output_dir + "/per_image.csv", csv.str());

  std::ostringstream summary;
  summary << "metric,mean,std,pooled\n";
  TextTable table({"metric", "mean", "std", "pooled"});
  std::vector<MetricPoint> points;
  const double now = unix_time_now();
  for (const auto& name : names) {
    const auto& a = scores.mean.at(name);
    const double pooled = scores.pooled.count(name) ? scores.pooled.at(name) : NAN;
    summary << name << "," << format_number(a.mean) << "," << format_number(a.std) << "," << format_number(pooled) << "\n";
    table.add_row({name, format_metric(a.mean), format_metric(a.std), format_metric(pooled)});
    points.push_back({"eval." + options.data + "." + name, run.checkpoint_step, run.checkpoint_epoch, a.mean, now});
  }
  write_file_atomically(result.output_dir + "/summary.csv", summary.str());
  store.catalog().log_metrics(run.info.id, points);

  out << "run " << run.info.id << ", " << options.checkpoint << " checkpoint (epoch " << run.checkpoint_epoch
      << "), " << options.data << " split: " << scores.images << " images\n"
      << "mean and std over images; pooled over all pixels; isic_jaccard counts IoU < 0.65 as 0\n"
      << table.render();
  // Per-class IoU rows are numbered; name the classes where the data does (LabelMe).
  const std::vector<std::string> class_names = dataset->class_names();
  if (num_classes > 2 && static_cast<int64_t>(class_names.size()) == num_classes) {
    std::vector<std::string> legend;
    for (size_t k = 0; k < class_names.size(); ++k) legend.push_back(std::to_string(k) + " " + class_names[k]);
    out << "iou_class<k>: " << join(legend, ", ") << "\n";
  }
  out << "wrote " << result.output_dir << "/{per_image.csv,summary.csv,masks/}\n";
  return result;
}

}  // namespace seglab
