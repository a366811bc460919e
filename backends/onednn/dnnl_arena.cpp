#include "backends/onednn/dnnl_arena.h"

#include <algorithm>
#include <cstdint>

namespace seglab::onednn_backend {
namespace {

constexpr size_t kAlignment = 64;  // oneDNN's preferred alignment (a cache line)

size_t aligned(size_t size) { return (size + kAlignment - 1) / kAlignment * kAlignment; }

}  // namespace

dnnl::memory Arena::add(const dnnl::memory::desc& md, const dnnl::engine& engine, int first, int last) {
  dnnl::memory mem(md, engine, DNNL_MEMORY_NONE);
  blocks_.push_back({mem, aligned(std::max<size_t>(md.get_size(), 1)), first, last});
  return mem;
}

void Arena::set_lifetime(const dnnl::memory& mem, int first, int last) {
  for (auto& b : blocks_)
    if (b.mem.get() == mem.get()) {
      b.first = first;
      b.last = last;
    }
}

size_t Arena::requested_bytes() const {
  size_t total = 0;
  for (const auto& b : blocks_) total += b.size;
  return total;
}

void Arena::finish() {
  std::vector<Block*> order;
  for (auto& b : blocks_) order.push_back(&b);
  std::stable_sort(order.begin(), order.end(), [](const Block* a, const Block* b) { return a->size > b->size; });
  std::vector<Block*> placed;
  size_t total = 0;
  for (Block* b : order) {
    // Address ranges of placed blocks alive at the same time, by offset.
    std::vector<std::pair<size_t, size_t>> busy;
    for (const Block* p : placed)
      if (p->first <= b->last && b->first <= p->last) busy.emplace_back(p->offset, p->offset + p->size);
    std::sort(busy.begin(), busy.end());
    size_t offset = 0;
    for (const auto& [begin, end] : busy) {
      if (offset + b->size <= begin) break;
      offset = std::max(offset, end);
    }
    b->offset = offset;
    total = std::max(total, offset + b->size);
    placed.push_back(b);
  }
  storage_.assign(total + kAlignment, 0);
  char* base = storage_.data() + (kAlignment - reinterpret_cast<uintptr_t>(storage_.data()) % kAlignment) % kAlignment;
  for (auto& b : blocks_) b.mem.set_data_handle(base + b.offset);
}

}  // namespace seglab::onednn_backend
