// `seglab data check` and `seglab data preview` through the binary, on the
// real PH2 images (with experiments/ph2_unet.ini) and on folders made here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <vector>
#include <opencv2/imgcodecs.hpp>

#include "tests/datasets/dataset_test_support.h"
#include "tests/support/test_support.h"

namespace seglab {
namespace {

std::string ph2_ini() {
  const std::string root = test::shared_data("skin-lesions");
  return std::string(test::source_dir()) + "/experiments/ph2_unet.ini --set data.root=" + root +
         " --set data.metadata=" + root + "/manifest.csv";
}

TEST(DataCommand, CheckReportsThePh2Data) {
  const auto r = test::run_seglab("data check " + ph2_ini());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* text : {"samples: 90 paired, 90 usable, 0 bad", "image sizes: 767x576 (", "lesion pixel fraction per image: mean ",
                           "class balance over all pixels: background ", "clinical_diagnosis: atypical_nevus 36, common_nevus 36, melanoma 18",
                           "split (ratio 0.2, seed 42, stratified by clinical_diagnosis): 72 train, 18 val",
                           "val:   atypical_nevus 7, common_nevus 7, melanoma 4", "bad samples: none"})
    EXPECT_NE(r.output.find(text), std::string::npos) << text << "\n" << r.output;
}

// The test part of the real PH2 images keeps each diagnosis's share (20 % of
// 36, 36 and 18), and validation is 20 % of all 90 images.
TEST(DataCommand, CheckShowsTheStratifiedTestPart) {
  const auto r = test::run_seglab("data check " + ph2_ini() + " --set data.test_ratio=0.2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* text : {"split (ratio 0.2, test ratio 0.2, seed 42, stratified by clinical_diagnosis): 54 train, "
                           "18 val, 18 test",
                           "test:  atypical_nevus 7, common_nevus 7, melanoma 4"})
    EXPECT_NE(r.output.find(text), std::string::npos) << text << "\n" << r.output;
  const auto bad = test::run_seglab("data check " + ph2_ini() + " --set data.test_ratio=0.5 --set data.val_ratio=0.5");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("data.test_ratio"), std::string::npos) << bad.output;
}

TEST(DataCommand, CheckListsEveryBadSampleByPath) {
  test::TempDir dir;
  test::write_pair(dir / "data/images/a.png", dir / "data/masks/a.png");
  test::write_pair(dir / "data/images/b.png", dir / "data/masks/b.png", 20, 20);
  std::filesystem::copy_file(dir / "data/images/a.png", dir / "data/images/b.png",
                             std::filesystem::copy_options::overwrite_existing);  // 40x30 image, 20x20 mask
  test::write_pair(dir / "data/images/c.png", dir / "other/c.png");                 // no mask
  test::write_text_file(dir / "exp.ini", "[data]\nadapter = folder\nroot = " + (dir / "data") + "\n");
  auto r = test::run_seglab("data check " + (dir / "exp.ini"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("samples: 2 paired, 1 usable, 2 bad"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("  " + (dir / "data/images/c.png") + ": image has no mask"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("  " + (dir / "data/masks/b.png") + ": mask is 20x20 but its image is 40x30"), std::string::npos);
  r = test::run_seglab("data check " + (dir / "exp.ini") + " --set data.on_bad_sample=skip");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("training leaves them out"), std::string::npos) << r.output;
  EXPECT_EQ(test::run_seglab("data fix " + (dir / "exp.ini")).exit_code, 2);
}

// One image of a folder made for `data check`: its size, the lesion
// rectangle drawn in its mask (0 x 0: none) and its metadata group.
struct KnownSample {
  std::string id;
  int width, height, lesion_width, lesion_height;
  std::string tone;
  double lesion_fraction() const { return double(lesion_width) * lesion_height / (double(width) * height); }
};

std::string fixed3(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

std::string percent1(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100 * fraction);
  return text;
}

// Every figure `data check` prints, on a folder whose statistics are known by
// construction: three image sizes (3, 2 and 1 images), lesion fractions from
// 0 to 0.5, a metadata column to stratify by, and one unusable pair (mask of another size) whose figures must stay
// out of every statistic. The expected output is computed here from the table
// and compared line by line, so a wrong count, size, fraction, median, class
// balance or group count fails.
TEST(DataCommand, CheckPrintsTheFiguresOfAFolderKnownByConstruction) {
  const std::vector<KnownSample> samples = {
      {"a", 40, 30, 10, 6, "light"},  {"b", 40, 30, 20, 15, "dark"}, {"c", 40, 30, 0, 0, "light"},
      {"d", 32, 32, 32, 16, "light"}, {"e", 20, 50, 10, 10, "dark"}, {"f", 32, 32, 8, 8, "light"},
  };
  test::TempDir dir;
  std::filesystem::create_directories(dir / "data/images");
  std::filesystem::create_directories(dir / "data/masks");
  std::string manifest = "id,tone\n";
  for (const KnownSample& s : samples) {
    const cv::Mat image(s.height, s.width, CV_8UC3, cv::Scalar(200, 170, 150));
    cv::Mat mask = cv::Mat::zeros(s.height, s.width, CV_8U);
    if (s.lesion_width > 0)
      mask(cv::Rect((s.width - s.lesion_width) / 2, (s.height - s.lesion_height) / 2, s.lesion_width, s.lesion_height))
          .setTo(255);
    ASSERT_TRUE(cv::imwrite(dir / ("data/images/" + s.id + ".png"), image));
    ASSERT_TRUE(cv::imwrite(dir / ("data/masks/" + s.id + ".png"), mask));
    manifest += s.id + "," + s.tone + "\n";
  }
  // "g": a 40x30 image with a 20x20 mask, alone in its group (so that the
  // split's counts of usable samples do not depend on where it falls).
  test::write_pair(dir / "data/images/g.png", dir / "data/masks/g.png", 40, 30);
  test::write_pair(dir / "other/g.png", dir / "data/masks/g.png", 20, 20);
  manifest += "g,other\n";
  test::write_text_file(dir / "manifest.csv", manifest);
  test::write_text_file(dir / "exp.ini", "[data]\nadapter = folder\nroot = " + (dir / "data") + "\nmetadata = " +
                                             (dir / "manifest.csv") +
                                             "\nstratify = tone\nval_ratio = 0.5\nimage_size = 32\non_bad_sample = skip\n");

  std::vector<double> fractions;
  double lesion_pixels = 0, all_pixels = 0;
  for (const KnownSample& s : samples) {
    fractions.push_back(s.lesion_fraction());
    lesion_pixels += double(s.lesion_width) * s.lesion_height;
    all_pixels += double(s.width) * s.height;
  }
  std::sort(fractions.begin(), fractions.end());
  const double mean = std::accumulate(fractions.begin(), fractions.end(), 0.0) / fractions.size();
  const std::string expected =
      "data: 7 image/mask pairs in " + (dir / "data") + " (folder)\n"
      "samples: 7 paired, 6 usable, 1 bad\n"
      "image sizes: 40x30 (3), 32x32 (2), 20x50 (1)\n"
      "lesion pixel fraction per image: mean " + fixed3(mean) + ", median " + fixed3(fractions[3]) /* the upper middle one of six */ + ", min " +
      fixed3(fractions.front()) + ", max " + fixed3(fractions.back()) + ", 1 images with no lesion\n"
      "class balance over all pixels: background " + percent1(1 - lesion_pixels / all_pixels) + ", lesion " +
      percent1(lesion_pixels / all_pixels) + "\n"
      "metadata: " + (dir / "manifest.csv") + ", columns id, tone\n"
      "  tone: dark 2, light 4\n"  // usable samples only
      // Each group keeps its share (half); the unusable "g" is left out of both parts.
      "split (ratio 0.5, seed 42, stratified by tone): 3 train, 3 val\n"
      "  train: dark 1, light 2\n"
      "  val:   dark 1, light 2\n"
      "bad samples: 1 (data.on_bad_sample = skip: training leaves them out and lists them in the run record)\n"
      "  " + (dir / "data/masks/g.png") + ": mask is 20x20 but its image is 40x30\n";
  // The figures as numbers too, so that a change of format alone reads as such.
  EXPECT_EQ(fixed3(mean), "0.160");
  EXPECT_EQ(percent1(lesion_pixels / all_pixels), "15.6%");  // 1036 of 6648 pixels
  const auto r = test::run_seglab("data check " + (dir / "exp.ini"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, expected);
}

TEST(DataCommand, PreviewDrawsTheSameGridEveryTime) {
  test::TempDir dir;
  const std::string args = "data preview " + ph2_ini() + " --samples 2 --variants 3 --set data.image_size=64 -o ";
  auto r = test::run_seglab(args + (dir / "a"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("preview.png: 2 training samples"), std::string::npos) << r.output;
  const cv::Mat grid = cv::imread(dir / "a/preview.png");
  ASSERT_FALSE(grid.empty());
  EXPECT_EQ(grid.rows, 2 * (64 + 4) - 4);
  EXPECT_EQ(grid.cols, 4 * (2 * 64 + 2 + 4) - 4);
  ASSERT_EQ(test::run_seglab(args + (dir / "b")).exit_code, 0);
  EXPECT_EQ(test::read_text_file(dir / "a/preview.png"), test::read_text_file(dir / "b/preview.png"));
  // The augmented columns differ from the plain one.
  const int tile = 2 * 64 + 2 + 4;
  EXPECT_GT(cv::norm(grid(cv::Rect(0, 0, 64, 64)), grid(cv::Rect(tile, 0, 64, 64)), cv::NORM_L1), 0);
}

}  // namespace
}  // namespace seglab
