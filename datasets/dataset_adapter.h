#pragma once
// A dataset adapter lists samples and loads one as an RGB image and a class
// mask. Adapters live in a registry selected by `data.adapter`; each declares
// its options under [data]. Files that cannot be paired into a sample (a mask
// without an image, two files with one id) are not samples: the adapter
// reports them as listing problems, so that nothing is dropped silently.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/registry.h"
#include "datasets/sample.h"
#include "datasets/sample_metadata.h"

namespace seglab {

class DatasetAdapter {
 public:
  virtual ~DatasetAdapter() = default;
  virtual size_t size() const = 0;
  virtual std::string id(size_t index) const = 0;
  // Thread-safe. Throws DataError naming the file and the fault.
  virtual LoadedSample load(size_t index) const = 0;
  // Changes whenever the content would (file list, sizes, hashes, generator options).
  virtual std::string fingerprint() const = 0;
  // One line for logs: "90 samples in ../shared/data/skin-lesions".
  virtual std::string describe() const = 0;
  // Size of one pixel of the sample's original image in mm (row, column), or
  // 0, 0 when the data does not say; boundary metrics are then given in pixels.
  virtual std::pair<double, double> pixel_spacing_mm(size_t /*index*/) const { return {0.0, 0.0}; }
  // Class names by index where the data names them (LabelMe labels), else empty.
  virtual std::vector<std::string> class_names() const { return {}; }
  // Files found while listing that make no sample, with what is wrong.
  virtual std::vector<SampleProblem> listing_problems() const { return {}; }
  // The image file of a sample ("" for generated data), for messages.
  virtual std::string image_path(size_t index) const { return {}; }

  // Per-sample metadata (data.metadata), or nullptr.
  const SampleMetadata* metadata_table() const { return metadata_.get(); }
  // One sample's metadata row; empty without metadata or when its id has no row.
  std::map<std::string, std::string> sample_metadata(size_t index) const;
  void attach_metadata(std::shared_ptr<const SampleMetadata> metadata) { metadata_ = std::move(metadata); }

 private:
  std::shared_ptr<const SampleMetadata> metadata_;
};

using AdapterFactory = std::function<std::unique_ptr<DatasetAdapter>(const Config& config)>;

Registry<AdapterFactory>& adapter_registry();
// The adapter of data.adapter, with data.metadata attached when given.
std::unique_ptr<DatasetAdapter> make_adapter(const Config& config);

}  // namespace seglab
