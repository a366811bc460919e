#include "models/graph.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "models/graph_builder.h"
#include "models/parameter_init.h"

namespace seglab {

TEST(Graph, ConvCreatesNamedParametersWithPyTorchShapes) {
  Graph g;
  GraphBuilder b(g);
  const int x = g.add_input(3);
  const int y = b.conv(x, "stem.conv", 16, 3, 2, 1, true);
  const int z = b.conv_transpose(y, "up", 8, 2, 2, false);
  ASSERT_EQ(g.params().size(), 3u);
  EXPECT_EQ(g.params()[0].name, "stem.conv.weight");
  EXPECT_EQ(g.params()[0].shape, (Shape{16, 3, 3, 3}));
  EXPECT_EQ(g.params()[1].name, "stem.conv.bias");
  EXPECT_EQ(g.params()[2].shape, (Shape{16, 8, 2, 2}));  // transposed: [in, out, k, k]
  const ShapeMap s = g.infer_shapes(1, 31, 31);
  EXPECT_EQ(s[y], (Shape{1, 16, 16, 16}));
  EXPECT_EQ(s[z], (Shape{1, 8, 32, 32}));
}

TEST(Graph, MisfitsNameTheNode) {
  Graph g;
  GraphBuilder b(g);
  const int x = g.add_input(3);
  const int half = b.max_pool(x, 2, 2);
  try {
    b.concat({x, half});
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("different resolutions"), std::string::npos);
  }
  EXPECT_THROW(b.conv(x, "grouped", 16, 3, 1, 1, false, /*groups=*/2), ModelError);  // 3 channels in 2 groups
  const int a = b.conv(x, "a", 4, 1);
  EXPECT_THROW(b.add(a, x), ModelError);
  EXPECT_THROW(b.conv(x, "a", 4, 1), ModelError);  // parameter names must be unique
}

TEST(Graph, FlopsOfAConvolution) {
  Graph g;
  GraphBuilder b(g);
  b.conv(g.add_input(3), "c", 8, 3, 1, 1, false);
  EXPECT_DOUBLE_EQ(g.forward_flops(10, 10), 2.0 * 8 * 3 * 9 * 100);
}

TEST(ParameterInit, PyTorchDefaultBoundsAndStableStreams) {
  Graph g;
  GraphBuilder b(g);
  const int x = b.conv(g.add_input(4), "c", 8, 3, 1, 1, true);
  b.batch_norm(x, "bn");
  const NamedTensors w = initialize_parameters(g, 1);
  const double bound = 1.0 / std::sqrt(4.0 * 9);
  for (float v : w.at("c.weight").values()) EXPECT_LE(std::fabs(v), bound);
  EXPECT_EQ(w.at("bn.weight")[0], 1.0f);
  EXPECT_EQ(w.at("bn.running_var")[3], 1.0f);
  EXPECT_EQ(w.at("bn.running_mean")[3], 0.0f);
  EXPECT_EQ(initialize_parameters(g, 1).at("c.weight").values(), w.at("c.weight").values());
  EXPECT_NE(initialize_parameters(g, 2).at("c.weight").values(), w.at("c.weight").values());
}

}  // namespace seglab
