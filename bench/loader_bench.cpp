// Loader throughput against the trainer's consumption, measured side by side
// in one run (medians of repeated epochs):
//   - cold: PH2 images re-encoded as JPEG, decoded + resized + augmented +
//     batched per image (no cache), 1 and 2 workers;
//   - hot: the same samples from the HDF5 sample cache (read and verified once,
//     then served from memory), 1 and 2 workers;
//   - trainer: train_step images/s of the default U-Net (model defaults) on
//     the default backend at the same size.
// Every augmentation of the registry runs on every image (p = 1): the worst
// case. Usage: seglab_loader_bench [ph2 folder] [image_size] [trainer steps]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "backends/training_registries.h"
#include "core/error.h"
#include "datasets/batch_loader.h"
#include "datasets/dataset_adapter.h"
#include "datasets/image_io.h"
#include "datasets/prepared_samples.h"
#include "datasets/sample_cache.h"
#include "engine/experiment.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"

namespace fs = std::filesystem;
using namespace seglab;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

const char* kPipeline =
    "[augment]\npipeline = hflip, vflip, rot90, rotate, scale_crop, affine, elastic, color_jitter, gamma, "
    "gaussian_blur, gaussian_noise, normalize\n"
    "[augment.hflip]\np = 1\n[augment.vflip]\np = 1\n[augment.rot90]\np = 1\n[augment.rotate]\np = 1\n"
    "[augment.scale_crop]\np = 1\n[augment.affine]\np = 1\n[augment.elastic]\np = 1\n[augment.color_jitter]\np = 1\n"
    "[augment.gamma]\np = 1\n[augment.gaussian_blur]\np = 1\n[augment.gaussian_noise]\np = 1\n";

// Images/s of `epochs` epochs through a loader over every sample (median).
double loader_rate(std::shared_ptr<const SampleSource> source, size_t count, const std::vector<Augmentation>& pipeline,
                   int size, int workers, int epochs) {
  LoaderOptions o;
  o.image_size = size;
  o.batch_size = 8;
  o.shuffle = true;
  o.seed = 1;
  o.workers = workers;
  o.augmentations = pipeline;
  std::vector<size_t> all(count);
  for (size_t i = 0; i < count; ++i) all[i] = i;
  BatchLoader loader(source, all, o);
  std::vector<double> rates;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const auto start = Clock::now();
    loader.start_epoch(epoch);
    Batch batch;
    size_t images = 0;
    while (loader.next(batch)) images += batch.indices.size();
    rates.push_back(images / seconds_since(start));
  }
  return median(rates);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string ph2 = argc > 1 ? argv[1] : "../shared/data/skin-lesions";
  const int size = argc > 2 ? std::atoi(argv[2]) : 256;
  const int steps = argc > 3 ? std::atoi(argv[3]) : 3;
  try {
    // 1. The PH2 images as JPEG (quality 90) with PNG masks, in a temporary folder.
    const fs::path work = fs::temp_directory_path() / ("seglab-loader-bench-" + std::to_string(::getpid()));
    fs::create_directories(work / "images");
    fs::create_directories(work / "masks");
    const Config ph2_config = config_from_text("[data]\nadapter = ph2\nroot = " + ph2 + "\n", "bench");
    auto originals = make_adapter(ph2_config);
    for (size_t i = 0; i < originals->size(); ++i) {
      const LoadedSample s = originals->load(i);
      cv::Mat bgr;
      cv::cvtColor(s.image, bgr, cv::COLOR_RGB2BGR);
      cv::imwrite((work / "images" / (s.id + ".jpg")).string(), bgr, {cv::IMWRITE_JPEG_QUALITY, 90});
      cv::imwrite((work / "masks" / (s.id + ".png")).string(), s.mask * 255);
    }
    const Config config = config_from_text(std::string("[data]\nadapter = folder\nroot = ") + work.string() +
                                               "\nimage_size = " + std::to_string(size) + "\n" + kPipeline,
                                           "bench");
    auto dataset = make_adapter(config);
    const auto pipeline = make_augmentations(config);
    const size_t n = dataset->size();
    std::printf("loader benchmark: %zu PH2 images (%dx%d JPEG q90, PNG masks) -> %dx%d, batch 8,\n", n,
                originals->load(0).image.cols, originals->load(0).image.rows, size, size);
    std::printf("all %zu augmentations at p = 1; hardware threads %u; medians over epochs\n\n", pipeline.size(),
                std::thread::hardware_concurrency());

    // 2. Cold: decode + resize + augment + batch every time.
    auto cold_source = std::make_shared<DecodingSource>(*dataset, size, false);
    std::printf("%-58s %10s\n", "path", "images/s");
    auto row = [](const std::string& name, double rate) {
      std::printf("%-58s %10.1f\n", name.c_str(), rate);
      std::fflush(stdout);  // figures appear as they are measured
    };
    const double cold1 = loader_rate(cold_source, n, pipeline, size, 1, 3);
    row("cold: JPEG decode + resize + augment, 1 worker", cold1);
    const double cold2 = loader_rate(cold_source, n, pipeline, size, 2, 3);
    row("cold: JPEG decode + resize + augment, 2 workers", cold2);

    // 3. Hot: build the cache, then open it as a run would (read + verify), and load from it.
    PrepareOptions prepare;
    prepare.image_size = size;
    prepare.workers = 2;
    prepare.cache_path = sample_cache_path((work / "cache").string(), sample_cache_key(*dataset, size));
    auto start = Clock::now();
    prepare_samples(*dataset, prepare);
    const double build_seconds = seconds_since(start);
    std::vector<double> open_times;
    std::shared_ptr<PreparedSamples> hot;
    for (int r = 0; r < 3; ++r) {
      start = Clock::now();
      hot = prepare_samples(*dataset, prepare);
      open_times.push_back(seconds_since(start));
      if (hot->cache_status != "hit") throw Error("the cache was not hit: " + hot->cache_status);
    }
    const double hot1 = loader_rate(hot, n, pipeline, size, 1, 5);
    row("hot: HDF5 cache + augment, 1 worker", hot1);
    const double hot2 = loader_rate(hot, n, pipeline, size, 2, 5);
    row("hot: HDF5 cache + augment, 2 workers", hot2);
    row("hot: HDF5 cache, no augmentation, 2 workers", loader_rate(hot, n, {}, size, 2, 5));

    // 4. The trainer: default U-Net (model defaults), default backend, same size and batch.
    const Config train_config = config_from_text(
        "[data]\nimage_size = " + std::to_string(size) + "\n[backend]\ndevice = auto\n", "bench");
    const Graph graph = build_model(train_config);
    auto backend = make_backend(train_config);
    auto network = backend->compile(graph, initialize_parameters(graph, 1), compile_options(train_config));
    LoaderOptions o;
    o.image_size = size;
    o.batch_size = 8;
    BatchLoader batches(hot, {0, 1, 2, 3, 4, 5, 6, 7}, o);
    Batch batch;
    batches.next(batch);
    network->train_step(batch.images, batch.targets, 1e-4);  // warm-up
    std::vector<double> step_rates;
    for (int s = 0; s < steps; ++s) {
      start = Clock::now();
      network->train_step(batch.images, batch.targets, 1e-4);
      step_rates.push_back(8 / seconds_since(start));
    }
    const double trainer = median(step_rates);
    row("trainer: default U-Net train_step (batch 8) on " + network->device(), trainer);
    std::printf("\ncache: built in %.2f s (decode + resize + write), opened in %.3f s (read + verify %zu samples)\n",
                build_seconds, median(open_times), n);
    std::printf("ratio hot loader (2 workers) / trainer: %.1fx (goal: >= 5x)\n", hot2 / trainer);
    std::printf("ratio hot loader (1 worker) / trainer:  %.1fx\n", hot1 / trainer);
    fs::remove_all(work);
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.describe().c_str());
    return 1;
  }
  return 0;
}
