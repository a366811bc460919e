#include "core/tensor.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace seglab {

TEST(Tensor, ShapeSliceAndReshape) {
  Tensor t({2, 3}, std::vector<float>{0, 1, 2, 3, 4, 5});
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(shape_to_string(t.shape()), "[2, 3]");
  const Tensor row = t.slice0(1);
  EXPECT_EQ(row.shape(), (Shape{3}));
  EXPECT_EQ(row[0], 3);
  EXPECT_EQ(t.reshaped({3, 2}).shape(), (Shape{3, 2}));
  EXPECT_THROW(t.reshaped({4, 2}), Error);
  EXPECT_THROW(t.slice0(2), Error);
  EXPECT_THROW(Tensor({2, 2}, std::vector<float>{1, 2, 3}), Error);
}

TEST(Tensor, ScalarHasOneElement) {
  Tensor s({}, 3.0f);
  EXPECT_EQ(s.numel(), 1);
  EXPECT_EQ(s[0], 3.0f);
}

}  // namespace seglab
