#include "engine/out_of_fold_choice.h"

#include <cmath>
#include <map>

#include "core/confusion_matrix.h"
#include "core/error.h"
#include "core/segmentation_metrics.h"
#include "datasets/batch_loader.h"
#include "datasets/dataset_adapter.h"
#include "engine/run_loader.h"
#include "engine/test_time_augmentation.h"
#include "engine/threshold_search.h"
#include "tracking/out_of_fold.h"

namespace seglab {
namespace {

// One out-of-fold image at the model's resolution.
struct Prediction {
  int rows = 0, cols = 0;
  std::vector<float> probability;  // of lesion, per pixel
  std::vector<uint8_t> target;     // 0/1, 255 ignored
};

std::vector<size_t> indices_of(const DatasetAdapter& dataset, const std::vector<std::string>& ids, const std::string& run) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < dataset.size(); ++i) index[dataset.id(i)] = i;
  std::vector<size_t> out;
  for (const auto& id : ids) {
    const auto found = index.find(id);
    if (found == index.end())
      throw DataError("run " + run + " held out image " + id + ", which its data no longer has", dataset.describe(),
                      "the data changed since the run; compare data.fingerprint in its record");
    out.push_back(found->second);
  }
  return out;
}

// The fold's checkpoint on the images it held out.
void predict_fold(RunStore& store, const FoldRun& fold, const std::string& tta, const std::string& checkpoint,
                  ThresholdSearch& search, std::vector<Prediction>& predictions) {
  LoadedRun run = load_run(store, fold.run_id, checkpoint);
  if (run.config.get_int("model.num_classes") != 2)
    throw UsageError("a threshold is chosen for binary runs only; run " + fold.run_id + " has " +
                         std::to_string(run.config.get_int("model.num_classes")) + " classes",
                     "--out-of-fold");
  const auto dataset = make_adapter(run.config);
  LoaderOptions options;
  options.image_size = static_cast<int>(run.config.get_int("data.image_size"));
  options.batch_size = static_cast<int>(run.config.get_int("train.batch_size"));
  BatchLoader loader(*dataset, indices_of(*dataset, fold.val_ids, fold.run_id), options);
  loader.start_epoch(0);
  Batch batch;
  while (loader.next(batch)) {
    const Tensor probabilities = predict_with_tta(*run.network, batch.images, tta);
    const int rows = static_cast<int>(batch.targets.dim(2)), cols = static_cast<int>(batch.targets.dim(3));
    const int64_t plane = static_cast<int64_t>(rows) * cols;
    for (size_t i = 0; i < batch.indices.size(); ++i) {
      Prediction p;
      p.rows = rows;
      p.cols = cols;
      const float* probability = probabilities.data() + static_cast<int64_t>(i) * plane;
      const float* target = batch.targets.data() + static_cast<int64_t>(i) * plane;
      p.probability.assign(probability, probability + plane);
      for (int64_t k = 0; k < plane; ++k) p.target.push_back(static_cast<uint8_t>(target[k]));
      search.add(p.probability.data(), p.target.data(), p.target.size());
      predictions.push_back(std::move(p));
    }
  }
}

double dice_of(const Prediction& p, double threshold, const PostprocessOptions& postprocess) {
  cv::Mat mask(p.rows, p.cols, CV_8U);
  for (size_t k = 0; k < p.probability.size(); ++k) mask.data[k] = p.probability[k] > threshold ? 1 : 0;
  postprocess_mask(mask, 2, postprocess);
  ConfusionMatrix matrix(2);
  matrix.add(mask.data, p.target.data(), p.target.size());
  return image_scores(matrix).at("dice");
}

}  // namespace

OutOfFoldChoice choose_on_out_of_fold(RunStore& store, const std::vector<std::string>& run_ids, const std::string& tta,
                                      const std::string& checkpoint) {
  const OutOfFoldScores folds = pooled_out_of_fold_scores(store.catalog(), run_ids);
  OutOfFoldChoice choice;
  choice.tta = tta;
  ThresholdSearch search;
  std::vector<Prediction> predictions;
  for (const FoldRun& fold : folds.runs) {
    choice.run_ids.push_back(fold.run_id);
    predict_fold(store, fold, tta, checkpoint, search, predictions);
  }
  choice.predictions = predictions.size();
  choice.threshold = search.best();

  // Simplest first, so a tie keeps the simpler one.
  const std::pair<bool, bool> candidates[] = {{false, false}, {true, false}, {false, true}, {true, true}};
  double best_sum = -1;
  const double tolerance = 1e-9 * static_cast<double>(predictions.size());
  for (const auto& [largest, holes] : candidates) {
    PostprocessOptions options;
    options.keep_largest = largest;
    options.fill_holes = holes;
    double sum = 0;
    for (const auto& p : predictions) sum += dice_of(p, choice.threshold, options);
    choice.postprocess_dice[options.describe()] = sum / static_cast<double>(predictions.size());
    if (sum > best_sum + tolerance) {
      best_sum = sum;
      choice.postprocess = options;
    }
  }
  choice.mean_dice = choice.postprocess_dice.at(choice.postprocess.describe());
  return choice;
}

}  // namespace seglab
