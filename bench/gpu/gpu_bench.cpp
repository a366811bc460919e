// seglab's LibTorch backend on CUDA, one case per process, for
// bench/gpu/run_gpu_bench.py, which runs it beside the same models in PyTorch
// eager (bench/gpu/pytorch_eager.py), samples the GPU with nvidia-smi and
// prints the table.
//
//   build/bench/bench_gpu --model unet|unet_resnet34 --size 256 --precision fp32|fp16|bf16
//                         [--modes infer,train] [--train-batch 16] [--infer-batch 32]
//                         [--steps 15] [--warmup 4] [--workers 0]  (0: all cores but one)
//
// Training draws its batches from seglab's own loader (synthetic lesions made at
// the size, horizontal and vertical flips, `workers` threads), exactly as the
// trainer does: queue_train_step, the loss read one step late. Inference times
// predict() on one batch (upload, forward, sigmoid, download). Per mode it
// prints "mode <name> start <unix ms> end <unix ms> images_per_second <x>" so
// the driver can attribute its GPU samples.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "backends/training_registries.h"
#include "core/ini_reader.h"
#include "core/rng.h"
#include "engine/experiment.h"
#include "engine/registration.h"
#include "engine/run_data.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"

using namespace seglab;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string model = "unet";
  int size = 256;
  std::string precision = "fp32";
  std::vector<std::string> modes{"infer", "train"};
  int train_batch = 16;
  int infer_batch = 32;
  int steps = 15;
  int warmup = 4;
  int workers = 0;
};

long long unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Config bench_config(const Options& o) {
  std::ostringstream ini;
  ini << "[data]\nadapter = synthetic\nnum_samples = " << 4 * o.train_batch << "\nsynthetic_size = " << o.size
      << "\nimage_size = " << o.size << "\nval_ratio = 0\nworkers = " << o.workers << "\ncache = false\n"
      << "[augment]\npipeline = hflip, vflip\n"
      << (o.model == "unet_resnet34" ? "[model]\nencoder = resnet34\n" : "[model]\nbase_channels = 64\n")
      << "[backend]\nname = libtorch\ndevice = cuda\nprecision = " << o.precision << "\n"
      << "[train]\nbatch_size = " << o.train_batch << "\noptimizer = adamw\nloss = bce_dice\n";
  return experiment_schema().resolve(parse_ini_text(ini.str(), "bench_gpu"));
}

void report(const char* mode, long long start, double images_per_second) {
  std::printf("mode %s start %lld end %lld images_per_second %.2f\n", mode, start, unix_ms(), images_per_second);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--model") o.model = value;
    else if (key == "--size") o.size = std::stoi(value);
    else if (key == "--precision") o.precision = value;
    else if (key == "--modes") {
      o.modes.clear();
      std::stringstream s(value);
      for (std::string m; std::getline(s, m, ',');) o.modes.push_back(m);
    } else if (key == "--train-batch") o.train_batch = std::stoi(value);
    else if (key == "--infer-batch") o.infer_batch = std::stoi(value);
    else if (key == "--steps") o.steps = std::stoi(value);
    else if (key == "--warmup") o.warmup = std::stoi(value);
    else if (key == "--workers") o.workers = std::stoi(value);
    else {
      std::cerr << "bench_gpu: unknown option " << key << "\n";
      return 2;
    }
  }
  if (o.workers <= 0) o.workers = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
  try {
    register_all();
    const std::string store = (std::filesystem::temp_directory_path() / "seglab-bench-gpu").string();
    const Config config = bench_config(o);
    const Graph graph = build_model(config);
    auto net = make_backend(config)->compile(graph, initialize_parameters(graph, 1), compile_options(config));
    std::printf("model %s size %d precision %s device %s forward %.1f GFLOP per image\n", o.model.c_str(), o.size,
                o.precision.c_str(), net->device().c_str(), graph.forward_flops(o.size, o.size) / 1e9);
    for (const std::string& mode : o.modes) {
      if (mode == "infer") {
        Rng rng(3);
        Tensor images({o.infer_batch, 3, o.size, o.size});
        for (auto& v : images.values()) v = static_cast<float>(rng.normal());
        for (int i = 0; i < o.warmup; ++i) net->predict(images);  // cuDNN autotuning happens here
        const long long start = unix_ms();
        const auto t0 = Clock::now();
        for (int i = 0; i < o.steps; ++i) net->predict(images);
        const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        report("infer", start, o.steps * o.infer_batch / seconds);
      } else if (mode == "train") {
        const RunData data = prepare_run_data(config, store);
        BatchLoader loader(data.samples, data.split.train, loader_options(config, /*training=*/true));
        int epoch = 0;
        Batch batch;
        auto next_batch = [&] {
          while (!loader.next(batch)) loader.start_epoch(++epoch);
        };
        loader.start_epoch(++epoch);
        std::function<float()> pending;
        auto run = [&](int steps) {
          for (int i = 0; i < steps; ++i) {
            next_batch();
            auto loss = net->queue_train_step(batch.images, batch.targets, 1e-4);
            if (pending) pending();
            pending = std::move(loss);
          }
          pending();  // the last step is done
          pending = nullptr;
        };
        run(o.warmup);
        const long long start = unix_ms();
        const auto t0 = Clock::now();
        run(o.steps);
        const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        report("train", start, o.steps * o.train_batch / seconds);
      } else {
        std::cerr << "bench_gpu: unknown mode " << mode << "\n";
        return 2;
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_gpu: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
