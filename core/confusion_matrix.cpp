#include "core/confusion_matrix.h"

#include <string>

#include "core/error.h"

namespace seglab {

ConfusionMatrix::ConfusionMatrix(int num_classes)
    : num_classes_(num_classes), counts_(static_cast<size_t>(num_classes) * num_classes, 0) {
  if (num_classes < 2 || num_classes > 255)
    throw Error("a confusion matrix needs 2 to 255 classes, got " + std::to_string(num_classes));
}

void ConfusionMatrix::add(const uint8_t* predicted, const uint8_t* target, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    const int t = target[i];
    if (t == kIgnoreIndex) continue;
    const int p = predicted[i];
    if (t >= num_classes_ || p >= num_classes_)
      throw Error("class index " + std::to_string(t >= num_classes_ ? t : p) + " outside 0.." +
                  std::to_string(num_classes_ - 1));
    ++counts_[t * num_classes_ + p];
  }
}

void ConfusionMatrix::merge(const ConfusionMatrix& other) {
  if (other.num_classes_ != num_classes_) throw Error("cannot merge confusion matrices of different class counts");
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
}

int64_t ConfusionMatrix::total() const {
  int64_t n = 0;
  for (int64_t c : counts_) n += c;
  return n;
}

int64_t ConfusionMatrix::true_positives(int c) const { return at(c, c); }

int64_t ConfusionMatrix::false_positives(int c) const {
  int64_t n = 0;
  for (int t = 0; t < num_classes_; ++t)
    if (t != c) n += at(t, c);
  return n;
}

int64_t ConfusionMatrix::false_negatives(int c) const {
  int64_t n = 0;
  for (int p = 0; p < num_classes_; ++p)
    if (p != c) n += at(c, p);
  return n;
}

int64_t ConfusionMatrix::true_negatives(int c) const {
  return total() - true_positives(c) - false_positives(c) - false_negatives(c);
}

}  // namespace seglab
