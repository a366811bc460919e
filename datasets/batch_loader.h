#pragma once
// Batches of resized, augmented samples for the trainer and evaluator. Order
// and augmentation come from the seed and epoch only, so a run is repeatable
// sample by sample.
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "datasets/augmentation.h"
#include "datasets/dataset_adapter.h"

namespace seglab {

struct Batch {
  Tensor images;   // N x 3 x S x S, normalised
  Tensor targets;  // N x 1 x S x S, class indices (255 = ignore)
  std::vector<size_t> indices;  // dataset indices of the samples
};

struct LoaderOptions {
  int image_size = 256;
  int batch_size = 8;
  bool shuffle = false;
  bool drop_last = false;  // drop a last, smaller batch
  std::vector<Augmentation> augmentations;
  uint64_t seed = 0;
};

class BatchLoader {
 public:
  BatchLoader(const DatasetAdapter& dataset, std::vector<size_t> indices, LoaderOptions options);

  size_t batches_per_epoch() const;
  size_t sample_count() const { return indices_.size(); }
  void start_epoch(int epoch);
  // Fills `batch`; false when the epoch is over.
  bool next(Batch& batch);

 private:
  // Decoded and resized once, then kept in memory: decoding dominates otherwise.
  const LoadedSample& resized(size_t dataset_index);

  const DatasetAdapter& dataset_;
  std::vector<size_t> indices_;
  LoaderOptions options_;
  std::vector<size_t> order_;
  size_t position_ = 0;
  int epoch_ = 0;
  std::vector<LoadedSample> cache_;
  std::vector<bool> cached_;
};

}  // namespace seglab
