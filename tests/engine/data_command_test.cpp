// `seglab data check` and `seglab data preview` through the binary, on the
// real PH2 images (with experiments/ph2_unet.ini) and on folders made here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
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
