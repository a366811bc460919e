#pragma once
// Batches of resized, augmented samples for the trainer and evaluator, built
// on worker threads ahead of the consumer (a bounded queue of batches).
// Batch b of an epoch is a pure function of (seed, epoch, b): the order comes
// from the seed and epoch, each sample's augmentation from (seed, epoch,
// sample index), so the batches are the same whatever the number of workers.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/tensor.h"
#include "datasets/augmentation.h"
#include "datasets/dataset_adapter.h"
#include "datasets/preprocess.h"
#include "datasets/sample_source.h"

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
  Normalization normalization;  // ImageNet's unless the pipeline sets another
  uint64_t seed = 0;
  int workers = 0;           // 0: batches are built inside next() on the caller's thread
  int queue_batches = 0;     // batches built ahead at most; 0: 2 per worker
};

class BatchLoader {
 public:
  // Decodes from the adapter on first use and keeps resized samples in memory.
  BatchLoader(const DatasetAdapter& dataset, std::vector<size_t> indices, LoaderOptions options);
  // Takes samples from `source` (already resized to options.image_size).
  BatchLoader(std::shared_ptr<const SampleSource> source, std::vector<size_t> indices, LoaderOptions options);
  ~BatchLoader();
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  size_t batches_per_epoch() const;
  size_t sample_count() const { return indices_.size(); }
  // Starts (or restarts) an epoch; workers begin building its batches at once.
  void start_epoch(int epoch);
  // Fills `batch`; false when the epoch is over. Rethrows a worker's error.
  bool next(Batch& batch);

 private:
  void build(size_t batch_number, Batch& batch) const;
  void work(int generation);
  void stop_workers();

  std::shared_ptr<const SampleSource> source_;
  std::vector<size_t> indices_;
  LoaderOptions options_;
  std::vector<size_t> order_;
  int epoch_ = 0;
  size_t consumed_ = 0;  // batches handed out this epoch

  // Shared with the workers, under mutex_.
  std::mutex mutex_;
  std::condition_variable changed_;
  int generation_ = 0;  // bumped per epoch; a worker of an older one stops
  bool stopping_ = false;
  size_t next_to_build_ = 0;
  struct Slot {
    Batch batch;
    std::exception_ptr error;
  };
  std::map<size_t, Slot> ready_;
  std::vector<std::thread> workers_;
};

// The random stream of one sample in one epoch, shared by the loader and
// `seglab data preview` so both show the same augmentations.
Rng sample_rng(uint64_t seed, int epoch, size_t dataset_index);
// Applies a pipeline; step i draws from rng.fork(i) only, so whether or how an
// earlier step fires never changes what a later one does.
void apply_augmentations(const std::vector<Augmentation>& pipeline, cv::Mat& image, cv::Mat& mask, const Rng& rng);

}  // namespace seglab
