// The CUDA path of the LibTorch backend, on a real GPU: forward outputs agree
// with the CPU (on CUDA inference folds batch norm into the convolutions, so
// this also checks the folding), a short training lowers the loss in fp32, fp16
// (loss scaling) and bf16, and weights with optimizer state move between CPU
// and CUDA runs.
// Without a CUDA device these tests are skipped, saying so; the CPU tests here
// run everywhere.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "engine/run_loader.h"
#include "tests/backends/backend_test_support.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

bool cuda_present() {
  const auto caps = make_backend(test::small_unet_config())->capabilities();
  return std::find(caps.devices.begin(), caps.devices.end(), "cuda") != caps.devices.end();
}

#define REQUIRE_CUDA() \
  if (!cuda_present()) GTEST_SKIP() << "no CUDA device here: the libtorch backend lists only the CPU"

// ‖a − b‖ / ‖b‖ over all values.
double relative_l2(const Tensor& a, const Tensor& b) {
  double diff = 0, norm = 0;
  for (int64_t i = 0; i < b.numel(); ++i) {
    diff += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
    norm += static_cast<double>(b[i]) * b[i];
  }
  return std::sqrt(diff / std::max(norm, 1e-30));
}

// A small plain U-Net unless `model_ini` names an encoder; `model_ini` overrides.
Config config_on(const std::string& device, const std::string& model_ini, const std::string& precision = "fp32") {
  const bool plain = model_ini.find("encoder") == std::string::npos;
  RawConfig raw = parse_ini_text((plain ? "[model]\nbase_channels = 4\ndepth = 2\n" : std::string()) +
                                     "[backend]\ndevice = " + device + "\nprecision = " + precision + "\nthreads = 2\n",
                                 "test");
  for (const auto& entry : parse_ini_text(model_ini, "test").entries) raw.set(entry.key, entry.value, entry.origin);
  return experiment_schema().resolve(raw);
}

TEST(LibTorchPrecision, MixedPrecisionOnTheCpuIsRefusedNamingTheKey) {
  for (const char* precision : {"fp16", "bf16"}) {
    try {
      test::compile_network(config_on("cpu", "", precision), 1);
      ADD_FAILURE() << precision << " was accepted on the CPU";
    } catch (const BackendError& e) {
      EXPECT_EQ(e.input(), "backend.precision");
      EXPECT_NE(std::string(e.what()).find("CUDA only"), std::string::npos) << e.what();
    }
  }
}

// A run trained on a GPU (or in a precision this machine lacks) is evaluated
// and applied here anyway: eval and predict adapt the recorded options.
TEST(LibTorchPrecision, EvalOfARunTrainedOnCudaFallsBackToWhatThisMachineHas) {
  const Config config = config_on("cpu", "");
  const auto backend = make_backend(config);
  const Graph graph = build_model(config);
  const NamedTensors weights = initialize_parameters(graph, 1);
  CompileOptions trained = compile_options(config);
  trained.device = "cuda";
  trained.precision = "fp16";
  const CompiledHere here = compile_on_this_machine(*backend, graph, weights, trained);
  if (cuda_present()) {
    EXPECT_EQ(here.options.device, "cuda");
    EXPECT_EQ(here.options.precision, "fp16");
    EXPECT_EQ(here.note, "");
  } else {
    EXPECT_EQ(here.options.device, "auto");
    EXPECT_EQ(here.options.precision, "fp32");
    EXPECT_EQ(here.note, "trained on cuda, which the libtorch backend lacks here: running on cpu; trained in fp16, "
                         "which the libtorch backend cannot run here: running in fp32");
    Tensor images, targets;
    test::random_batch(1, 16, 2, images, targets);
    EXPECT_EQ(here.network->predict(images).shape(), (Shape{1, 1, 16, 16}));
  }
  // Mixed precision on the CPU: the libtorch backend runs it on CUDA only.
  trained.device = "cpu";
  const CompiledHere cpu = compile_on_this_machine(*backend, graph, weights, trained);
  EXPECT_EQ(cpu.options.precision, "fp32");
  EXPECT_NE(cpu.note.find("running in fp32"), std::string::npos);
  // What this machine can run is kept as it is.
  trained.precision = "fp32";
  const CompiledHere kept = compile_on_this_machine(*backend, graph, weights, trained);
  EXPECT_EQ(kept.options.device, "cpu");
  EXPECT_EQ(kept.network->device(), "cpu");
  EXPECT_EQ(kept.note, "");
}

// queue_train_step returns before the step is done; its reader gives the same
// loss as train_step, and the weights end the same (device auto: the CUDA
// event path where a GPU is present).
TEST(LibTorchPrecision, QueuedStepsGiveTheLossesOfTrainStep) {
  const Config config = config_on("auto", "");
  auto a = test::compile_network(config, 3);
  auto b = test::compile_network(config, 3);
  Tensor images, targets;
  test::random_batch(2, 32, 6, images, targets);
  std::vector<float> direct, queued;
  std::function<float()> pending;
  for (int i = 0; i < 4; ++i) {
    direct.push_back(a->train_step(images, targets, 1e-2));
    auto next = b->queue_train_step(images, targets, 1e-2);
    if (pending) queued.push_back(pending());
    pending = std::move(next);
  }
  queued.push_back(pending());
  ASSERT_EQ(queued.size(), direct.size());
  for (size_t i = 0; i < direct.size(); ++i) EXPECT_NEAR(queued[i], direct[i], 1e-5 * std::abs(direct[i])) << i;
  EXPECT_LT(direct.back(), direct.front());
  EXPECT_LT(test::max_relative_difference(b->weights(), a->weights()), 1e-4);
}

TEST(Cuda, ForwardOutputsAgreeWithTheCpu) {
  REQUIRE_CUDA();
  struct Case {
    const char* name;
    std::string ini;
    double fp32, fp16, bf16;  // bounds on the relative L2 error of the logits (TF32 takes fp16's)
  };
  // fp32 with backend.tf32 = false is full fp32; TF32 (the default, as in
  // PyTorch) and the mixed precisions round more.
  for (const Case& c : {Case{"unet", "[model]\nbase_channels = 16\ndepth = 4\n", 1e-3, 1e-2, 4e-2},
                        Case{"unet_resnet34", "[model]\nencoder = resnet34\n", 1e-3, 1e-2, 4e-2}}) {
    SCOPED_TRACE(c.name);
    const Graph graph = build_model(config_on("cpu", c.ini));
    const NamedTensors weights = initialize_parameters(graph, 11);
    Tensor images, targets;
    test::random_batch(2, 64, 12, images, targets);
    auto cpu = make_backend(config_on("cpu", c.ini))->compile(graph, weights, compile_options(config_on("cpu", c.ini)));
    const Tensor reference = cpu->logits(images);
    for (const auto& [precision, bound] : {std::pair<std::string, double>{"fp32", c.fp32}, {"tf32", c.fp16},
                                           {"fp16", c.fp16}, {"bf16", c.bf16}}) {
      const Config config = precision == "fp32"   ? config_on("cuda", c.ini + "[backend]\ntf32 = false\n")
                            : precision == "tf32" ? config_on("cuda", c.ini)
                                                  : config_on("cuda", c.ini, precision);
      auto gpu = make_backend(config)->compile(graph, weights, compile_options(config));
      ASSERT_EQ(gpu->device(), "cuda:0");
      const Tensor out = gpu->logits(images);
      ASSERT_EQ(out.shape(), reference.shape());
      const double error = relative_l2(out, reference);
      std::printf("[ figures  ] %s %s: relative L2 error of the logits against the CPU %.2e\n", c.name,
                  precision.c_str(), error);
      EXPECT_LT(error, bound) << precision;
    }
  }
}

TEST(Cuda, ShortTrainingLowersTheLossInEveryPrecision) {
  REQUIRE_CUDA();
  Tensor images, targets;
  test::random_batch(4, 64, 21, images, targets);
  for (const char* precision : {"fp32", "fp16", "bf16"}) {
    SCOPED_TRACE(precision);
    auto net = test::compile_network(config_on("cuda", "[model]\nbase_channels = 16\ndepth = 3\n", precision), 5);
    const float first = net->train_step(images, targets, 3e-3);
    float last = first;
    for (int i = 0; i < 40; ++i) last = net->train_step(images, targets, 3e-3);
    std::printf("[ figures  ] %s: loss %.4f -> %.4f in 41 steps\n", precision, first, last);
    EXPECT_TRUE(std::isfinite(last));
    EXPECT_LT(last, 0.7f * first);
  }
}

TEST(Cuda, WeightsAndOptimizerStateMoveBetweenCpuAndCuda) {
  REQUIRE_CUDA();
  const std::string model =
      "[model]\nbase_channels = 8\ndepth = 3\n[train]\noptimizer = adamw\n[backend]\ntf32 = false\n";
  Tensor images, targets;
  test::random_batch(2, 32, 31, images, targets);
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"cuda", "cpu"}, {"cpu", "cuda"}}) {
    SCOPED_TRACE(from + " -> " + to);
    auto a = test::compile_network(config_on(from, model), 1);
    for (int i = 0; i < 3; ++i) a->train_step(images, targets, 1e-2);
    auto b = test::compile_network(config_on(to, model), 2);
    b->load_weights(a->weights());
    b->load_optimizer_state(a->optimizer_state());
    EXPECT_EQ(b->optimizer_state().at("step")[0], 3.0f);
    EXPECT_LT(relative_l2(b->predict(images), a->predict(images)), 1e-3);
    const float la = a->train_step(images, targets, 5e-3), lb = b->train_step(images, targets, 5e-3);
    EXPECT_NEAR(lb, la, 1e-3 * std::abs(la));
    EXPECT_LT(test::max_relative_difference(b->weights(), a->weights()), 1e-2);
  }
}

}  // namespace
}  // namespace seglab
