// Side-by-side speed of the compute backends on the same CPU, in one run:
// U-Net (plain encoder, base 64) and U-Net with a ResNet-34 encoder (when that
// encoder is registered) at 3 x S x S; a training step at batch 4 and inference
// at batch 1 and 8. Prints, per case, the median of repeated timings, images/s,
// achieved GFLOP/s and the fraction of the CPU's peak, the ratio
// onednn / libtorch, and the peak RSS of a training step.
//
// Every measurement runs in a fresh child process (fork before any thread pool
// starts), so one backend's allocations and peak RSS do not affect the other.
//
//   build/bench/bench_backends [--size 256] [--repeats 3] [--threads 0]
//                              [--models unet,unet_resnet34] [--precisions fp32,bf16]
//                              [--peak-gflops X]  (fp32 peak, bf16 taken as 2X; default: measured
//                                                  by an FMA / dpbf16 loop on every thread, cpu_peak.h)
//                              [--backends libtorch,onednn] [--modes train,infer_b1,infer_b8]
//                              [--libtorch-layouts auto]  (e.g. nhwc,nchw: one LibTorch row each; the
//                                                          ratio is onednn / the fastest of them)
//                              [--trace 1]  (prints "step <seconds>" after every step, warm-up
//                                            included, for onednn_verbose_summary.py)
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "backends/training_registries.h"
#include "bench/backends/cpu_peak.h"
#include "core/config.h"
#include "core/ini_reader.h"
#include "core/rng.h"
#include "engine/experiment.h"
#include "engine/registration.h"
#include "models/encoder.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"

using namespace seglab;

namespace {

struct Options {
  int64_t size = 256;
  int repeats = 3;
  int threads = 0;
  std::vector<std::string> models{"unet", "unet_resnet34"};
  std::vector<std::string> precisions{"fp32", "bf16"};
  double peak_gflops_fp32 = 0;
  std::vector<std::string> backends{"libtorch", "onednn"};
  std::vector<std::string> modes{"train", "infer_b1", "infer_b8"};
  std::vector<std::string> libtorch_layouts{"auto"};
  bool trace = false;
};

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

struct Measurement {
  bool ok = false;
  double median_s = 0;
  double peak_rss_mb = 0;
  std::string error;
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  for (std::string item; std::getline(s, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

Config model_config(const std::string& model, const std::string& backend, const std::string& precision, int threads,
                    const std::string& layout = "auto") {
  // base_channels is an option of the plain encoder only.
  std::string ini = model == "unet_resnet34" ? "[model]\nencoder = resnet34\n" : "[model]\nbase_channels = 64\n";
  ini += "[backend]\nname = " + backend + "\ndevice = cpu\nprecision = " + precision +
         "\nthreads = " + std::to_string(threads) + "\nlayout = " + layout + "\n[train]\noptimizer = adamw\nloss = bce_dice\n";
  return experiment_schema().resolve(parse_ini_text(ini, "bench"));
}

// Runs in the child: compile, one warm-up, `repeats` timed runs.
Measurement measure(const Options& o, const std::string& model, const std::string& backend,
                    const std::string& precision, bool train, int64_t batch, const std::string& layout) {
  Measurement m;
  try {
    const Config config = model_config(model, backend, precision, o.threads, layout);
    const Graph graph = build_model(config);
    auto net = make_backend(config)->compile(graph, initialize_parameters(graph, 1), compile_options(config));
    Rng rng(7);
    Tensor images({batch, 3, o.size, o.size}), targets({batch, 1, o.size, o.size});
    for (auto& v : images.values()) v = static_cast<float>(rng.normal());
    for (auto& v : targets.values()) v = rng.bernoulli(0.3) ? 1.0f : 0.0f;
    auto run = [&] {
      const auto start = std::chrono::steady_clock::now();
      if (train)
        net->train_step(images, targets, 1e-4);
      else
        net->predict(images);
      if (o.trace) {
        std::printf("step %.6f\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        std::fflush(stdout);
      }
    };
    run();  // compiles the plan / warms caches
    std::vector<double> times;
    for (int r = 0; r < o.repeats; ++r) {
      const auto start = std::chrono::steady_clock::now();
      run();
      times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    m.median_s = times[times.size() / 2];
    m.peak_rss_mb = peak_rss_mb();
    m.ok = true;
  } catch (const std::exception& e) {
    m.error = e.what();
  }
  return m;
}

Measurement measure_in_child(const Options& o, const std::string& model, const std::string& backend,
                             const std::string& precision, bool train, int64_t batch,
                             const std::string& layout = "auto") {
  int fds[2];
  if (pipe(fds) != 0) return {false, 0, 0, "pipe failed"};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const Measurement m = measure(o, model, backend, precision, train, batch, layout);
    std::ostringstream out;
    out << m.ok << ' ' << m.median_s << ' ' << m.peak_rss_mb << ' ' << m.error;
    const std::string text = out.str();
    if (write(fds[1], text.data(), text.size()) < 0) _exit(2);
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  Measurement m;
  std::istringstream in(text);
  in >> m.ok >> m.median_s >> m.peak_rss_mb;
  std::getline(in, m.error);
  if (text.empty()) m.error = "child process failed (status " + std::to_string(status) + ")";
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--help" || key == "-h") {
      std::cout << "usage: bench_backends [--size 256] [--repeats 3] [--threads 0] [--models unet,unet_resnet34]\n"
                   "       [--precisions fp32,bf16] [--backends libtorch,onednn] [--modes train,infer_b1,infer_b8]\n"
                   "       [--libtorch-layouts auto|nhwc,nchw] [--peak-gflops X] [--trace 1]\n";
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "bench_backends: option " << key << " needs a value (see --help)\n";
      return 2;
    }
    const std::string value = argv[i + 1];
    if (key == "--size") o.size = std::stoll(value);
    else if (key == "--repeats") o.repeats = std::stoi(value);
    else if (key == "--threads") o.threads = std::stoi(value);
    else if (key == "--models") o.models = split(value);
    else if (key == "--precisions") o.precisions = split(value);
    else if (key == "--peak-gflops") o.peak_gflops_fp32 = std::stod(value);
    else if (key == "--backends") o.backends = split(value);
    else if (key == "--modes") o.modes = split(value);
    else if (key == "--libtorch-layouts") o.libtorch_layouts = split(value);
    else if (key == "--trace") o.trace = value == "1";
    else {
      std::cerr << "bench_backends: unknown option " << key << " (see --help)\n";
      return 2;
    }
  }
  register_all();
  const int cores = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
  double peak_fp32 = o.peak_gflops_fp32, peak_bf16 = 2 * o.peak_gflops_fp32;
  if (peak_fp32 > 0) {
    std::printf("CPU: %d threads; peak %.0f GFLOP/s fp32, %.0f bf16 (given by --peak-gflops)\n", cores, peak_fp32,
                peak_bf16);
  } else {
    const bench::CpuPeak measured = bench::measure_cpu_peak(cores);
    peak_fp32 = measured.fp32_gflops;
    peak_bf16 = measured.bf16_gflops > 0 ? measured.bf16_gflops : 2 * peak_fp32;
    std::printf("CPU: %d threads; peak %.0f GFLOP/s fp32 (%s FMA loop on every thread), %.0f bf16 (%s)\n", cores,
                peak_fp32, measured.isa, peak_bf16, measured.bf16_gflops > 0 ? "dpbf16 loop" : "assumed 2x fp32");
  }
  std::printf("image 3x%lldx%lld, median of %d runs after one warm-up, each case in its own process\n\n",
              static_cast<long long>(o.size), static_cast<long long>(o.size), o.repeats);
  std::printf("%-14s %-9s %-6s %-10s %10s %9s %9s %7s %9s %8s\n", "model", "mode", "prec", "backend", "median s",
              "img/s", "GFLOP/s", "%peak", "RSS MB", "ratio");
  for (const std::string& model : o.models) {
    if (model == "unet_resnet34" && !encoder_registry().contains("resnet34")) {
      std::printf("%-14s skipped: encoder resnet34 is not registered in this build\n", model.c_str());
      continue;
    }
    const Graph graph = build_model(model_config(model, "libtorch", "fp32", o.threads));
    const double gflop_per_image = graph.forward_flops(o.size, o.size) / 1e9;
    std::printf("%-14s forward %.1f GFLOP per image\n", model.c_str(), gflop_per_image);
    struct Mode {
      const char* key;
      const char* name;
      bool train;
      int64_t batch;
    };
    for (const Mode mode : {Mode{"train", "train b4", true, 4}, Mode{"infer_b1", "infer b1", false, 1},
                            Mode{"infer_b8", "infer b8", false, 8}}) {
      if (!contains(o.modes, mode.key)) continue;
      // Training costs about three forward passes (forward, backward data, backward weights).
      const double gflop = gflop_per_image * static_cast<double>(mode.batch) * (mode.train ? 3.0 : 1.0);
      // LibTorch in each layout asked for; oneDNN is compared with the fastest.
      Measurement base;
      std::vector<std::pair<std::string, Measurement>> libtorch_rows;
      if (contains(o.backends, "libtorch"))
        for (const std::string& layout : o.libtorch_layouts) {
          libtorch_rows.emplace_back(layout, measure_in_child(o, model, "libtorch", "fp32", mode.train, mode.batch, layout));
          const Measurement& m = libtorch_rows.back().second;
          if (m.ok && (!base.ok || m.median_s < base.median_s)) base = m;
        }
      auto row = [&](const char* backend, const std::string& precision, const Measurement& m, double ratio) {
        if (!m.ok) {
          std::printf("%-14s %-9s %-6s %-10s  failed: %s\n", model.c_str(), mode.name, precision.c_str(), backend,
                      m.error.c_str());
          return;
        }
        const double gflops = gflop / m.median_s;
        const double peak = precision == "bf16" ? peak_bf16 : peak_fp32;
        std::printf("%-14s %-9s %-6s %-10s %10.3f %9.3f %9.1f %6.0f%% %9.0f %8s\n", model.c_str(), mode.name,
                    precision.c_str(), backend, m.median_s, static_cast<double>(mode.batch) / m.median_s, gflops,
                    100 * gflops / peak, m.peak_rss_mb, ratio > 0 ? (std::to_string(ratio).substr(0, 4) + "x").c_str() : "");
      };
      for (const auto& [layout, m] : libtorch_rows)
        row(layout == "auto" ? "libtorch" : ("libtorch/" + layout).c_str(), "fp32", m, 0);
      if (!contains(o.backends, "onednn")) continue;
      for (const std::string& precision : o.precisions) {
        const Measurement m = measure_in_child(o, model, "onednn", precision, mode.train, mode.batch);
        row("onednn", precision, m, base.ok && m.ok ? base.median_s / m.median_s : 0);
      }
      std::fflush(stdout);
    }
  }
  // A shared machine's speed drifts: the peak again, to show how far it moved.
  if (o.peak_gflops_fp32 <= 0) {
    const bench::CpuPeak after = bench::measure_cpu_peak(cores);
    std::printf("\npeak measured again after the cases: %.0f GFLOP/s fp32, %.0f bf16\n", after.fp32_gflops,
                after.bf16_gflops);
  }
  return 0;
}
