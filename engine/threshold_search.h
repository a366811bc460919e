#pragma once
// Chooses the binarisation threshold of a binary run on its validation split:
// the candidate 0.01, 0.02, ..., 0.99 with the highest mean per-image Dice of
// `probability > threshold`. Ties go to the candidate nearest 0.5, then to the
// lower one, so the choice depends only on the scores, never on image order.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace seglab {

class ThresholdSearch {
 public:
  ThresholdSearch();

  // One image: lesion probabilities and its 0/1 mask (255 = ignored).
  void add(const float* probabilities, const uint8_t* target, size_t count);

  size_t images() const { return images_; }
  const std::vector<double>& candidates() const { return candidates_; }
  // Mean Dice over the images added so far, per candidate.
  std::vector<double> mean_dice() const;
  // The chosen threshold; throws when no image was added.
  double best() const;

 private:
  std::vector<double> candidates_;
  std::vector<double> dice_sum_;
  size_t images_ = 0;
};

}  // namespace seglab
