#include "datasets/batch_loader.h"

#include <algorithm>

#include "core/error.h"
#include "core/rng.h"
#include "datasets/preprocess.h"

namespace seglab {

BatchLoader::BatchLoader(const DatasetAdapter& dataset, std::vector<size_t> indices, LoaderOptions options)
    : dataset_(dataset), indices_(std::move(indices)), options_(std::move(options)) {
  if (options_.batch_size < 1) throw ConfigError("batch size must be at least 1", "train.batch_size");
  cache_.resize(dataset_.size());
  cached_.assign(dataset_.size(), false);
  start_epoch(0);
}

size_t BatchLoader::batches_per_epoch() const {
  const size_t n = indices_.size(), b = static_cast<size_t>(options_.batch_size);
  if (options_.drop_last && n >= b) return n / b;
  return (n + b - 1) / b;
}

void BatchLoader::start_epoch(int epoch) {
  epoch_ = epoch;
  position_ = 0;
  order_ = indices_;
  if (options_.shuffle) {
    Rng rng = Rng(options_.seed).fork("shuffle").fork(static_cast<uint64_t>(epoch));
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[rng.uniform_int(i)]);
  }
}

const LoadedSample& BatchLoader::resized(size_t dataset_index) {
  if (!cached_[dataset_index]) {
    LoadedSample sample = dataset_.load(dataset_index);
    const int s = options_.image_size;
    sample.image = resize_image(sample.image, s, s);
    sample.mask = resize_mask(sample.mask, s, s);
    cache_[dataset_index] = std::move(sample);
    cached_[dataset_index] = true;
  }
  return cache_[dataset_index];
}

bool BatchLoader::next(Batch& batch) {
  const size_t b = static_cast<size_t>(options_.batch_size);
  const size_t remaining = order_.size() - std::min(position_, order_.size());
  if (remaining == 0 || (options_.drop_last && order_.size() >= b && remaining < b)) return false;
  const size_t count = std::min(b, remaining);
  const int s = options_.image_size;
  batch.images = Tensor({static_cast<int64_t>(count), 3, s, s});
  batch.targets = Tensor({static_cast<int64_t>(count), 1, s, s});
  batch.indices.assign(order_.begin() + static_cast<long>(position_),
                       order_.begin() + static_cast<long>(position_ + count));
  const Rng epoch_rng = Rng(options_.seed).fork("augment").fork(static_cast<uint64_t>(epoch_));
  for (size_t i = 0; i < count; ++i) {
    const size_t index = batch.indices[i];
    const LoadedSample& sample = resized(index);
    cv::Mat image = sample.image, mask = sample.mask;
    if (!options_.augmentations.empty()) {
      image = image.clone();
      mask = mask.clone();
      Rng rng = epoch_rng.fork(static_cast<uint64_t>(index));
      for (const auto& augment : options_.augmentations) augment(image, mask, rng);
    }
    pack_image(image, batch.images.data() + i * 3 * s * s);
    pack_mask(mask, batch.targets.data() + i * s * s);
  }
  position_ += count;
  return true;
}

}  // namespace seglab
