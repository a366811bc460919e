// The U-Net graph: shapes, parameter names and counts, checked against an
// independent PyTorch module (tests/python/unet_reference.py).
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "core/error.h"
#include "engine/experiment.h"
#include "models/model_registry.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

Config unet_config(int base, int depth, const std::string& upsampling = "transposed", bool bn = true,
                   int classes = 2) {
  std::ostringstream text;
  text << "[model]\nbase_channels = " << base << "\ndepth = " << depth << "\nupsampling = " << upsampling
       << "\nbatch_norm = " << (bn ? "true" : "false") << "\nnum_classes = " << classes << "\n";
  return config_from_text(text.str(), "test");
}

std::map<std::string, Shape> graph_parameters(const Graph& g) {
  std::map<std::string, Shape> out;
  for (const auto& p : g.params()) out[p.name] = p.shape;
  return out;
}

std::map<std::string, Shape> reference_parameters(int base, int depth, int out, const std::string& upsampling, bool bn) {
  const auto result = test::run_command(std::string(test::python()) + " " + test::source_dir() +
                                        "/tests/python/unet_reference.py names " + std::to_string(base) + " " +
                                        std::to_string(depth) + " " + std::to_string(out) + " " + upsampling + " " +
                                        (bn ? "true" : "false"));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  std::map<std::string, Shape> params;
  std::istringstream lines(result.output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    Shape shape;
    int64_t d;
    while (words >> d) shape.push_back(d);
    params[name] = shape;
  }
  return params;
}

TEST(UNetGraph, ShapesFollowTheClassicUNet) {
  const Graph g = build_model(unet_config(64, 4));
  const ShapeMap shapes = g.infer_shapes(2, 256, 256);
  EXPECT_EQ(shapes[g.outputs()[0]], (Shape{2, 1, 256, 256}));
  const int expected_channels[] = {64, 128, 256, 512, 1024};
  for (int i = 0; i <= 4; ++i) {
    const Shape& s = shapes[g.tagged("features." + std::to_string(i))];
    EXPECT_EQ(s, (Shape{2, expected_channels[i], 256 >> i, 256 >> i})) << "features." << i;
  }
  EXPECT_EQ(g.max_stride(), 16);
}

TEST(UNetGraph, ParameterCountOfTheClassicUNet) {
  // Ronneberger's U-Net with batch norm and transposed upsampling, counted by
  // hand: each stage/block has two 3x3 convs (no bias) with BN (2 x channels).
  auto double_conv = [](int64_t cin, int64_t cout) { return cin * cout * 9 + 2 * cout + cout * cout * 9 + 2 * cout; };
  int64_t expected = 0;
  int64_t cin = 3;
  for (int i = 0; i <= 4; ++i) {
    expected += double_conv(cin, 64 << i);
    cin = 64 << i;
  }
  for (int level = 3; level >= 0; --level) {
    const int64_t c = 64 << level;
    expected += (2 * c) * c * 4 + c;     // transposed 2x2 conv 2c -> c with bias
    expected += double_conv(2 * c, c);   // after concatenating the skip
  }
  expected += 64 + 1;  // 1x1 head
  const Graph g = build_model(unet_config(64, 4));
  EXPECT_EQ(g.trainable_parameter_count(), expected);
  EXPECT_EQ(expected, 31037633);  // pinned, so a change to the builder shows here too
}

TEST(UNetGraph, ParameterNamesAndShapesMatchAPyTorchModule) {
  for (const auto& [upsampling, bn] : std::vector<std::pair<std::string, bool>>{
           {"transposed", true}, {"bilinear", true}, {"transposed", false}}) {
    const Graph g = build_model(unet_config(8, 3, upsampling, bn));
    EXPECT_EQ(graph_parameters(g), reference_parameters(8, 3, 1, upsampling, bn)) << upsampling << " bn=" << bn;
  }
  const auto names = graph_parameters(build_model(unet_config(8, 3)));
  EXPECT_TRUE(names.count("encoder.stage0.conv1.weight"));
  EXPECT_TRUE(names.count("encoder.stage3.bn2.running_var"));
  EXPECT_TRUE(names.count("decoder.block0.up.weight"));
  EXPECT_TRUE(names.count("head.bias"));
}

TEST(UNetGraph, MultiClassHeadHasOneChannelPerClass) {
  const Graph g = build_model(unet_config(8, 2, "transposed", true, 4));
  EXPECT_EQ(g.infer_shapes(1, 32, 32)[g.outputs()[0]], (Shape{1, 4, 32, 32}));
}

TEST(UNetGraph, ImageSizeNotAMultipleOfTheStrideIsAModelError) {
  const Graph g = build_model(unet_config(8, 3));
  try {
    g.infer_shapes(1, 60, 60);
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_NE(e.remedy().find("multiple of 8"), std::string::npos) << e.describe();
  }
}

}  // namespace
}  // namespace seglab
