// Every torchvision encoder against torchvision itself: Python builds the
// torchvision model with random weights (batch-norm statistics included),
// saves them with torch.save(model.state_dict()), and writes the features at
// every scale for one input; seglab reads the .pth with its own reader, maps
// it by name onto encoder.*, runs the graph with the LibTorch backend and must
// reproduce every feature map (max |difference| <= 1e-4 of the largest value)
// with the same parameter count.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "backends/training_registries.h"
#include "models/pth/weights_error.h"
#include "engine/experiment.h"
#include "models/encoder_weights.h"
#include "models/model_registry.h"
#include "models/parameter_init.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

const int kSize = 64;

Config encoder_config(const std::string& encoder, const std::string& extra = {}) {
  return config_from_text("[model]\nencoder = " + encoder + "\n" + extra + "[backend]\ndevice = cpu\n", "test");
}

void run_reference(const std::string& mode, const std::string& args) {
  const auto result = test::run_command(std::string(test::python()) + " " + test::source_dir() +
                                        "/tests/python/torchvision_encoders.py " + mode + " " + args);
  ASSERT_EQ(result.exit_code, 0) << result.output;
}

int64_t encoder_parameter_count(const Graph& graph) {
  int64_t count = 0;
  for (const auto& p : graph.params())
    if (p.trainable && p.name.rfind("encoder.", 0) == 0) count += shape_numel(p.shape);
  return count;
}

double largest_magnitude(const Tensor& t) {
  double m = 0;
  for (float v : t.values()) m = std::max(m, std::fabs(double(v)));
  return m;
}

class EncoderReference : public ::testing::TestWithParam<std::string> {};

TEST_P(EncoderReference, FeaturesAndParameterCountMatchTorchvision) {
  const std::string encoder = GetParam();
  test::TempDir dir;
  run_reference("encoder", encoder + " " + std::to_string(kSize) + " " + dir.path());

  const Config config = encoder_config(encoder);
  const Graph graph = build_model(config);
  std::ifstream count_file(dir / "count.txt");
  int64_t torchvision_count = 0;
  count_file >> torchvision_count;
  EXPECT_EQ(encoder_parameter_count(graph), torchvision_count);

  NamedTensors weights = initialize_parameters(graph, 1);
  const EncoderWeightsReport report = import_encoder_weights(graph, read_pth(dir / "weights.pth"), true, weights);
  // Strict import succeeded: the graph's encoder.* names and shapes are
  // exactly torchvision's state_dict minus the classifier head.
  EXPECT_TRUE(report.fits()) << report.problems();
  EXPECT_EQ(report.loaded.size() + report.ignored.size(), read_pth(dir / "weights.pth").tensors.size());
  EXPECT_FALSE(report.ignored.empty());  // the classifier head
  auto network = make_backend(config)->compile(graph, weights, compile_options(config));

  std::vector<int> nodes;
  for (size_t i = 0;; ++i) {
    auto it = graph.tags().find("features." + std::to_string(i));
    if (it == graph.tags().end()) break;
    nodes.push_back(it->second);
  }
  ASSERT_EQ(nodes.size(), 5u);
  const std::vector<Tensor> features = network->node_values(test::read_npy(dir / "input.npy"), nodes);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Tensor expected = test::read_npy(dir / ("feature" + std::to_string(i) + ".npy"));
    ASSERT_EQ(features[i].shape(), expected.shape()) << "feature " << i;
    const double scale = largest_magnitude(expected);
    EXPECT_GT(scale, 0.0) << "feature " << i;
    EXPECT_LE(max_abs_difference(features[i], expected), 1e-4 * scale) << encoder << " feature " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Torchvision, EncoderReference,
                         ::testing::Values("resnet18", "resnet34", "resnet50", "vgg16_bn", "mobilenet_v2",
                                           "efficientnet_b0"),
                         [](const auto& info) { return info.param; });

TEST(EncoderWeights, NamesEveryMissingUnexpectedAndWronglyShapedTensor) {
  test::TempDir dir;
  run_reference("mismatch", dir.path());
  const Config config = encoder_config("resnet18");
  const Graph graph = build_model(config);
  const PthFile checkpoint = read_pth(dir / "mismatch.pth");
  NamedTensors weights = initialize_parameters(graph, 1);
  const NamedTensors before = weights;
  try {
    import_encoder_weights(graph, checkpoint, /*strict=*/true, weights);
    FAIL() << "a mismatched checkpoint was accepted";
  } catch (const WeightsError& e) {
    const std::string message = e.describe();
    EXPECT_NE(message.find("mismatch.pth: does not fit the encoder (1 missing, 1 unexpected, 1 wrongly shaped)"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("missing encoder.layer1.0.conv1.weight"), std::string::npos) << message;
    EXPECT_NE(message.find("unexpected extra.weight"), std::string::npos) << message;
    EXPECT_NE(message.find("wrong shape layer2.0.conv1.weight: checkpoint [128, 64, 1, 1], model [128, 64, 3, 3]"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("model.encoder_weights_strict = false"), std::string::npos) << message;
  }
  EXPECT_EQ(max_abs_difference(weights.at("encoder.conv1.weight"), before.at("encoder.conv1.weight")), 0.0)
      << "a refused checkpoint must not change any weight";

  const EncoderWeightsReport report = import_encoder_weights(graph, checkpoint, /*strict=*/false, weights);
  EXPECT_EQ(report.missing, std::vector<std::string>{"encoder.layer1.0.conv1.weight"});
  EXPECT_EQ(report.unexpected, std::vector<std::string>{"extra.weight"});
  EXPECT_EQ(report.wrong_shape.size(), 1u);
  EXPECT_EQ(report.ignored, (std::vector<std::string>{"fc.weight", "fc.bias"}));
  const NamedTensors saved = checkpoint.named();
  EXPECT_EQ(max_abs_difference(weights.at("encoder.conv1.weight"), saved.at("conv1.weight")), 0.0);
  EXPECT_EQ(max_abs_difference(weights.at("encoder.layer1.0.conv1.weight"), before.at("encoder.layer1.0.conv1.weight")), 0.0);
  EXPECT_EQ(max_abs_difference(weights.at("encoder.layer2.0.conv1.weight"), before.at("encoder.layer2.0.conv1.weight")), 0.0);
  EXPECT_EQ(report.loaded.size(), saved.size() - 2 /*fc*/ - 2 /*misfits*/);
}

}  // namespace
}  // namespace seglab
