#pragma once
// Where the loader takes resized samples from: memory (PreparedSamples, after
// a check or from the HDF5 cache) or the adapter, decoding each time.
#include <memory>
#include <mutex>
#include <vector>

#include "datasets/dataset_adapter.h"

namespace seglab {

class SampleSource {
 public:
  virtual ~SampleSource() = default;
  // The sample at a dataset index, resized to the loader's size. Thread-safe;
  // the returned Mats may be shared, so callers clone before changing them.
  virtual LoadedSample get(size_t index) const = 0;
};

// Decodes and resizes from the adapter on every call (`keep` = false: the cold
// path the loader benchmark measures), or once per sample (`keep` = true).
class DecodingSource final : public SampleSource {
 public:
  DecodingSource(const DatasetAdapter& dataset, int image_size, bool keep);
  LoadedSample get(size_t index) const override;

 private:
  const DatasetAdapter& dataset_;
  int image_size_;
  bool keep_;
  mutable std::vector<std::unique_ptr<std::mutex>> locks_;
  mutable std::vector<LoadedSample> kept_;
};

// Decode + resize, the one definition the check, the cache and the loader share.
LoadedSample load_resized(const DatasetAdapter& dataset, size_t index, int image_size);

}  // namespace seglab
