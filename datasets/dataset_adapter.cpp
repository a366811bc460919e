#include "datasets/dataset_adapter.h"

namespace seglab {

Registry<AdapterFactory>& adapter_registry() {
  static Registry<AdapterFactory> registry("dataset adapter");
  return registry;
}

std::map<std::string, std::string> DatasetAdapter::sample_metadata(size_t index) const {
  return metadata_ ? metadata_->row(id(index)) : std::map<std::string, std::string>{};
}

std::unique_ptr<DatasetAdapter> make_adapter(const Config& config) {
  auto adapter = adapter_registry().factory(config.get_text("data.adapter"), "data.adapter")(config);
  const std::string& metadata = config.get_text("data.metadata");
  if (!metadata.empty())
    adapter->attach_metadata(std::make_shared<const SampleMetadata>(
        SampleMetadata::read_csv(metadata, config.get_text("data.metadata_id_column"))));
  return adapter;
}

}  // namespace seglab
