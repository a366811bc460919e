// bf16 on the oneDNN backend: bf16 activations and compute weights, fp32
// master weights, gradients and optimizer. Compared with the LibTorch backend
// in fp32 on the same weights, within the looser bounds that bf16's 8-bit
// mantissa allows (relative to each tensor's largest value): forward 3e-2,
// convolution weight gradients 5e-1, 20-step loss curve 2e-2. Measured:
// forward 6e-3, loss curve 1e-3, gradients 3.2e-1 at worst, in the bottleneck
// convolution, whose gradient passes through a batch-norm backward in bf16
// (small batch statistics, a difference of nearly equal terms). Biases and
// batch-norm parameters are left out of the gradient bound: some have an fp32
// gradient that is zero up to rounding (a bias ahead of a batch norm), where a
// relative bound means nothing. A CPU without AVX512-BF16 or AMX is refused
// with a message that says so.
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/backends/backend_test_support.h"
#include "tests/backends/onednn_parity_support.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

constexpr double kForwardBound = 3e-2;
constexpr double kGradientBound = 5e-1;
constexpr double kLossCurveBound = 2e-2;

bool cpu_runs_bf16() {
  const Config config = test::small_unet_config("[backend]\nname = onednn\n");
  const auto precisions = make_backend(config)->capabilities().precisions;
  return std::find(precisions.begin(), precisions.end(), "bf16") != precisions.end();
}

TEST(OneDnnBf16, UNetForwardGradientsAndLossCurveFollowFp32) {
  if (!cpu_runs_bf16()) GTEST_FAIL() << "this CPU has no AVX512-BF16: the bf16 path cannot be tested here";
  const Graph graph = build_model(test::small_unet_config("[model]\nbase_channels = 16\ndepth = 2\n"));
  const NamedTensors weights = test::varied_weights(graph, 3);
  CompileOptions bf16 = test::parity_options("bce_dice", 2, "adamw");
  bf16.precision = "bf16";
  auto reference = test::compile_with("libtorch", graph, weights, test::parity_options("bce_dice", 2, "adamw"));
  auto dnn = test::compile_with("onednn", graph, weights, bf16);
  Tensor images, targets;
  test::random_batch(2, 32, 8, images, targets);
  const double forward = test::scaled_difference(dnn->logits(images), reference->logits(images));
  double worst_loss = 0, gradients = 0;
  std::string worst_name;
  for (int step = 0; step < 20; ++step) {
    const float expected = reference->train_step(images, targets, 1e-3);
    const float got = dnn->train_step(images, targets, 1e-3);
    worst_loss = std::max(worst_loss, std::abs(static_cast<double>(got) - expected) / std::abs(expected));
    if (step == 0) {
      NamedTensors mine, theirs;
      for (const auto& [name, g] : reference->gradients())
        if (g.rank() == 4) {
          theirs[name] = g;
          mine[name] = dnn->gradients().at(name);
        }
      gradients = test::scaled_difference(mine, theirs, &worst_name);
    }
  }
  std::printf("bf16 vs fp32: forward %.2e, convolution weight gradients %.2e (worst %s), 20-step loss curve %.2e\n",
              forward, gradients, worst_name.c_str(), worst_loss);
  EXPECT_LE(forward, kForwardBound);
  EXPECT_LE(gradients, kGradientBound);
  EXPECT_LE(worst_loss, kLossCurveBound);
  EXPECT_GT(forward, 0.0);  // it did run in bf16
}

TEST(OneDnnBf16, CpuWithoutBf16IsRefusedClearly) {
  // ONEDNN_MAX_CPU_ISA hides the CPU's bf16 instructions from oneDNN.
  test::TempDir dir;
  test::write_text_file(dir / "exp.ini", "[backend]\nname = onednn\nprecision = bf16\n");
  const auto r = test::run_command("ONEDNN_MAX_CPU_ISA=AVX512_CORE " + std::string(SEGLAB_BINARY) + " train " +
                                   (dir / "exp.ini") + " --store " + (dir / "store"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("precision bf16 needs a CPU with AVX512-BF16 or AMX instructions, which this one lacks"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("backend.precision = fp32"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace seglab
