#include "datasets/batch_loader.h"

#include <algorithm>

#include "core/error.h"
#include "core/rng.h"

namespace seglab {

Rng sample_rng(uint64_t seed, int epoch, size_t dataset_index) {
  return Rng(seed).fork("augment").fork(static_cast<uint64_t>(epoch)).fork(static_cast<uint64_t>(dataset_index));
}

void apply_augmentations(const std::vector<Augmentation>& pipeline, cv::Mat& image, cv::Mat& mask, const Rng& rng) {
  for (size_t step = 0; step < pipeline.size(); ++step) {
    Rng step_rng = rng.fork(static_cast<uint64_t>(step));
    pipeline[step](image, mask, step_rng);
  }
}

BatchLoader::BatchLoader(const DatasetAdapter& dataset, std::vector<size_t> indices, LoaderOptions options)
    : BatchLoader(std::make_shared<DecodingSource>(dataset, options.image_size, true), std::move(indices),
                  std::move(options)) {}

BatchLoader::BatchLoader(std::shared_ptr<const SampleSource> source, std::vector<size_t> indices, LoaderOptions options)
    : source_(std::move(source)), indices_(std::move(indices)), options_(std::move(options)) {
  if (options_.batch_size < 1) throw ConfigError("batch size must be at least 1", "train.batch_size");
  if (options_.workers < 0) throw ConfigError("the number of workers cannot be negative", "data.workers");
  start_epoch(0);
}

BatchLoader::~BatchLoader() { stop_workers(); }

size_t BatchLoader::batches_per_epoch() const {
  const size_t n = indices_.size(), b = static_cast<size_t>(options_.batch_size);
  if (options_.drop_last && n >= b) return n / b;
  return (n + b - 1) / b;
}

void BatchLoader::stop_workers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
  std::lock_guard<std::mutex> lock(mutex_);
  stopping_ = false;
  ready_.clear();
}

void BatchLoader::start_epoch(int epoch) {
  stop_workers();
  epoch_ = epoch;
  consumed_ = 0;
  order_ = indices_;
  if (options_.shuffle) {
    Rng rng = Rng(options_.seed).fork("shuffle").fork(static_cast<uint64_t>(epoch));
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[rng.uniform_int(i)]);
  }
  int generation;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation = ++generation_;
    next_to_build_ = 0;
  }
  for (int w = 0; w < options_.workers; ++w) workers_.emplace_back(&BatchLoader::work, this, generation);
}

void BatchLoader::build(size_t batch_number, Batch& batch) const {
  const size_t b = static_cast<size_t>(options_.batch_size);
  const size_t begin = batch_number * b;
  const size_t count = std::min(b, order_.size() - begin);
  const int s = options_.image_size;
  batch.images = Tensor({static_cast<int64_t>(count), 3, s, s});
  batch.targets = Tensor({static_cast<int64_t>(count), 1, s, s});
  batch.indices.assign(order_.begin() + static_cast<long>(begin), order_.begin() + static_cast<long>(begin + count));
  for (size_t i = 0; i < count; ++i) {
    const size_t index = batch.indices[i];
    const LoadedSample sample = source_->get(index);
    if (sample.image.rows != s || sample.image.cols != s)
      throw DataError("sample arrived at " + std::to_string(sample.image.cols) + "x" + std::to_string(sample.image.rows) +
                          " instead of " + std::to_string(s) + "x" + std::to_string(s),
                      sample.id);
    cv::Mat image = sample.image, mask = sample.mask;
    if (!options_.augmentations.empty()) {
      image = image.clone();
      mask = mask.clone();
      apply_augmentations(options_.augmentations, image, mask, sample_rng(options_.seed, epoch_, index));
    }
    pack_image(image, batch.images.data() + i * 3 * s * s, options_.normalization);
    pack_mask(mask, batch.targets.data() + i * s * s);
  }
}

void BatchLoader::work(int generation) {
  const size_t total = batches_per_epoch();
  const size_t capacity = static_cast<size_t>(options_.queue_batches > 0 ? options_.queue_batches : 2 * options_.workers);
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] {
      return stopping_ || generation != generation_ || next_to_build_ >= total ||
             next_to_build_ < consumed_ + capacity;
    });
    if (stopping_ || generation != generation_ || next_to_build_ >= total) return;
    const size_t number = next_to_build_++;
    lock.unlock();
    Slot slot;
    try {
      build(number, slot.batch);
    } catch (...) {
      slot.error = std::current_exception();
    }
    lock.lock();
    if (generation != generation_) return;
    ready_[number] = std::move(slot);
    changed_.notify_all();
  }
}

bool BatchLoader::next(Batch& batch) {
  if (consumed_ >= batches_per_epoch()) return false;
  if (options_.workers == 0) {
    build(consumed_++, batch);
    return true;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return ready_.count(consumed_) > 0; });
  Slot slot = std::move(ready_.at(consumed_));
  ready_.erase(consumed_);
  ++consumed_;
  lock.unlock();
  changed_.notify_all();
  if (slot.error) std::rethrow_exception(slot.error);
  batch = std::move(slot.batch);
  return true;
}

}  // namespace seglab
