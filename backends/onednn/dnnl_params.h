#pragma once
// The parameters and buffers of a network on the oneDNN backend: fp32 master
// values and the gradients of the trainable ones (internal to this folder).
//
// Each is stored in PyTorch's layout, except a convolution's weights once a
// training plan has given them the blocked layout its weight-gradient
// primitive writes (adopt_layout). Then that primitive writes the gradient
// straight into `grads`, the optimizer updates values and state in that
// layout (its update is elementwise, and a blocked layout's zero padding
// stays zero), and the forward or backward-data pass that wants the same
// blocking reads the master weights as they are: per convolution and training
// step, two or three weight reorders fewer. Everything that leaves or enters
// the backend by name (weights, gradients, optimizer state) is converted to
// or from PyTorch's layout.
#include <dnnl.hpp>

#include <vector>

#include "models/graph.h"

namespace seglab::onednn_backend {

struct Context {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
};

class ParamStore {
 public:
  // One entry per graph parameter, zero, in PyTorch's layout; gradients for
  // the trainable ones.
  ParamStore(Context& context, const std::vector<ParamSpec>& specs);

  std::vector<std::vector<float>> values;
  std::vector<std::vector<float>> grads;  // empty for buffers
  // Changes whenever values change, so inference plans know when to re-derive
  // folded or reordered weights.
  uint64_t version = 1;
  // Changes whenever a layout changes: plans built before it hold the old one.
  uint64_t layout_version = 0;

  bool is_plain(size_t i) const { return blocked_[i].is_zero(); }
  // What parameter i is stored in, given its PyTorch layout as a oneDNN
  // descriptor (a layer's view of it: oihw, iohw, goihw...).
  const dnnl::memory::desc& stored_layout(size_t i, const dnnl::memory::desc& plain) const {
    return is_plain(i) ? plain : blocked_[i];
  }

  // Stores parameter i, whose PyTorch layout `plain` describes, in `blocked`
  // (fp32, the same dimensions) from now on, converting its value and zeroing
  // its gradient. Only a parameter still in PyTorch's layout moves, so the
  // first training plan decides. Returns whether it moved.
  bool adopt_layout(size_t i, const dnnl::memory::desc& plain, const dnnl::memory::desc& blocked);

  // Parameter i's values (or any vector in its layout, such as optimizer
  // state) in PyTorch's layout, and back.
  std::vector<float> to_plain(size_t i, const std::vector<float>& stored) const;
  std::vector<float> from_plain(size_t i, const std::vector<float>& plain) const;

 private:
  void convert(const dnnl::memory::desc& from_md, const float* from, const dnnl::memory::desc& to_md,
               float* to) const;

  Context& context_;
  std::vector<dnnl::memory::desc> plain_, blocked_;  // blocked_[i] zero: stored as PyTorch's
};

}  // namespace seglab::onednn_backend
