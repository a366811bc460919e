#include "datasets/dataset_adapter.h"

namespace seglab {

Registry<AdapterFactory>& adapter_registry() {
  static Registry<AdapterFactory> registry("dataset adapter");
  return registry;
}

std::unique_ptr<DatasetAdapter> make_adapter(const Config& config) {
  return adapter_registry().factory(config.get_text("data.adapter"), "data.adapter")(config);
}

}  // namespace seglab
