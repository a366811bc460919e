#pragma once
// What the web server needs from the layers above it, injected as functions by
// `seglab serve` (engine/cli/serve_command.cpp): the server segments images and
// reads a run's dataset without linking the engine, the models or a backend.
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace seglab {

struct PredictionRequest {
  std::string run_id;  // a full id the catalog knows
  cv::Mat rgb;         // the decoded upload, 8-bit RGB
  double threshold = -1;  // lesion probability threshold; < 0: the run's eval.threshold
};

struct Prediction {
  cv::Mat mask;                // CV_8U class indices at the image's resolution
  cv::Mat lesion_probability;  // CV_32F in [0, 1]: P(not background), same size
  double threshold = 0.5;      // the threshold used
  int num_classes = 2;
};

// Runs on the server's prediction workers, never on a request thread. Throws
// seglab::Error (a run without checkpoint, a model that cannot be built).
using PredictFunction = std::function<Prediction(const PredictionRequest&)>;
// The sample ids of a run's dataset, in index order.
using SampleListFunction = std::function<std::vector<std::string>(const std::string& run_id)>;
// One sample image of a run's dataset, 8-bit RGB.
using SampleImageFunction = std::function<cv::Mat(const std::string& run_id, size_t index)>;

struct WebHooks {
  PredictFunction predict;             // required for /api/predict
  SampleListFunction list_samples;     // optional: the segment page's "from the dataset"
  SampleImageFunction sample_image;
};

}  // namespace seglab
