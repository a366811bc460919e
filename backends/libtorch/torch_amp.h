#pragma once
// Mixed precision for the LibTorch backend on CUDA (internal to this folder):
// autocast's thread-local switch held for a scope, and dynamic loss scaling for
// fp16 with the rules of torch.cuda.amp.GradScaler (start at 2^16, halve on a
// non-finite gradient and skip that step, double after 2000 clean steps).
#include <ATen/ATen.h>

#include <vector>

namespace seglab::torch_backend {

// Ops run in `dtype` where autocast's lists say so (convolutions, matrix
// products), in fp32 where precision matters (losses, softmax, norms). kFloat
// leaves autocast off.
class AutocastScope {
 public:
  AutocastScope(at::DeviceType device, at::ScalarType dtype);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  at::DeviceType device_;
  bool active_;
  bool was_enabled_ = false;
  at::ScalarType previous_dtype_ = at::kFloat;
};

class LossScaler {
 public:
  explicit LossScaler(const at::Device& device);
  at::Tensor scale(const at::Tensor& loss) const { return loss * scale_; }
  // Divides the gradients by the scale in place and tells whether all are
  // finite; reading that answer is the one wait for the device in an fp16 step.
  bool unscale(const std::vector<at::Tensor>& gradients);
  // Grows or shrinks the scale after the step (on the device, no wait).
  void update();

 private:
  at::Tensor scale_;           // float, 1 element
  at::Tensor growth_tracker_;  // int, 1 element
  at::Tensor found_inf_;       // float, 1 element
};

}  // namespace seglab::torch_backend
