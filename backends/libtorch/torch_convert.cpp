#include "backends/libtorch/torch_convert.h"

#include <cstring>

namespace seglab::torch_backend {

at::Tensor to_torch(const Tensor& tensor, const at::Device& device) {
  auto cpu = at::empty(tensor.shape(), at::TensorOptions().dtype(at::kFloat));
  if (tensor.numel() > 0) std::memcpy(cpu.data_ptr<float>(), tensor.data(), sizeof(float) * tensor.numel());
  return device.is_cpu() ? cpu : cpu.to(device, /*non_blocking=*/false);
}

Tensor from_torch(const at::Tensor& tensor) {
  const at::Tensor cpu = tensor.detach().to(at::kCPU, at::kFloat).contiguous();
  Tensor out(Shape(cpu.sizes().begin(), cpu.sizes().end()));
  if (out.numel() > 0) std::memcpy(out.data(), cpu.data_ptr<float>(), sizeof(float) * out.numel());
  return out;
}

}  // namespace seglab::torch_backend
