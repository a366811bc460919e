#pragma once
// One allocation for the buffers of a Plan whose contents matter only between
// two of its steps (internal to this folder). Buffers whose lifetimes do not
// overlap share memory: gradients of the encoder are written long after those
// of the decoder are consumed, and in inference an activation is dead after its
// last reader. Offsets are assigned once, when the plan is built.
#include <dnnl.hpp>

#include <cstddef>
#include <vector>

namespace seglab::onednn_backend {

class Arena {
 public:
  // A memory without storage, live from step `first` to step `last`
  // (inclusive); finish() gives it its place.
  dnnl::memory add(const dnnl::memory::desc& md, const dnnl::engine& engine, int first, int last);
  // Changes the lifetime of a buffer handed out by add().
  void set_lifetime(const dnnl::memory& mem, int first, int last);
  // Assigns offsets (largest first, lowest free offset) and allocates.
  void finish();
  size_t bytes() const { return storage_.size(); }
  size_t requested_bytes() const;

 private:
  struct Block {
    dnnl::memory mem;
    size_t size;
    int first, last;
    size_t offset = 0;
  };
  std::vector<Block> blocks_;
  std::vector<char> storage_;
};

}  // namespace seglab::onednn_backend
