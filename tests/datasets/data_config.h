#pragma once
// Configs for the datasets tests, resolved against the sections the datasets
// layer reads ([data] and [augment] as an experiment has them, and [model] for
// num_classes) instead of the whole experiment schema. The whole schema needs
// the engine and with it LibTorch, whose start-up alone would weigh on every
// test process; without it these tests are unit tests.
#include <string>

#include "core/config.h"

namespace seglab::test {

Config data_config(const std::string& ini_text);

}  // namespace seglab::test
