#include "backends/onednn/dnnl_loss.h"

#include <algorithm>
#include <cmath>

#include "core/confusion_matrix.h"
#include "core/error.h"

namespace seglab::onednn_backend {
namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// Soft Dice loss 1 - (2 sum(p t) + s) / (sum p + sum t + s) of one image and
// class, averaged over `terms`; adds d loss / d p to dp (ignored pixels: 0).
double dice_term(const float* p, const float* t, const float* valid, int64_t area, double smooth, double terms,
                 float* dp) {
  double intersection = 0, total = 0;
  for (int64_t i = 0; i < area; ++i) {
    const double pv = static_cast<double>(p[i]) * valid[i], tv = static_cast<double>(t[i]) * valid[i];
    intersection += pv * tv;
    total += pv + tv;
  }
  const double numerator = 2 * intersection + smooth, denominator = total + smooth;
  for (int64_t i = 0; i < area; ++i) {
    const double tv = static_cast<double>(t[i]) * valid[i];
    const double d = -(2 * tv * denominator - numerator) / (denominator * denominator) / terms;
    dp[i] = static_cast<float>(d * valid[i]);
  }
  return (1.0 - numerator / denominator) / terms;
}

float binary_loss(const LossSpec& spec, const Tensor& logits, const Tensor& targets, Tensor& grad) {
  const bool bce = spec.name == "bce" || spec.name == "bce_dice";
  const bool dice = spec.name == "dice" || spec.name == "bce_dice";
  if (!bce && !dice) throw BackendError("loss '" + spec.name + "' is not defined for binary segmentation");
  const int64_t n = logits.dim(0), area = logits.dim(2) * logits.dim(3), total = n * area;
  std::vector<float> valid(static_cast<size_t>(total)), t(static_cast<size_t>(total));
  double count = 0;
  for (int64_t i = 0; i < total; ++i) {
    valid[i] = targets[i] == static_cast<float>(kIgnoreIndex) ? 0.0f : 1.0f;
    t[i] = targets[i] * valid[i];
    count += valid[i];
  }
  std::fill(grad.values().begin(), grad.values().end(), 0.0f);
  double loss = 0;
  if (bce) {
    const double denominator = std::max(count, 1.0);
    double sum = 0;
    for (int64_t i = 0; i < total; ++i) {
      const double x = logits[i];
      sum += valid[i] * (std::max(x, 0.0) - x * t[i] + std::log1p(std::exp(-std::abs(x))));
      grad[i] = static_cast<float>(valid[i] * (sigmoid(logits[i]) - t[i]) / denominator);
    }
    loss += sum / denominator;
  }
  if (dice) {
    std::vector<float> p(static_cast<size_t>(area)), dp(static_cast<size_t>(area));
    for (int64_t b = 0; b < n; ++b) {
      const int64_t at = b * area;
      for (int64_t i = 0; i < area; ++i) p[i] = sigmoid(logits[at + i]);
      loss += dice_term(p.data(), t.data() + at, valid.data() + at, area, spec.dice_smooth, static_cast<double>(n),
                        dp.data());
      for (int64_t i = 0; i < area; ++i) grad[at + i] += dp[i] * p[i] * (1 - p[i]);
    }
  }
  return static_cast<float>(loss);
}

float multi_class_loss(const LossSpec& spec, const Tensor& logits, const Tensor& targets, Tensor& grad) {
  const int64_t n = logits.dim(0), k = logits.dim(1), area = logits.dim(2) * logits.dim(3);
  // Softmax over classes, per pixel.
  std::vector<float> prob(static_cast<size_t>(logits.numel()));
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < area; ++i) {
      const float* x = logits.data() + b * k * area + i;
      float top = x[0];
      for (int64_t c = 1; c < k; ++c) top = std::max(top, x[c * area]);
      double sum = 0;
      for (int64_t c = 0; c < k; ++c) sum += std::exp(static_cast<double>(x[c * area] - top));
      for (int64_t c = 0; c < k; ++c)
        prob[b * k * area + c * area + i] = static_cast<float>(std::exp(static_cast<double>(x[c * area] - top)) / sum);
    }
  std::fill(grad.values().begin(), grad.values().end(), 0.0f);
  auto target_of = [&](int64_t b, int64_t i) { return static_cast<int64_t>(targets[b * area + i]); };
  if (spec.name == "cross_entropy") {
    double count = 0, sum = 0;
    for (int64_t b = 0; b < n; ++b)
      for (int64_t i = 0; i < area; ++i) {
        const int64_t c = target_of(b, i);
        if (c == kIgnoreIndex) continue;
        if (c < 0 || c >= k)
          throw BackendError("target class " + std::to_string(c) + " is outside 0.." + std::to_string(k - 1),
                             "cross_entropy loss");
        count += 1;
        sum -= std::log(std::max(static_cast<double>(prob[b * k * area + c * area + i]), 1e-300));
      }
    for (int64_t b = 0; b < n; ++b)
      for (int64_t i = 0; i < area; ++i) {
        const int64_t c = target_of(b, i);
        if (c == kIgnoreIndex) continue;
        for (int64_t j = 0; j < k; ++j) {
          const int64_t at = b * k * area + j * area + i;
          grad[at] = static_cast<float>((prob[at] - (j == c ? 1.0 : 0.0)) / count);
        }
      }
    return static_cast<float>(sum / count);
  }
  if (spec.name == "dice") {
    // Foreground classes only, as the headline metrics.
    const double terms = static_cast<double>(n * (k - 1));
    std::vector<float> valid(static_cast<size_t>(area)), t(static_cast<size_t>(area)), dp(static_cast<size_t>(area));
    std::vector<float> dprob(static_cast<size_t>(logits.numel()), 0.0f);
    double loss = 0;
    for (int64_t b = 0; b < n; ++b)
      for (int64_t c = 1; c < k; ++c) {
        for (int64_t i = 0; i < area; ++i) {
          const int64_t target = target_of(b, i);
          valid[i] = target == kIgnoreIndex ? 0.0f : 1.0f;
          t[i] = target == c ? 1.0f : 0.0f;
        }
        const int64_t at = b * k * area + c * area;
        loss += dice_term(prob.data() + at, t.data(), valid.data(), area, spec.dice_smooth, terms, dp.data());
        std::copy(dp.begin(), dp.end(), dprob.begin() + at);
      }
    // Through the softmax: dx_j = p_j (dp_j - sum_c dp_c p_c).
    for (int64_t b = 0; b < n; ++b)
      for (int64_t i = 0; i < area; ++i) {
        double dot = 0;
        for (int64_t c = 0; c < k; ++c) dot += dprob[b * k * area + c * area + i] * prob[b * k * area + c * area + i];
        for (int64_t c = 0; c < k; ++c) {
          const int64_t at = b * k * area + c * area + i;
          grad[at] = static_cast<float>(prob[at] * (dprob[at] - dot));
        }
      }
    return static_cast<float>(loss);
  }
  throw BackendError("loss '" + spec.name + "' is not defined for multi-class segmentation");
}

}  // namespace

float compute_loss(const LossSpec& spec, const Tensor& logits, const Tensor& targets, Tensor& grad) {
  if (targets.rank() != 4 || targets.dim(0) != logits.dim(0) || targets.dim(1) != 1 ||
      targets.dim(2) != logits.dim(2) || targets.dim(3) != logits.dim(3))
    throw BackendError("targets have shape " + shape_to_string(targets.shape()) + ", expected " +
                           shape_to_string({logits.dim(0), 1, logits.dim(2), logits.dim(3)}),
                       "onednn backend loss '" + spec.name + "'");
  if (grad.shape() != logits.shape()) grad = Tensor(logits.shape());
  return logits.dim(1) == 1 ? binary_loss(spec, logits, targets, grad) : multi_class_loss(spec, logits, targets, grad);
}

}  // namespace seglab::onednn_backend
