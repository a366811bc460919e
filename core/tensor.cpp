#include "core/tensor.h"

#include <cmath>

#include "core/error.h"

namespace seglab {

std::string shape_to_string(const Shape& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

int64_t shape_numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

Tensor::Tensor(Shape shape, float fill) : shape_(std::move(shape)) {
  for (int64_t d : shape_)
    if (d < 0) throw Error("negative dimension in tensor shape " + shape_to_string(shape_));
  data_.assign(static_cast<size_t>(shape_numel(shape_)), fill);
}

Tensor::Tensor(Shape shape, std::vector<float> values) : shape_(std::move(shape)), data_(std::move(values)) {
  if (shape_numel(shape_) != static_cast<int64_t>(data_.size()))
    throw Error("tensor shape " + shape_to_string(shape_) + " does not hold " + std::to_string(data_.size()) +
                " values");
}

Tensor Tensor::reshaped(Shape shape) const {
  if (shape_numel(shape) != numel())
    throw Error("cannot reshape " + shape_to_string(shape_) + " to " + shape_to_string(shape));
  return Tensor(std::move(shape), data_);
}

Tensor Tensor::slice0(int64_t n) const {
  if (shape_.empty() || n < 0 || n >= shape_[0])
    throw Error("index " + std::to_string(n) + " out of range for tensor " + shape_to_string(shape_));
  Shape inner(shape_.begin() + 1, shape_.end());
  const int64_t stride = shape_numel(inner);
  return Tensor(inner, std::vector<float>(data_.begin() + n * stride, data_.begin() + (n + 1) * stride));
}

double max_abs_difference(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape())
    throw Error("shapes differ: " + shape_to_string(a.shape()) + " vs " + shape_to_string(b.shape()));
  double worst = 0.0;
  for (int64_t i = 0; i < a.numel(); ++i) worst = std::max(worst, std::fabs(double(a[i]) - double(b[i])));
  return worst;
}

}  // namespace seglab
