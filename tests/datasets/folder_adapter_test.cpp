// The folder adapter on the real PH2 files and on folders made here, with
// every kind of bad input it must report.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "tests/datasets/data_config.h"
#include "datasets/dataset_adapter.h"
#include "tests/datasets/dataset_test_support.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

std::unique_ptr<DatasetAdapter> folder(const std::string& root, const std::string& suffix = "") {
  return make_adapter(test::data_config("[data]\nadapter = folder\nroot = " + root + "\nmask_suffix = " + suffix + "\n"));
}

TEST(FolderAdapter, ReadsThePh2ImagesAndOneBitMasks) {
  auto dataset = folder(test::shared_data("skin-lesions"), "_lesion");
  ASSERT_EQ(dataset->size(), 90u);
  EXPECT_EQ(dataset->id(0), "IMD004");
  const LoadedSample s = dataset->load(0);
  EXPECT_EQ(s.image.type(), CV_8UC3);
  EXPECT_EQ(s.mask.type(), CV_8U);
  EXPECT_EQ(s.image.size(), s.mask.size());
  EXPECT_GE(s.image.cols, 761);
  EXPECT_LE(s.image.cols, 769);
  double low, high;
  cv::minMaxLoc(s.mask, &low, &high);
  EXPECT_EQ(low, 0);
  EXPECT_EQ(high, 1);
  const double lesion = cv::countNonZero(s.mask) / static_cast<double>(s.mask.total());
  EXPECT_GT(lesion, 0.05);
  EXPECT_LT(lesion, 0.8);
  // Lesions are darker than the skin around them.
  EXPECT_LT(cv::mean(s.image, s.mask)[0], cv::mean(s.image, s.mask == 0)[0]);
  EXPECT_EQ(dataset->fingerprint().size(), 64u);
}

TEST(FolderAdapter, PairsByStemAcrossFormats) {
  test::TempDir dir;
  test::write_pair(dir / "images/b.jpg", dir / "masks/b_m.png");
  test::write_pair(dir / "images/a.png", dir / "masks/a_m.bmp");
  test::write_pair(dir / "images/c.tif", dir / "masks/c_m.tiff");
  auto dataset = folder(dir.path(), "_m");
  ASSERT_EQ(dataset->size(), 3u);
  EXPECT_EQ(dataset->id(0), "a");
  EXPECT_EQ(dataset->id(2), "c");
  for (size_t i = 0; i < 3; ++i) EXPECT_GT(cv::countNonZero(dataset->load(i).mask), 150);
}

TEST(FolderAdapter, FingerprintChangesWithContent) {
  test::TempDir dir;
  test::write_pair(dir / "images/a.png", dir / "masks/a.png");
  const std::string before = folder(dir.path())->fingerprint();
  EXPECT_EQ(before, folder(dir.path())->fingerprint());
  test::write_pair(dir / "images/a.png", dir / "masks/a.png", 40, 30, 9);
  EXPECT_NE(before, folder(dir.path())->fingerprint());
}

template <class F>
DataError data_error(F&& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a DataError";
  return DataError("none");
}

TEST(FolderAdapter, MissingFolderIsNamed) {
  const DataError e = data_error([] { folder("/nonexistent/data"); });
  EXPECT_EQ(e.input(), "/nonexistent/data");
  test::TempDir dir;
  const DataError no_images = data_error([&] { folder(dir.path()); });
  EXPECT_EQ(no_images.input(), dir / "images");
}

bool has_problem(const DatasetAdapter& d, const std::string& path, const std::string& text) {
  for (const auto& p : d.listing_problems())
    if (p.path == path && p.problem.find(text) != std::string::npos) return true;
  return false;
}

TEST(FolderAdapter, MaskWithoutImageAndImageWithoutMaskAreListingProblems) {
  test::TempDir dir;
  test::write_pair(dir / "images/a.png", dir / "masks/a.png");
  test::write_pair(dir / "other/b.png", dir / "masks/b.png");
  test::write_pair(dir / "images/c.png", dir / "other/c.png");
  auto dataset = folder(dir.path());
  ASSERT_EQ(dataset->size(), 1u);  // only a is a sample
  EXPECT_EQ(dataset->id(0), "a");
  EXPECT_EQ(dataset->listing_problems().size(), 2u);
  EXPECT_TRUE(has_problem(*dataset, dir / "masks/b.png", "mask has no image"));
  EXPECT_TRUE(has_problem(*dataset, dir / "images/c.png", "image has no mask"));
}

TEST(FolderAdapter, SizeMismatchNonBinaryEmptyAndTruncatedFiles) {
  test::TempDir dir;
  test::write_pair(dir / "images/a.png", dir / "masks/a.png");
  test::write_pair(dir / "images/b.png", dir / "other/b.png", 20, 20);
  std::filesystem::copy_file(dir / "other/b.png", dir / "masks/b.png");
  std::filesystem::copy_file(dir / "images/a.png", dir / "images/b.png", std::filesystem::copy_options::overwrite_existing);
  cv::Mat three_valued(30, 40, CV_8U, cv::Scalar(0));
  three_valued(cv::Rect(0, 0, 10, 10)) = 128;
  three_valued(cv::Rect(20, 0, 10, 10)) = 255;
  test::write_pair(dir / "images/c.png", dir / "other/c.png");
  cv::imwrite(dir / "masks/c.png", three_valued);
  test::write_pair(dir / "images/d.jpg", dir / "masks/d.png");
  std::ofstream(dir / "images/e.png").close();  // zero bytes
  test::write_pair(dir / "other/e.png", dir / "masks/e.png");
  auto dataset = folder(dir.path());
  ASSERT_EQ(dataset->size(), 5u);

  DataError e = data_error([&] { dataset->load(1); });
  EXPECT_EQ(e.input(), dir / "masks/b.png");
  EXPECT_NE(std::string(e.what()).find("mask is 20x20 but its image is 40x30"), std::string::npos) << e.what();

  e = data_error([&] { dataset->load(2); });
  EXPECT_EQ(e.input(), dir / "masks/c.png");
  EXPECT_NE(std::string(e.what()).find("not binary (values 0, 128, 255)"), std::string::npos) << e.what();

  const std::string jpeg = test::read_text_file(dir / "images/d.jpg");
  test::write_text_file(dir / "images/d.jpg", jpeg.substr(0, jpeg.size() / 3));  // truncated JPEG
  e = data_error([&] { dataset->load(3); });
  EXPECT_EQ(e.input(), dir / "images/d.jpg");
  EXPECT_NE(std::string(e.what()).find("truncated JPEG"), std::string::npos) << e.what();
  std::ofstream(dir / "images/d.jpg", std::ios::trunc) << "not an image at all";
  e = data_error([&] { dataset->load(3); });
  EXPECT_EQ(e.input(), dir / "images/d.jpg");
  EXPECT_NE(std::string(e.what()).find("cannot decode"), std::string::npos);

  e = data_error([&] { dataset->load(4); });
  EXPECT_EQ(e.input(), dir / "images/e.png");
  EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos);
}

TEST(FolderAdapter, TwoImagesWithOneStemAreDuplicateIds) {
  test::TempDir dir;
  test::write_pair(dir / "images/a.png", dir / "masks/a.png");
  test::write_pair(dir / "images/a.jpg", dir / "other/a.png");
  test::write_pair(dir / "images/b.png", dir / "masks/b.png");
  auto dataset = folder(dir.path());
  ASSERT_EQ(dataset->size(), 1u);
  EXPECT_EQ(dataset->id(0), "b");
  EXPECT_TRUE(has_problem(*dataset, dir / "images/a.png", "duplicate id 'a' (also " + (dir / "images/a.jpg") + ")"));
  EXPECT_TRUE(has_problem(*dataset, dir / "images/a.jpg", "duplicate id 'a'"));
}

}  // namespace
}  // namespace seglab
