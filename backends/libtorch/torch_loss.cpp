#include "backends/libtorch/torch_loss.h"

#include "core/confusion_matrix.h"
#include "core/error.h"

namespace seglab::torch_backend {
namespace {

// Soft Dice loss per image and class, averaged: 1 - (2|P.T| + s) / (|P| + |T| + s).
at::Tensor dice_loss(const at::Tensor& probabilities, const at::Tensor& one_hot, const at::Tensor& valid,
                     double smooth) {
  const auto p = probabilities * valid;
  const auto t = one_hot * valid;
  const std::vector<int64_t> spatial{2, 3};
  const auto intersection = (p * t).sum(spatial);
  const auto total = p.sum(spatial) + t.sum(spatial);
  return (1.0 - (2.0 * intersection + smooth) / (total + smooth)).mean();
}

}  // namespace

at::Tensor compute_loss(const LossSpec& spec, const at::Tensor& logits, const at::Tensor& target) {
  const auto valid = (target != static_cast<float>(kIgnoreIndex)).to(logits.scalar_type());
  if (logits.size(1) == 1) {
    const auto t = target * valid;  // ignored pixels become 0 and carry no weight
    at::Tensor loss;
    if (spec.name == "bce" || spec.name == "bce_dice") {
      const auto count = valid.sum().clamp_min(1.0);
      loss = at::binary_cross_entropy_with_logits(logits, t, valid, {}, at::Reduction::Sum) / count;
    }
    if (spec.name == "dice" || spec.name == "bce_dice") {
      const auto d = dice_loss(at::sigmoid(logits), t, valid, spec.dice_smooth);
      loss = loss.defined() ? loss + d : d;
    }
    if (!loss.defined()) throw BackendError("loss '" + spec.name + "' is not defined for binary segmentation");
    return loss;
  }
  const auto classes = target.squeeze(1).to(at::kLong);
  if (spec.name == "cross_entropy")
    return at::cross_entropy_loss(logits, classes, {}, at::Reduction::Mean, kIgnoreIndex);
  if (spec.name == "dice") {
    const int64_t k = logits.size(1);
    const auto safe = classes.masked_fill(classes == kIgnoreIndex, 0);
    const auto one_hot = at::one_hot(safe, k).permute({0, 3, 1, 2}).to(logits.scalar_type());
    const auto probabilities = at::softmax(logits, 1);
    // Foreground classes only, as the headline metrics.
    return dice_loss(probabilities.narrow(1, 1, k - 1), one_hot.narrow(1, 1, k - 1), valid, spec.dice_smooth);
  }
  throw BackendError("loss '" + spec.name + "' is not defined for multi-class segmentation");
}

}  // namespace seglab::torch_backend
