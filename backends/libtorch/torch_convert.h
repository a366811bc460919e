#pragma once
// Conversions between seglab's Tensor and at::Tensor (internal to this folder).
#include <ATen/ATen.h>

#include "core/tensor.h"

namespace seglab::torch_backend {

at::Tensor to_torch(const Tensor& tensor, const at::Device& device);
Tensor from_torch(const at::Tensor& tensor);

}  // namespace seglab::torch_backend
