#pragma once
// Runs a network over every batch of a loader and scores each image against
// its mask. Shared by the trainer's per-epoch validation and `seglab eval`.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "backends/backend.h"
#include "core/segmentation_metrics.h"
#include "datasets/batch_loader.h"

namespace seglab {

struct ValidationResult {
  std::vector<std::string> ids;          // per image, in loader order
  std::vector<Scores> per_image;         // per image
  std::map<std::string, Aggregate> mean; // over images
  Scores pooled;                         // from the summed confusion matrix
  std::vector<std::vector<int64_t>> confusion;  // summed pixel counts [true][predicted]
  size_t images = 0;
};

// `on_mask(id, predicted class mask)` is called per image when given.
ValidationResult validate(Network& network, BatchLoader& loader, const DatasetAdapter& dataset, int64_t num_classes,
                          double threshold,
                          const std::function<void(const std::string&, const cv::Mat&)>& on_mask = {});

}  // namespace seglab
