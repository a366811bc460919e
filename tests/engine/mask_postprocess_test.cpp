// Post-processing steps on drawn shapes (areas known by construction) and on
// random masks against scipy.ndimage (tests/python/postprocess_reference.py).
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/rng.h"
#include "engine/mask_postprocess.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

PostprocessOptions only_min_area(int64_t n) {
  PostprocessOptions o;
  o.min_area = n;
  return o;
}
PostprocessOptions only_largest() {
  PostprocessOptions o;
  o.keep_largest = true;
  return o;
}
PostprocessOptions only_holes() {
  PostprocessOptions o;
  o.fill_holes = true;
  return o;
}

TEST(MaskPostprocess, RemovesBlobsUnderTheMinimumArea) {
  cv::Mat mask = cv::Mat::zeros(60, 80, CV_8U);
  cv::rectangle(mask, cv::Rect(5, 5, 10, 10), 1, cv::FILLED);   // 100 pixels
  cv::rectangle(mask, cv::Rect(40, 40, 3, 3), 1, cv::FILLED);   // 9 pixels
  cv::rectangle(mask, cv::Rect(60, 10, 2, 5), 1, cv::FILLED);   // 10 pixels: kept (not under 10)
  mask.at<uchar>(50, 70) = 1;                                   // 1 pixel
  postprocess_mask(mask, 2, only_min_area(10));
  EXPECT_EQ(cv::countNonZero(mask), 110);
  EXPECT_EQ(mask.at<uchar>(41, 41), 0);
  EXPECT_EQ(mask.at<uchar>(50, 70), 0);
  EXPECT_EQ(mask.at<uchar>(12, 61), 1);
}

TEST(MaskPostprocess, KeepsTheLargestEightConnectedComponent) {
  cv::Mat mask = cv::Mat::zeros(60, 80, CV_8U);
  // Two 5x5 squares touching only at a corner are one component of 50 pixels,
  // larger than the 7x7 square (49 pixels).
  cv::rectangle(mask, cv::Rect(2, 2, 5, 5), 1, cv::FILLED);
  cv::rectangle(mask, cv::Rect(7, 7, 5, 5), 1, cv::FILLED);
  cv::rectangle(mask, cv::Rect(50, 30, 7, 7), 1, cv::FILLED);
  cv::Mat largest = mask.clone();
  postprocess_mask(largest, 2, only_largest());
  EXPECT_EQ(cv::countNonZero(largest), 50);
  EXPECT_EQ(largest.at<uchar>(33, 53), 0);
  // Without the corner square, the 7x7 square is the largest.
  cv::rectangle(mask, cv::Rect(7, 7, 5, 5), 0, cv::FILLED);
  postprocess_mask(mask, 2, only_largest());
  EXPECT_EQ(cv::countNonZero(mask), 49);
  EXPECT_EQ(mask.at<uchar>(33, 53), 1);
}

TEST(MaskPostprocess, FillsEnclosedHolesOnly) {
  cv::Mat mask = cv::Mat::zeros(60, 80, CV_8U);
  cv::rectangle(mask, cv::Rect(10, 10, 30, 20), 1, 1);  // closed outline of a 30x20 box
  // An outline with one corner pixel missing is still closed for 8-connected lesions.
  cv::rectangle(mask, cv::Rect(50, 10, 20, 20), 1, 1);
  mask.at<uchar>(10, 50) = 0;
  // A U open to the image border encloses nothing.
  cv::rectangle(mask, cv::Rect(20, 45, 30, 20), 1, 1);  // bottom side below the image
  cv::Mat filled = mask.clone();
  postprocess_mask(filled, 2, only_holes());
  EXPECT_EQ(cv::countNonZero(filled(cv::Rect(10, 10, 30, 20))), 600);
  EXPECT_EQ(cv::countNonZero(filled(cv::Rect(50, 10, 20, 20))), 399);
  EXPECT_EQ(cv::countNonZero(filled(cv::Rect(0, 40, 80, 20))), cv::countNonZero(mask(cv::Rect(0, 40, 80, 20))));
}

TEST(MaskPostprocess, StepsRunInOrderAndPerClass) {
  cv::Mat mask = cv::Mat::zeros(50, 50, CV_8U);
  cv::circle(mask, {15, 15}, 10, 1, cv::FILLED);
  cv::circle(mask, {15, 15}, 3, 0, cv::FILLED);  // a hole in class 1
  cv::rectangle(mask, cv::Rect(14, 14, 2, 2), 2, cv::FILLED);  // class 2 inside the hole: not filled over
  cv::circle(mask, {40, 40}, 4, 1, cv::FILLED);
  mask.at<uchar>(45, 5) = 2;
  cv::rectangle(mask, cv::Rect(30, 5, 8, 8), 2, cv::FILLED);
  PostprocessOptions all;
  all.min_area = 2;
  all.keep_largest = true;
  all.fill_holes = true;
  EXPECT_EQ(all.describe(), "min2+largest+holes");
  EXPECT_EQ(PostprocessOptions().describe(), "none");
  postprocess_mask(mask, 3, all);
  EXPECT_EQ(mask.at<uchar>(40, 40), 0);  // smaller class-1 disc dropped
  EXPECT_EQ(mask.at<uchar>(15, 13), 1);  // hole filled
  EXPECT_EQ(mask.at<uchar>(45, 5), 0);   // lone class-2 pixel under min area
  // Class 1 is done before class 2: its hole filling left the class-2 square,
  // which class 2's keep-largest then dropped in favour of the 8x8 square.
  EXPECT_EQ(mask.at<uchar>(14, 14), 0);
  EXPECT_EQ(cv::countNonZero(mask == 2), 64);
}

TEST(MaskPostprocess, RandomMasksMatchScipy) {
  test::TempDir dir;
  std::vector<cv::Mat> masks;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    Rng rng(seed);
    cv::Mat noise(48 + 8 * static_cast<int>(seed), 64, CV_32F);
    for (int i = 0; i < noise.rows * noise.cols; ++i) noise.ptr<float>(0)[i] = static_cast<float>(rng.uniform(0, 1));
    cv::GaussianBlur(noise, noise, {0, 0}, 1.5);
    cv::Mat mask = noise > 0.5;
    mask /= 255;
    masks.push_back(mask);
    Tensor t({mask.rows, mask.cols});
    for (int i = 0; i < mask.rows * mask.cols; ++i) t[i] = mask.data[i];
    test::write_npy(dir / ("m" + std::to_string(seed) + "_mask.npy"), t);
  }
  const auto r = test::run_command(std::string(test::python()) + " " + test::source_dir() +
                                   "/tests/python/postprocess_reference.py " + dir.path() + " 12");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (size_t k = 0; k < masks.size(); ++k) {
    const std::string name = dir / ("m" + std::to_string(k + 1));
    const std::pair<const char*, PostprocessOptions> steps[] = {
        {"_min.npy", only_min_area(12)}, {"_largest.npy", only_largest()}, {"_holes.npy", only_holes()}};
    for (const auto& [suffix, options] : steps) {
      cv::Mat ours = masks[k].clone();
      postprocess_mask(ours, 2, options);
      const Tensor expected = test::read_npy(name + suffix);
      int differing = 0;
      for (int i = 0; i < ours.rows * ours.cols; ++i) differing += (ours.data[i] != 0) != (expected[i] > 0.5f);
      EXPECT_EQ(differing, 0) << name << suffix;
      EXPECT_GT(cv::countNonZero(ours), 0);
    }
  }
}

}  // namespace
}  // namespace seglab
