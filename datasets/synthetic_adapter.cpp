#include "datasets/synthetic_adapter.h"

#include <cstdio>

#include "core/rng.h"
#include "core/sha256.h"
#include "datasets/synthetic_lesion.h"

namespace seglab {
namespace {

// Bump when the generator changes, so fingerprints (and caches) change too.
constexpr int kGeneratorVersion = 1;

class SyntheticAdapter final : public DatasetAdapter {
 public:
  SyntheticAdapter(int count, int size, uint64_t seed) : count_(count), size_(size), seed_(seed) {}

  size_t size() const override { return static_cast<size_t>(count_); }
  std::string id(size_t index) const override {
    char name[32];
    std::snprintf(name, sizeof name, "synthetic_%05zu", index);
    return name;
  }
  LoadedSample load(size_t index) const override {
    LoadedSample sample = generate_synthetic_lesion(derive_seed(seed_, static_cast<uint64_t>(index)), size_);
    sample.id = id(index);
    return sample;
  }
  std::string fingerprint() const override {
    return sha256_hex("synthetic v" + std::to_string(kGeneratorVersion) + " count=" + std::to_string(count_) +
                      " size=" + std::to_string(size_) + " seed=" + std::to_string(seed_));
  }
  std::string describe() const override {
    return std::to_string(count_) + " synthetic lesion images of " + std::to_string(size_) + "x" +
           std::to_string(size_) + " (seed " + std::to_string(seed_) + ")";
  }

 private:
  int count_;
  int size_;
  uint64_t seed_;
};

}  // namespace

void register_synthetic_adapter(Registry<AdapterFactory>& registry) {
  OptionList options;
  options.add_int("num_samples", 200, "number of generated images").range(2, 1000000);
  options.add_int("synthetic_size", 128, "side of the generated images in pixels").range(16, 4096);
  options.add_int("synthetic_seed", 7, "seed of the generator (independent of experiment.seed)").at_least(0);
  registry.add({"synthetic", "dermoscopy-like lesions generated from a seed (no download)", options},
               [](const Config& c) -> std::unique_ptr<DatasetAdapter> {
                 return std::make_unique<SyntheticAdapter>(static_cast<int>(c.get_int("data.num_samples")),
                                                           static_cast<int>(c.get_int("data.synthetic_size")),
                                                           static_cast<uint64_t>(c.get_int("data.synthetic_seed")));
               });
}

}  // namespace seglab
