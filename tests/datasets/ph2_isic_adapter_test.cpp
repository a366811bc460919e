// The ph2 adapter on the real PH2 files in both layouts (the flat one of
// ../shared/data and the release's case folders, rebuilt here from the same
// files), and the isic adapter on ISIC-named folders made here.
#include <gtest/gtest.h>

#include <filesystem>

#include "datasets/dataset_adapter.h"
#include "tests/datasets/data_config.h"
#include "tests/datasets/dataset_test_support.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

std::unique_ptr<DatasetAdapter> adapter(const std::string& text) { return make_adapter(test::data_config(text)); }

bool has_problem(const DatasetAdapter& d, const std::string& path, const std::string& text) {
  for (const auto& p : d.listing_problems())
    if (p.path == path && p.problem.find(text) != std::string::npos) return true;
  return false;
}

TEST(Ph2Adapter, FlatLayoutOfTheSharedData) {
  const std::string root = test::shared_data("skin-lesions");
  auto ph2 = adapter("[data]\nadapter = ph2\nroot = " + root + "\n");
  ASSERT_EQ(ph2->size(), 90u);
  EXPECT_TRUE(ph2->listing_problems().empty());
  EXPECT_EQ(ph2->id(0), "IMD004");
  EXPECT_EQ(ph2->image_path(0), root + "/images/IMD004.bmp");
  const LoadedSample s = ph2->load(0);
  EXPECT_EQ(s.image.size(), s.mask.size());
  EXPECT_GT(cv::countNonZero(s.mask), 1000);
}

TEST(Ph2Adapter, ReleaseLayoutGivesTheSameSamples) {
  const std::string flat = test::shared_data("skin-lesions");
  test::TempDir dir;
  const fs::path base = fs::path(dir.path()) / "PH2 Dataset images";
  for (const std::string id : {"IMD004", "IMD006", "IMD009"}) {
    fs::create_directories(base / id / (id + "_Dermoscopic_Image"));
    fs::create_directories(base / id / (id + "_lesion"));
    fs::create_directories(base / id / (id + "_roi"));  // PH2's colour ROIs: ignored
    fs::copy_file(flat + "/images/" + id + ".bmp", base / id / (id + "_Dermoscopic_Image") / (id + ".bmp"));
    fs::copy_file(flat + "/masks/" + id + "_lesion.bmp", base / id / (id + "_lesion") / (id + "_lesion.bmp"));
  }
  fs::create_directories(base / "IMD010" / "IMD010_Dermoscopic_Image");  // a case without its lesion mask
  fs::copy_file(flat + "/images/IMD010.bmp", base / "IMD010" / "IMD010_Dermoscopic_Image" / "IMD010.bmp");

  auto release = adapter("[data]\nadapter = ph2\nroot = " + dir.path() + "\n");
  auto reference = adapter("[data]\nadapter = ph2\nroot = " + flat + "\n");
  ASSERT_EQ(release->size(), 3u);
  EXPECT_TRUE(has_problem(*release, (base / "IMD010" / "IMD010_Dermoscopic_Image" / "IMD010.bmp").string(),
                          "image has no mask"));
  for (size_t i = 0; i < 3; ++i) {
    const LoadedSample a = release->load(i), b = reference->load(i);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(cv::norm(a.image, b.image, cv::NORM_INF), 0);
    EXPECT_EQ(cv::norm(a.mask, b.mask, cv::NORM_INF), 0);
  }
}

TEST(Ph2Adapter, NoPh2LayoutIsAnError) {
  test::TempDir dir;
  fs::create_directories(dir / "something");
  EXPECT_THROW(adapter("[data]\nadapter = ph2\nroot = " + dir.path() + "\n"), DataError);
}

TEST(IsicAdapter, OneFolder) {
  test::TempDir dir;
  test::write_pair(dir / "ISIC_0000001.jpg", dir / "ISIC_0000001_segmentation.png", 40, 30, 8);
  test::write_pair(dir / "ISIC_0000000.jpg", dir / "ISIC_0000000_segmentation.png", 40, 30, 5);
  test::write_pair(dir / "ISIC_0000002.jpg", dir / "other/ISIC_0000002_superpixels.png");  // image without mask
  fs::copy_file(dir / "other/ISIC_0000002_superpixels.png", dir / "ISIC_0000000_superpixels.png");  // ignored
  auto isic = adapter("[data]\nadapter = isic\nroot = " + dir.path() + "\n");
  ASSERT_EQ(isic->size(), 2u);
  EXPECT_EQ(isic->id(0), "ISIC_0000000");
  EXPECT_EQ(isic->id(1), "ISIC_0000001");
  EXPECT_LT(cv::countNonZero(isic->load(0).mask), cv::countNonZero(isic->load(1).mask));
  ASSERT_EQ(isic->listing_problems().size(), 1u);
  EXPECT_TRUE(has_problem(*isic, dir / "ISIC_0000002.jpg", "image has no mask"));
}

TEST(IsicAdapter, TwoFoldersFoundOrPinned) {
  test::TempDir dir;
  const std::string in = "ISIC2018_Task1-2_Training_Input/", truth = "ISIC2018_Task1_Training_GroundTruth/";
  for (const std::string id : {"ISIC_0000003", "ISIC_0000007", "ISIC_0012345"})
    test::write_pair(dir / (in + id + ".jpg"), dir / (truth + id + "_segmentation.png"));
  test::write_pair(dir / (in + "photo.jpg"), dir / "elsewhere/x.png");  // not an ISIC name
  auto found = adapter("[data]\nadapter = isic\nroot = " + dir.path() + "\n");
  ASSERT_EQ(found->size(), 3u);
  EXPECT_EQ(found->id(2), "ISIC_0012345");
  EXPECT_TRUE(has_problem(*found, dir / (in + "photo.jpg"), "neither ISIC_<digits>.jpg"));
  auto pinned = adapter("[data]\nadapter = isic\nroot = " + dir.path() + "\nimages_dir = " + in + "\nmasks_dir = " + truth + "\n");
  ASSERT_EQ(pinned->size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(pinned->image_path(i), found->image_path(i));
  EXPECT_EQ(pinned->listing_problems().size(), 1u);  // photo.jpg; elsewhere/ is searched for masks only
  // A mask whose image is missing, in the two-folder layout.
  test::write_pair(dir / "elsewhere/ISIC_0000009.jpg", dir / (truth + "ISIC_0000009_segmentation.png"));
  auto again = adapter("[data]\nadapter = isic\nroot = " + dir.path() + "\nimages_dir = " + in + "\n");
  EXPECT_EQ(again->size(), 3u);
  EXPECT_TRUE(has_problem(*again, dir / (truth + "ISIC_0000009_segmentation.png"), "mask has no image"));
}

TEST(Adapters, ListDatasetsShowsEachAdaptersOptions) {
  const auto r = test::run_seglab("list datasets");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* text : {"  ph2: ", "  isic: ", "  folder: ", "data.images_dir (string, default \"\")",
                           "data.mask_suffix"})
    EXPECT_NE(r.output.find(text), std::string::npos) << text << "\n" << r.output;
}

}  // namespace
}  // namespace seglab
