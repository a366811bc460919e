#include "datasets/sample_source.h"

#include "datasets/preprocess.h"

namespace seglab {

LoadedSample load_resized(const DatasetAdapter& dataset, size_t index, int image_size) {
  LoadedSample sample = dataset.load(index);
  sample.image = resize_image(sample.image, image_size, image_size);
  sample.mask = resize_mask(sample.mask, image_size, image_size);
  return sample;
}

DecodingSource::DecodingSource(const DatasetAdapter& dataset, int image_size, bool keep)
    : dataset_(dataset), image_size_(image_size), keep_(keep) {
  if (keep_) {
    kept_.resize(dataset.size());
    for (size_t i = 0; i < dataset.size(); ++i) locks_.push_back(std::make_unique<std::mutex>());
  }
}

LoadedSample DecodingSource::get(size_t index) const {
  if (!keep_) return load_resized(dataset_, index, image_size_);
  std::lock_guard<std::mutex> lock(*locks_.at(index));
  if (kept_[index].image.empty()) kept_[index] = load_resized(dataset_, index, image_size_);
  return kept_[index];
}

}  // namespace seglab
