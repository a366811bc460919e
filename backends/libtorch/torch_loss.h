#pragma once
// The losses of LossSpec on LibTorch tensors (internal to this folder).
#include <ATen/ATen.h>

#include "backends/backend.h"

namespace seglab::torch_backend {

// logits: N x K x H x W (K = 1 for binary); target: N x 1 x H x W class indices
// as floats, 255 = ignore. Returns a scalar.
at::Tensor compute_loss(const LossSpec& spec, const at::Tensor& logits, const at::Tensor& target);

}  // namespace seglab::torch_backend
