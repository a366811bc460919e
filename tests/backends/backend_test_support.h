#pragma once
// Small networks and batches for backend tests.
#include <memory>
#include <string>

#include "backends/backend.h"
#include "backends/training_registries.h"
#include "core/config.h"
#include "core/rng.h"
#include "core/ini_reader.h"
#include "engine/experiment.h"
#include "engine/registration.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"

namespace seglab::test {

// A tiny U-Net on the CPU; `extra` INI text overrides or adds keys.
inline Config small_unet_config(const std::string& extra = {}) {
  RawConfig raw = parse_ini_text("[model]\nbase_channels = 4\ndepth = 2\n[backend]\ndevice = cpu\nthreads = 2\n", "test");
  for (const auto& entry : parse_ini_text(extra, "test").entries) raw.set(entry.key, entry.value, entry.origin);
  return experiment_schema().resolve(raw);
}

inline std::unique_ptr<Network> compile_network(const Config& config, uint64_t seed) {
  const Graph graph = build_model(config);
  return make_backend(config)->compile(graph, initialize_parameters(graph, seed), compile_options(config));
}

// Random images and blob-shaped 0/1 targets.
inline void random_batch(int64_t n, int64_t size, uint64_t seed, Tensor& images, Tensor& targets) {
  Rng rng(seed);
  images = Tensor({n, 3, size, size});
  for (auto& v : images.values()) v = static_cast<float>(rng.normal());
  targets = Tensor({n, 1, size, size});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t y = 0; y < size; ++y)
      for (int64_t x = 0; x < size; ++x)
        targets[(i * size + y) * size + x] = (x - size / 2) * (x - size / 2) + (y - size / 3) * (y - size / 3) <
                                                     size * size / (8 + i)
                                                 ? 1.0f
                                                 : 0.0f;
}

}  // namespace seglab::test
