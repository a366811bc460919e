#pragma once
// Convenience layer over Graph for builders: one call per PyTorch module, named
// by its module path ("encoder.layer1.0.conv1").
#include <string>
#include <vector>

#include "models/graph.h"

namespace seglab {

class GraphBuilder {
 public:
  explicit GraphBuilder(Graph& graph) : graph_(graph) {}

  Graph& graph() { return graph_; }
  int64_t channels(int node) const { return graph_.node(node).channels; }

  int conv(int x, const std::string& name, int64_t out_channels, int kernel, int stride = 1, int padding = 0,
           bool bias = true, int groups = 1, int dilation = 1);
  int conv_transpose(int x, const std::string& name, int64_t out_channels, int kernel, int stride, bool bias = true);
  int batch_norm(int x, const std::string& name, double eps = 1e-5, double momentum = 0.1);
  int relu(int x) { return graph_.add(Op::relu, {x}); }
  int relu6(int x) { return graph_.add(Op::relu6, {x}); }
  int silu(int x) { return graph_.add(Op::silu, {x}); }
  int sigmoid(int x) { return graph_.add(Op::sigmoid, {x}); }
  int max_pool(int x, int kernel, int stride, int padding = 0);
  int avg_pool(int x, int kernel, int stride, int padding = 0);
  int global_avg_pool(int x) { return graph_.add(Op::global_avg_pool, {x}); }
  int upsample(int x, int scale);
  int concat(const std::vector<int>& xs) { return graph_.add(Op::concat, xs); }
  int add(int a, int b) { return graph_.add(Op::add, {a, b}); }
  int mul(int a, int b) { return graph_.add(Op::mul, {a, b}); }

  // conv -> [batch norm] -> relu; the conv has a bias only without batch norm.
  int conv_bn_relu(int x, const std::string& conv_name, const std::string& bn_name, int64_t out_channels, int kernel,
                   int padding, bool batch_norm);

 private:
  Graph& graph_;
};

}  // namespace seglab
