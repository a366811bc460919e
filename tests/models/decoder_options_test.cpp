// The decoder options (attention gates, scSE, deep supervision, upsampling)
// on a resnet18 encoder against an independent PyTorch implementation
// (tests/python/decoder_reference.py): same parameter names and shapes, same
// logits at every output for the same weights.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <tuple>

#include "backends/training_registries.h"
#include "core/rng.h"
#include "engine/experiment.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

struct Variant {
  std::string upsampling;
  bool attention, scse, deep;
  std::string args() const {
    auto b = [](bool v) { return v ? std::string("true") : std::string("false"); };
    return upsampling + " " + b(attention) + " " + b(scse) + " " + b(deep);
  }
  Config config() const {
    auto b = [](bool v) { return v ? std::string("true") : std::string("false"); };
    return config_from_text("[model]\nencoder = resnet18\nupsampling = " + upsampling + "\nattention = " + b(attention) +
                                "\nscse = " + b(scse) + "\ndeep_supervision = " + b(deep) + "\n[backend]\ndevice = cpu\n",
                            "test");
  }
};

// The CTest name shows the options, not the struct's bytes (which hold
// pointers, so the name would change from build to build).
void PrintTo(const Variant& v, std::ostream* os) { *os << v.args(); }

std::string python(const std::string& args) {
  const auto result =
      test::run_command(std::string(test::python()) + " " + test::source_dir() + "/tests/python/decoder_reference.py " + args);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  return result.output;
}

class DecoderOptions : public ::testing::TestWithParam<Variant> {};

TEST_P(DecoderOptions, NamesAndOutputsMatchPyTorch) {
  const Variant v = GetParam();
  const Graph graph = build_model(v.config());

  std::map<std::string, Shape> expected, actual;
  std::istringstream lines(python("names " + v.args()));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    Shape shape;
    int64_t d;
    while (words >> d) shape.push_back(d);
    expected[name] = shape;
  }
  for (const auto& p : graph.params()) actual[p.name] = p.shape;
  ASSERT_EQ(actual, expected);
  ASSERT_EQ(graph.outputs().size(), v.deep ? 5u : 1u);

  // Random weights with non-trivial batch-norm statistics, so eval mode matters.
  NamedTensors weights = initialize_parameters(graph, 11);
  Rng rng(5);
  for (auto& [name, t] : weights) {
    const bool mean = name.find("running_mean") != std::string::npos, var = name.find("running_var") != std::string::npos;
    if (mean || var)
      for (auto& x : t.values()) x = mean ? 0.1f * static_cast<float>(rng.normal()) : 0.5f + static_cast<float>(rng.uniform());
  }
  test::TempDir dir;
  test::write_npy_dir(dir / "weights", weights);
  Tensor input({1, 3, 64, 64});
  for (auto& x : input.values()) x = static_cast<float>(rng.normal());
  test::write_npy(dir / "input.npy", input);
  python("forward " + v.args() + " " + dir.path());

  const Config config = v.config();
  auto network = make_backend(config)->compile(graph, weights, compile_options(config));
  const std::vector<Tensor> outputs = network->node_values(input, graph.outputs());
  for (size_t k = 0; k < outputs.size(); ++k) {
    const Tensor reference = test::read_npy(dir / ("output" + std::to_string(k) + ".npy"));
    ASSERT_EQ(outputs[k].shape(), (Shape{1, 1, 64, 64}));
    double scale = 0;
    for (float x : reference.values()) scale = std::max(scale, std::fabs(double(x)));
    EXPECT_LE(max_abs_difference(outputs[k], reference), 1e-4 * scale) << "output " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(Resnet18, DecoderOptions,
                         ::testing::Values(Variant{"transposed", true, true, true}, Variant{"bilinear", true, false, false},
                                           Variant{"bilinear", false, true, true}),
                         [](const auto& info) {
                           const Variant& v = info.param;
                           return v.upsampling + (v.attention ? "_attention" : "") + (v.scse ? "_scse" : "") +
                                  (v.deep ? "_deep" : "");
                         });

TEST(DecoderOptionsTraining, DeepSupervisionTrainsOnTheMeanLossOfAllHeads) {
  const Variant v{"transposed", true, true, true};
  const Config config = v.config();
  const Graph graph = build_model(config);
  auto network = make_backend(config)->compile(graph, initialize_parameters(graph, 2), compile_options(config));
  Tensor images({2, 3, 32, 32}), targets({2, 1, 32, 32});
  Rng rng(9);
  for (auto& x : images.values()) x = static_cast<float>(rng.normal());
  for (int64_t i = 0; i < targets.numel(); ++i) targets[i] = (i % 32) < 12 ? 1.0f : 0.0f;
  std::vector<float> losses;
  for (int step = 0; step < 5; ++step) losses.push_back(network->train_step(images, targets, 1e-3));
  EXPECT_LT(losses.back(), losses.front());
  // The auxiliary heads were trained too: their weights moved from the start.
  const NamedTensors after = network->weights();
  const NamedTensors before = initialize_parameters(graph, 2);
  EXPECT_GT(max_abs_difference(after.at("aux_heads.0.weight"), before.at("aux_heads.0.weight")), 0.0);
}

}  // namespace
}  // namespace seglab
