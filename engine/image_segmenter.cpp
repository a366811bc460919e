#include "engine/image_segmenter.h"

#include <algorithm>

#include "core/error.h"
#include "datasets/augmentation.h"
#include "datasets/preprocess.h"
#include "engine/segmentation_output.h"

namespace seglab {

ImageSegmentation segment_image(LoadedRun& run, const cv::Mat& rgb, double threshold) {
  const int size = static_cast<int>(run.config.get_int("data.image_size"));
  ImageSegmentation out;
  out.threshold = threshold >= 0 ? threshold : run.config.get_real("eval.threshold");
  const Tensor batch = images_to_tensor({resize_image(rgb, size, size)}, normalization_from_config(run.config));
  // Probabilities are resized back before thresholding, so the mask's edge is
  // as smooth as the image's resolution allows.
  out.probabilities = resize_probabilities(run.network->predict(batch).slice0(0), rgb.cols, rgb.rows);
  out.mask = probabilities_to_mask(out.probabilities, out.threshold);
  return out;
}

StoreSegmenter::StoreSegmenter(std::string store_root, size_t runs_kept)
    : root_(std::move(store_root)), runs_kept_(std::max<size_t>(1, runs_kept)) {}

LoadedRun& StoreSegmenter::loaded(const std::string& run_id) {
  for (auto it = runs_.begin(); it != runs_.end(); ++it)
    if (it->first == run_id) {
      std::rotate(it, it + 1, runs_.end());
      return *runs_.back().second;
    }
  if (!runs_store_) runs_store_ = std::make_unique<RunStore>(root_);
  auto run = std::make_unique<LoadedRun>(load_run(*runs_store_, run_id, "best"));
  if (runs_.size() >= runs_kept_) runs_.erase(runs_.begin());
  runs_.emplace_back(run_id, std::move(run));
  return *runs_.back().second;
}

DatasetAdapter& StoreSegmenter::dataset(const std::string& run_id) {
  auto& slot = datasets_[run_id];
  if (!datasets_store_) datasets_store_ = std::make_unique<RunStore>(root_);
  if (!slot) slot = make_adapter(recorded_config(*datasets_store_, run_id));
  return *slot;
}

Prediction StoreSegmenter::predict(const PredictionRequest& request) {
  std::lock_guard<std::mutex> lock(runs_mutex_);
  LoadedRun& run = loaded(request.run_id);
  const ImageSegmentation s = segment_image(run, request.rgb, request.threshold);
  Prediction p;
  p.mask = s.mask;
  p.threshold = s.threshold;
  p.num_classes = static_cast<int>(run.config.get_int("model.num_classes"));
  // The lesion probability: the sigmoid channel of a binary run, otherwise
  // one minus the background's probability.
  const int k = static_cast<int>(s.probabilities.dim(0));
  const cv::Mat first(request.rgb.rows, request.rgb.cols, CV_32F, const_cast<float*>(s.probabilities.data()));
  p.lesion_probability = k == 1 ? first.clone() : cv::Mat(1.0 - first);
  return p;
}

std::vector<std::string> StoreSegmenter::sample_ids(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(datasets_mutex_);
  DatasetAdapter& data = dataset(run_id);
  std::vector<std::string> ids;
  for (size_t i = 0; i < data.size(); ++i) ids.push_back(data.id(i));
  return ids;
}

cv::Mat StoreSegmenter::sample_image(const std::string& run_id, size_t index) {
  std::lock_guard<std::mutex> lock(datasets_mutex_);
  DatasetAdapter& data = dataset(run_id);
  if (index >= data.size()) throw DataError("no sample " + std::to_string(index), "run " + run_id);
  return data.load(index).image;
}

WebHooks StoreSegmenter::hooks() {
  WebHooks h;
  h.predict = [this](const PredictionRequest& r) { return predict(r); };
  h.list_samples = [this](const std::string& id) { return sample_ids(id); };
  h.sample_image = [this](const std::string& id, size_t index) { return sample_image(id, index); };
  return h;
}

}  // namespace seglab
