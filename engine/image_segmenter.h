#pragma once
// Segmenting one image with a recorded run, as `seglab predict` and
// `seglab serve` do: resize to the run's image size, predict, resize the
// probabilities back to the image, then threshold (binary) or arg-max.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "datasets/dataset_adapter.h"
#include "engine/run_loader.h"
#include "reports/web/web_hooks.h"

namespace seglab {

struct ImageSegmentation {
  Tensor probabilities;  // K x H x W at the image's resolution
  cv::Mat mask;          // CV_8U class indices
  double threshold = 0.5;
};

// `threshold` < 0: the run's eval.threshold.
ImageSegmentation segment_image(LoadedRun& run, const cv::Mat& rgb, double threshold);

// The engine's side of the web server's hooks: predictions and dataset
// samples for any run of a store, keeping the last few runs loaded (network
// compiled, best checkpoint's weights in place) so repeated requests skip the
// load. Thread safety: predictions are serialized by one lock, dataset reads
// by another, so reading a sample does not wait for a prediction.
class StoreSegmenter {
 public:
  StoreSegmenter(std::string store_root, size_t runs_kept = 2);

  Prediction predict(const PredictionRequest& request);
  std::vector<std::string> sample_ids(const std::string& run_id);
  cv::Mat sample_image(const std::string& run_id, size_t index);

  // Hooks for WebServer that call this object (which must outlive the server).
  WebHooks hooks();

 private:
  LoadedRun& loaded(const std::string& run_id);
  DatasetAdapter& dataset(const std::string& run_id);

  std::string root_;
  size_t runs_kept_;
  std::mutex runs_mutex_;
  std::unique_ptr<RunStore> runs_store_;  // one catalog connection per lock
  std::vector<std::pair<std::string, std::unique_ptr<LoadedRun>>> runs_;  // most recent last
  std::mutex datasets_mutex_;
  std::unique_ptr<RunStore> datasets_store_;
  std::map<std::string, std::unique_ptr<DatasetAdapter>> datasets_;
};

}  // namespace seglab
