#pragma once
// Pixel confusion matrix over class indices; the base of every overlap metric.
// Pixels whose target is `ignore_index` (LabelMe's __ignore__ regions) are not
// counted.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace seglab {

constexpr uint8_t kIgnoreIndex = 255;

class ConfusionMatrix {
 public:
  explicit ConfusionMatrix(int num_classes);

  // Adds `count` pixels of predicted and target class indices.
  void add(const uint8_t* predicted, const uint8_t* target, size_t count);
  void merge(const ConfusionMatrix& other);

  int num_classes() const { return num_classes_; }
  // Pixels of class `target` predicted as `predicted`.
  int64_t at(int target, int predicted) const { return counts_[target * num_classes_ + predicted]; }
  int64_t total() const;

  // Per-class one-vs-rest counts.
  int64_t true_positives(int c) const;
  int64_t false_positives(int c) const;
  int64_t false_negatives(int c) const;
  int64_t true_negatives(int c) const;

 private:
  int num_classes_;
  std::vector<int64_t> counts_;  // row = target, column = predicted
};

}  // namespace seglab
