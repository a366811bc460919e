#pragma once
// A dataset adapter lists samples and loads one as an RGB image and a class
// mask. Adapters live in a registry selected by `data.adapter`; each declares
// its options under [data].
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/registry.h"
#include "datasets/sample.h"

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
  // Class names by index where the data names them (LabelMe labels), else empty.
  virtual std::vector<std::string> class_names() const { return {}; }
};

using AdapterFactory = std::function<std::unique_ptr<DatasetAdapter>(const Config& config)>;

Registry<AdapterFactory>& adapter_registry();
std::unique_ptr<DatasetAdapter> make_adapter(const Config& config);

}  // namespace seglab
