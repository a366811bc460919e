#include "datasets/image_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "core/error.h"
#include "tests/support/test_support.h"

namespace seglab {

TEST(ImageIo, WritesPngAtomicallyAndReadsItBack) {
  test::TempDir dir;
  cv::Mat mask = cv::Mat::zeros(8, 8, CV_8U);
  mask(cv::Rect(2, 2, 3, 3)).setTo(1);
  write_png(dir / "m.png", mask);
  EXPECT_FALSE(std::filesystem::exists(dir / "m.png.tmp"));
  const cv::Mat back = read_binary_mask(dir / "m.png");  // 0/1 masks are accepted as they are
  EXPECT_EQ(cv::countNonZero(back), 9);
  cv::Mat rgb(4, 4, CV_8UC3, cv::Scalar(10, 20, 30));
  write_png(dir / "rgb.png", rgb);
  EXPECT_EQ(read_rgb_image(dir / "rgb.png").at<cv::Vec3b>(0, 0), cv::Vec3b(10, 20, 30));
  EXPECT_THROW(write_png(dir / "missing-folder/x.png", mask), Error);
}

TEST(ImageIo, GreyImagesBecomeRgb) {
  test::TempDir dir;
  cv::imwrite(dir / "grey.png", cv::Mat(5, 5, CV_8U, cv::Scalar(77)));
  const cv::Mat rgb = read_rgb_image(dir / "grey.png");
  EXPECT_EQ(rgb.type(), CV_8UC3);
  EXPECT_EQ(rgb.at<cv::Vec3b>(2, 2), cv::Vec3b(77, 77, 77));
}

}  // namespace seglab
