#pragma once
// Registries of losses, optimizers and backends. Losses and optimizers are
// specified here, backend-neutrally, and implemented by every backend.
#include <functional>
#include <memory>

#include "backends/backend.h"
#include "core/config.h"
#include "core/registry.h"

namespace seglab {

using LossFactory = std::function<LossSpec(const Config& config)>;
using OptimizerFactory = std::function<OptimizerSpec(const Config& config)>;
using BackendFactory = std::function<std::unique_ptr<Backend>()>;

Registry<LossFactory>& loss_registry();
Registry<OptimizerFactory>& optimizer_registry();
Registry<BackendFactory>& backend_registry();

// Fills the three registries; safe to call more than once.
void register_backends();

// Options of the [backend] section shared by all backends.
OptionList backend_section_options();

// The backend named by backend.name, and compile options from the config.
std::unique_ptr<Backend> make_backend(const Config& config);
CompileOptions compile_options(const Config& config);

}  // namespace seglab
