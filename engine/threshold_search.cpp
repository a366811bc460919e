#include "engine/threshold_search.h"

#include <cmath>

#include "core/confusion_matrix.h"
#include "core/error.h"

namespace seglab {

namespace {
constexpr int kSteps = 100;  // candidates k / 100 for k = 1..99
}

ThresholdSearch::ThresholdSearch() {
  for (int k = 1; k < kSteps; ++k) candidates_.push_back(k / static_cast<double>(kSteps));
  dice_sum_.assign(candidates_.size(), 0.0);
}

void ThresholdSearch::add(const float* probabilities, const uint8_t* target, size_t count) {
  const int n = static_cast<int>(candidates_.size());
  // below[j]: pixels whose probability exceeds exactly the candidates 0..j-1,
  // so a pixel is predicted lesion at candidate k when its j > k. One pass
  // over the pixels, then cumulative sums give every candidate's counts.
  std::vector<int64_t> lesion(n + 1, 0), background(n + 1, 0);
  for (size_t i = 0; i < count; ++i) {
    if (target[i] == kIgnoreIndex) continue;
    const double p = probabilities[i];
    int j = static_cast<int>(std::floor(p * kSteps));
    j = j < 0 ? 0 : j > n ? n : j;
    while (j > 0 && !(p > candidates_[j - 1])) --j;  // exact `p > t`, whatever the rounding of p * 100
    while (j < n && p > candidates_[j]) ++j;
    (target[i] ? lesion : background)[j]++;
  }
  int64_t tp = 0, fp = 0;
  int64_t lesion_total = 0;
  for (int64_t c : lesion) lesion_total += c;
  for (int k = n - 1; k >= 0; --k) {
    tp += lesion[k + 1];
    fp += background[k + 1];
    const int64_t fn = lesion_total - tp;
    const int64_t denominator = 2 * tp + fp + fn;
    dice_sum_[k] += denominator == 0 ? 1.0 : 2.0 * tp / static_cast<double>(denominator);
  }
  ++images_;
}

std::vector<double> ThresholdSearch::mean_dice() const {
  std::vector<double> out(dice_sum_.size(), 0.0);
  if (images_ == 0) return out;
  for (size_t k = 0; k < out.size(); ++k) out[k] = dice_sum_[k] / static_cast<double>(images_);
  return out;
}

double ThresholdSearch::best() const {
  if (images_ == 0) throw Error("no validation image to choose the threshold on", "--threshold val");
  size_t best = 0;
  for (size_t k = 1; k < dice_sum_.size(); ++k) {
    // Sums are compared, not means: the same images give the same sums in any order
    // up to rounding, and a tolerance keeps near-equal sums a tie.
    const double gain = dice_sum_[k] - dice_sum_[best];
    const double tolerance = 1e-9 * static_cast<double>(images_);
    if (gain > tolerance) best = k;
    else if (std::abs(gain) <= tolerance && std::abs(candidates_[k] - 0.5) < std::abs(candidates_[best] - 0.5))
      best = k;
  }
  return candidates_[best];
}

}  // namespace seglab
