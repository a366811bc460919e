#include "tests/datasets/data_config.h"

#include "core/config_schema.h"
#include "core/ini_reader.h"
#include "datasets/dataset_registration.h"
#include "models/model_registry.h"

namespace seglab::test {
namespace {

ConfigSchema build_data_schema() {
  ConfigSchema schema;
  add_data_sections(schema);
  schema.add_section("model", "the network", model_section_options());
  return schema;
}

}  // namespace

Config data_config(const std::string& ini_text) {
  static const ConfigSchema schema = build_data_schema();
  return schema.resolve(parse_ini_text(ini_text, "test"));
}

}  // namespace seglab::test
