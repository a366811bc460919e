// The LibTorch backend against an independent PyTorch model in Python
// (tests/python/unet_reference.py): same weights and inputs, same outputs;
// same training steps, same weights afterwards.
#include <gtest/gtest.h>

#include <sstream>

#include "core/rng.h"
#include "tests/backends/backend_test_support.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

const char* kArgs = " 4 2 1 transposed true ";

// Initial weights with non-trivial batch-norm statistics and affine terms.
NamedTensors random_weights(const Graph& graph) {
  NamedTensors w = initialize_parameters(graph, 11);
  Rng rng(12);
  for (auto& [name, t] : w) {
    if (name.find(".bn") == std::string::npos || name.find("num_batches") != std::string::npos) continue;
    for (auto& v : t.values())
      v = name.find("running_var") != std::string::npos ? static_cast<float>(rng.uniform(0.5, 2.0))
                                                         : static_cast<float>(rng.uniform(-0.5, 1.5));
  }
  return w;
}

std::string reference(const std::string& mode, const std::string& dir, const std::string& extra = {}) {
  const auto r = test::run_command(std::string(test::python()) + " " + test::source_dir() +
                                   "/tests/python/unet_reference.py " + mode + kArgs + dir + " " + extra);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return r.output;
}

TEST(LibTorchReference, ForwardMatchesPyTorch) {
  const Config config = test::small_unet_config();
  const Graph graph = build_model(config);
  const NamedTensors weights = random_weights(graph);
  auto net = make_backend(config)->compile(graph, weights, compile_options(config));
  Tensor images, targets;
  test::random_batch(2, 16, 21, images, targets);
  test::TempDir dir;
  test::write_npy_dir(dir / "weights", weights);
  test::write_npy(dir / "input.npy", images);
  reference("forward", dir.path());
  const Tensor expected = test::read_npy(dir / "output.npy");
  EXPECT_LT(max_abs_difference(net->predict(images), expected), 1e-5);
}

TEST(LibTorchReference, TrainingStepsMatchPyTorchOptimizers) {
  for (const std::string optimizer : {"adamw", "sgd"}) {
    const Config config = test::small_unet_config("[train]\noptimizer = " + optimizer + "\nloss = bce_dice\n");
    const Graph graph = build_model(config);
    const NamedTensors weights = random_weights(graph);
    auto net = make_backend(config)->compile(graph, weights, compile_options(config));
    Tensor images, targets;
    test::random_batch(2, 16, 22, images, targets);
    test::TempDir dir;
    test::write_npy_dir(dir / "weights", weights);
    test::write_npy(dir / "input.npy", images);
    test::write_npy(dir / "target.npy", targets);
    const std::vector<double> rates = {0.01, 0.005, 0.02};
    std::vector<float> losses;
    for (double lr : rates) losses.push_back(net->train_step(images, targets, lr));
    reference("train", dir.path(), optimizer + " 0.01 0.005 0.02");
    std::istringstream expected_losses(test::read_text_file(dir / "losses.txt"));
    for (float loss : losses) {
      double expected;
      expected_losses >> expected;
      EXPECT_NEAR(loss, expected, 1e-5) << optimizer;
    }
    const NamedTensors after = test::read_npy_dir(dir / "after");
    const NamedTensors ours = net->weights();
    double worst = 0;
    for (const auto& [name, t] : ours)
      worst = std::max(worst, max_abs_difference(t, after.at(name)) / (1e-3 + [&] {
                                double m = 0;
                                for (float v : after.at(name).values()) m = std::max(m, double(std::fabs(v)));
                                return m;
                              }()));
    EXPECT_LT(worst, 1e-4) << optimizer;
  }
}

}  // namespace
}  // namespace seglab
