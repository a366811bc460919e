#include "backends/libtorch/torch_amp.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace seglab::torch_backend {

// LibTorch 2.4 made autocast's switches per device type; 1.13 (Debian 12) has
// the CUDA-only functions.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define SEGLAB_AUTOCAST_PER_DEVICE 1
#endif

AutocastScope::AutocastScope(at::DeviceType device, at::ScalarType dtype)
    : device_(device), active_(dtype != at::kFloat && device == at::kCUDA) {
  if (!active_) return;
#ifdef SEGLAB_AUTOCAST_PER_DEVICE
  was_enabled_ = at::autocast::is_autocast_enabled(device_);
  previous_dtype_ = at::autocast::get_autocast_dtype(device_);
  at::autocast::set_autocast_dtype(device_, dtype);
  at::autocast::set_autocast_enabled(device_, true);
#else
  was_enabled_ = at::autocast::is_enabled();
  previous_dtype_ = at::autocast::get_autocast_gpu_dtype();
  at::autocast::set_autocast_gpu_dtype(dtype);
  at::autocast::set_enabled(true);
#endif
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  // As torch.autocast's __exit__: the weights' casts are cached for the scope only.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#ifdef SEGLAB_AUTOCAST_PER_DEVICE
  at::autocast::set_autocast_enabled(device_, was_enabled_);
  at::autocast::set_autocast_dtype(device_, previous_dtype_);
#else
  at::autocast::set_enabled(was_enabled_);
  at::autocast::set_autocast_gpu_dtype(previous_dtype_);
#endif
}

LossScaler::LossScaler(const at::Device& device)
    : scale_(at::full({1}, 65536.0, at::TensorOptions().dtype(at::kFloat).device(device))),
      growth_tracker_(at::zeros({1}, at::TensorOptions().dtype(at::kInt).device(device))),
      found_inf_(at::zeros({1}, at::TensorOptions().dtype(at::kFloat).device(device))) {}

bool LossScaler::unscale(const std::vector<at::Tensor>& gradients) {
  found_inf_.zero_();
  if (!gradients.empty())
    at::_amp_foreach_non_finite_check_and_unscale_(gradients, found_inf_, scale_.reciprocal());
  return found_inf_.item<float>() == 0.0f;
}

void LossScaler::update() {
  at::_amp_update_scale_(scale_, growth_tracker_, found_inf_, /*growth_factor=*/2.0, /*backoff_factor=*/0.5,
                         /*growth_interval=*/2000);
}

}  // namespace seglab::torch_backend
