#pragma once
// The backend-neutral tensor: dense float32, row-major, shape in NCHW order for
// images. It is the currency between layers (loader -> backend -> metrics ->
// tracking); backends convert it to their own types at their boundary.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace seglab {

using Shape = std::vector<int64_t>;

std::string shape_to_string(const Shape& shape);  // "[4, 3, 256, 256]"
int64_t shape_numel(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape, float fill = 0.0f);
  Tensor(Shape shape, std::vector<float> values);

  const Shape& shape() const { return shape_; }
  int64_t dim(size_t i) const { return shape_.at(i); }
  size_t rank() const { return shape_.size(); }
  int64_t numel() const { return static_cast<int64_t>(data_.size()); }
  bool empty() const { return data_.empty(); }

  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  std::vector<float>& values() { return data_; }
  const std::vector<float>& values() const { return data_; }

  float& operator[](int64_t i) { return data_[static_cast<size_t>(i)]; }
  float operator[](int64_t i) const { return data_[static_cast<size_t>(i)]; }

  // Same data, new shape with the same element count (throws otherwise).
  Tensor reshaped(Shape shape) const;
  // Item `n` of the leading dimension, e.g. one image of a batch.
  Tensor slice0(int64_t n) const;

 private:
  Shape shape_;
  std::vector<float> data_;
};

// Parameters, buffers or optimizer state by name, sorted by name.
using NamedTensors = std::map<std::string, Tensor>;

// Largest |a - b| over the elements; shapes must match.
double max_abs_difference(const Tensor& a, const Tensor& b);

}  // namespace seglab
