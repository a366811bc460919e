#pragma once
// Every sample decoded, checked and resized once, before a run is recorded:
// bad samples (unreadable, truncated or empty file, missing or extra mask,
// size mismatch, non-binary mask, duplicate id) are found up front and named
// by path, and the rest are kept in memory for the loader. With a cache path,
// the result is read from / written to the HDF5 sample cache instead of
// decoding (see sample_cache.h).
#include <memory>
#include <string>
#include <vector>

#include "datasets/dataset_adapter.h"
#include "datasets/sample_source.h"

namespace seglab {

struct SampleStats {
  int width = 0;   // of the original image
  int height = 0;
  double lesion_fraction = 0;  // of the original mask's pixels
};

struct PrepareOptions {
  int image_size = 256;
  int workers = 1;         // decoding threads
  std::string cache_path;  // "" = no cache
};

class PreparedSamples final : public SampleSource {
 public:
  // Throws DataError for an index that is not usable.
  LoadedSample get(size_t index) const override;

  size_t usable_count() const;
  // `indices` without the unusable ones, order kept.
  std::vector<size_t> usable_only(const std::vector<size_t>& indices) const;

  int image_size = 0;
  std::vector<std::string> ids;       // per dataset index
  std::vector<LoadedSample> samples;  // resized; empty when unusable
  std::vector<bool> usable;
  std::vector<SampleStats> stats;     // valid where usable
  std::vector<SampleProblem> problems;  // listing and decoding problems, by path
  // Cache outcome: "" (no cache), "hit", "built", or "rebuilt (<why the old one was refused>)".
  std::string cache_path;
  std::string cache_status;
};

// Never throws for bad samples (they become problems); throws for a dataset
// that cannot be listed at all.
std::shared_ptr<PreparedSamples> prepare_samples(const DatasetAdapter& dataset, const PrepareOptions& options);

// data.on_bad_sample: "error" throws DataError naming the first bad file and
// how many there are; "skip" accepts them (the caller lists them).
void enforce_bad_sample_policy(const PreparedSamples& samples, const std::string& policy);

}  // namespace seglab
