// The documented limits (datasets/input_limits.h): the header reader finds the
// true size of real files of every format, the limit holds at its boundary,
// and a 16-bit mask keeps its lesion.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "core/error.h"
#include "datasets/image_header.h"
#include "datasets/image_io.h"
#include "datasets/input_limits.h"
#include "datasets/labelme_annotation.h"
#include "reports/web/http_error.h"
#include "reports/web/uploaded_image.h"
#include "tests/robustness/corpus_files.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

std::vector<unsigned char> encoded(const cv::Mat& image, const std::string& extension, std::vector<int> params = {}) {
  std::vector<uchar> bytes;
  cv::imencode(extension, image, bytes, params);
  return bytes;
}

TEST(ImageHeader, ReadsTheSizeOfRealFilesOfEveryFormat) {
  const cv::Mat image(37, 53, CV_8UC3, cv::Scalar(1, 2, 3));
  for (const std::string extension : {".png", ".jpg", ".bmp", ".tif"}) {
    const auto header = read_image_header(encoded(image, extension));
    ASSERT_TRUE(header.has_value()) << extension;
    EXPECT_EQ(header->width, 53) << extension;
    EXPECT_EQ(header->height, 37) << extension;
  }
  const auto progressive = read_image_header(encoded(image, ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  ASSERT_TRUE(progressive.has_value());
  EXPECT_EQ(progressive->width, 53);
  // The real PH2 images (BMP) of the shared data.
  const std::string ph2 = test::shared_data("skin-lesions/images");
  for (const auto& entry : std::filesystem::directory_iterator(ph2)) {
    const std::string bytes = test::read_text_file(entry.path().string());
    const auto header = read_image_header(std::vector<unsigned char>(bytes.begin(), bytes.end()));
    const cv::Mat decoded = cv::imread(entry.path().string());
    ASSERT_TRUE(header.has_value()) << entry.path();
    EXPECT_EQ(header->width, decoded.cols) << entry.path();
    EXPECT_EQ(header->height, decoded.rows) << entry.path();
    break;
  }
  EXPECT_FALSE(read_image_header({'G', 'I', 'F', '8'}).has_value());
  EXPECT_FALSE(read_image_header({}).has_value());
}

TEST(ImageHeader, TheLimitHoldsAtItsBoundary) {
  EXPECT_NO_THROW(check_image_pixels(8000, 8000, "x.png"));  // exactly kMaxImagePixels
  ASSERT_EQ(8000 * 8000, kMaxImagePixels);
  try {
    check_image_pixels(8000, 8001, "x.png");
    FAIL() << "one row over the limit was accepted";
  } catch (const DataError& e) {
    EXPECT_EQ(e.input(), "x.png");
    EXPECT_NE(e.reason().find("8000x8001 (64 megapixels), over the limit of 64 megapixels"), std::string::npos) << e.reason();
  }
  EXPECT_THROW(check_image_pixels(1, 0, "x.png"), DataError);
  // A forged PNG header (found by fuzz/mask_reader_fuzzer): its pixel count
  // overflows int64; the message still gives it right.
  try {
    check_image_pixels(4294967295, 4278190083, "forged.png");
    ADD_FAILURE() << "a 4294967295x4278190083 image was accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("(18374686488278 megapixels)"), std::string::npos) << e.what();
  }
  // Sizes whose product overflows 64 bits are refused, not wrapped.
  EXPECT_THROW(check_image_pixels(int64_t{1} << 40, int64_t{1} << 40, "x.png"), DataError);
}

TEST(ImageHeader, ABombIsRefusedBeforeDecoding) {
  test::TempDir dir;
  test::write_bytes(dir / "bomb.png", test::zero_png(9000, 9000));
  try {
    read_rgb_image(dir / "bomb.png");
    FAIL() << "a 81-megapixel image was decoded";
  } catch (const DataError& e) {
    EXPECT_NE(e.reason().find("9000x9000 (81 megapixels)"), std::string::npos) << e.reason();
  }
  // Just under the limit decodes (the check is not stricter than documented).
  test::write_bytes(dir / "large.png", test::zero_png(8000, 8000));
  EXPECT_EQ(read_binary_mask(dir / "large.png").total(), 64'000'000u);
}

TEST(MaskDepth, SixteenBitMasksKeepTheirLesion) {
  test::TempDir dir;
  cv::Mat mask = cv::Mat::zeros(20, 30, CV_16U);
  mask(cv::Rect(5, 5, 10, 4)).setTo(1);
  cv::imwrite(dir / "one.png", mask);
  EXPECT_EQ(cv::countNonZero(read_binary_mask(dir / "one.png")), 40);  // an 8-bit decode made this 0
  mask(cv::Rect(5, 5, 10, 4)).setTo(65535);
  cv::imwrite(dir / "full.png", mask);
  EXPECT_EQ(cv::countNonZero(read_binary_mask(dir / "full.png")), 40);
  mask(cv::Rect(0, 0, 2, 2)).setTo(300);
  cv::imwrite(dir / "bad.png", mask);
  EXPECT_THROW(read_binary_mask(dir / "bad.png"), DataError);
}

TEST(UploadLimits, ABombUploadIsRefusedFromItsHeader) {
  // 20000 x 20000 grey zeros: under 1 MB of PNG, 1.2 GB once decoded to RGB.
  const std::string bomb = test::zero_png(20000, 20000);
  ASSERT_LT(bomb.size(), kDefaultMaxUploadBytes);
  try {
    decode_uploaded_image(bomb, "bomb.png");
    FAIL() << "the bomb was decoded";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_NE(e.reason().find("declares 20000x20000, over 64 megapixels"), std::string::npos) << e.reason();
  }
  EXPECT_EQ(decode_uploaded_image(test::zero_png(50, 40), "small.png").cols, 50);
}

std::string polygon_file(size_t points) {
  std::string list;
  for (size_t i = 0; i < points; ++i) list += (i ? ",[" : "[") + std::to_string(i % 7) + "," + std::to_string(i % 5) + "]";
  return R"({"shapes": [{"label": "a", "points": [)" + list + R"(]}], "imageWidth": 10, "imageHeight": 10})";
}

TEST(LabelMeLimits, PointCountAtAndOverTheLimit) {
  test::TempDir dir;
  test::write_text_file(dir / "at.json", polygon_file(kMaxLabelMePointsPerShape));
  EXPECT_EQ(read_labelme_file(dir / "at.json").shapes.at(0).points.size(), kMaxLabelMePointsPerShape);
  test::write_text_file(dir / "over.json", polygon_file(kMaxLabelMePointsPerShape + 1));
  try {
    read_labelme_file(dir / "over.json");
    FAIL() << "over the point limit was accepted";
  } catch (const DataError& e) {
    EXPECT_EQ(e.input(), (dir / "over.json") + ", shapes[0]");
    EXPECT_NE(e.reason().find("100001 points, over the limit of 100000"), std::string::npos) << e.reason();
  }
}

}  // namespace
}  // namespace seglab
