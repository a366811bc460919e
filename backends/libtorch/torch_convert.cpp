#include "backends/libtorch/torch_convert.h"

#include <ATen/Parallel.h>

#include <cstring>

namespace seglab::torch_backend {
namespace {

// A batch is tens of MB: one thread copies it at a few GB/s, which on CUDA is
// time the GPU waits for; the copy is split over LibTorch's threads.
void copy_floats(float* to, const float* from, int64_t count) {
  constexpr int64_t kGrain = int64_t{1} << 18;  // 1 MiB of floats per task
  at::parallel_for(0, count, kGrain, [&](int64_t begin, int64_t end) {
    std::memcpy(to + begin, from + begin, sizeof(float) * static_cast<size_t>(end - begin));
  });
}

}  // namespace

at::Tensor to_torch(const Tensor& tensor, const at::Device& device) {
  // For CUDA the host copy is pinned (from LibTorch's caching host allocator,
  // so no page-locking per batch) and the upload is asynchronous: the host goes
  // on queueing work while the copy runs.
  const bool upload = !device.is_cpu();
  auto host = at::empty(tensor.shape(), at::TensorOptions().dtype(at::kFloat).pinned_memory(upload));
  if (tensor.numel() > 0) copy_floats(host.data_ptr<float>(), tensor.data(), tensor.numel());
  return upload ? host.to(device, /*non_blocking=*/true) : host;
}

Tensor from_torch(const at::Tensor& tensor) {
  Tensor out(Shape(tensor.sizes().begin(), tensor.sizes().end()));
  if (out.numel() == 0) return out;
  if (tensor.is_cpu()) {
    const at::Tensor cpu = tensor.detach().to(at::kFloat).contiguous();
    copy_floats(out.data(), cpu.data_ptr<float>(), out.numel());
  } else {
    // Straight from the device into the result's memory: no host intermediate.
    at::from_blob(out.data(), tensor.sizes(), at::TensorOptions().dtype(at::kFloat))
        .copy_(tensor.detach().to(at::kFloat).contiguous());
  }
  return out;
}

}  // namespace seglab::torch_backend
