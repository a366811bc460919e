// Every kind of bad sample, made here: under data.on_bad_sample = error it
// stops the run before anything is recorded, naming the file and the fault;
// under skip it is left out and listed, and the good samples are all kept.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/error.h"
#include "datasets/dataset_adapter.h"
#include "datasets/prepared_samples.h"
#include "engine/experiment.h"
#include "engine/run_data.h"
#include "tests/datasets/dataset_test_support.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;

namespace seglab {
namespace {

struct BadKind {
  std::string name;
  std::function<void(const test::TempDir&)> make;  // adds the bad sample to a folder of good ones
  std::string path;                                 // relative to the folder
  std::string problem;                              // part of the problem text
  size_t samples;                                   // samples the adapter pairs (good ones are a, b)
};

std::string bytes_of(const std::string& path) { return test::read_text_file(path); }

std::vector<BadKind> bad_kinds() {
  return {
      {"truncated JPEG",
       [](const test::TempDir& d) {
         test::write_pair(d / "images/x.jpg", d / "masks/x.png", 64, 48, 12);
         const std::string jpeg = bytes_of(d / "images/x.jpg");
         test::write_text_file(d / "images/x.jpg", jpeg.substr(0, jpeg.size() * 2 / 3));
       },
       "images/x.jpg", "truncated JPEG file", 3},
      {"truncated PNG",
       [](const test::TempDir& d) {
         test::write_pair(d / "images/x.png", d / "masks/x.png");
         const std::string png = bytes_of(d / "masks/x.png");
         test::write_text_file(d / "masks/x.png", png.substr(0, png.size() - 20));
       },
       "masks/x.png", "truncated PNG file", 3},
      {"unreadable",
       [](const test::TempDir& d) {
         test::write_pair(d / "images/x.png", d / "masks/x.png");
         test::write_text_file(d / "images/x.png", "this is not a picture");
       },
       "images/x.png", "cannot decode image", 3},
      {"empty file",
       [](const test::TempDir& d) {
         test::write_pair(d / "images/x.png", d / "masks/x.png");
         test::write_text_file(d / "masks/x.png", "");
       },
       "masks/x.png", "file is empty", 3},
      {"missing mask", [](const test::TempDir& d) { test::write_pair(d / "images/x.png", d / "elsewhere/x.png"); },
       "images/x.png", "image has no mask", 2},
      {"mask without image", [](const test::TempDir& d) { test::write_pair(d / "elsewhere/x.png", d / "masks/x.png"); },
       "masks/x.png", "mask has no image", 2},
      {"extra mask",
       [](const test::TempDir& d) {
         test::write_pair(d / "images/x.png", d / "masks/x.png");
         fs::copy_file(d / "masks/x.png", d / "masks/x.bmp");
       },
       "masks/x.bmp", "extra mask", 2},
      {"size mismatch",
       [](const test::TempDir& d) {
         test::write_pair(d / "images/x.png", d / "elsewhere/x.png");
         test::write_pair(d / "elsewhere/y.png", d / "masks/x.png", 20, 20, 5);
       },
       "masks/x.png", "mask is 20x20 but its image is 40x30", 3},
      {"three-valued mask",
       [](const test::TempDir& d) {
         test::write_pair(d / "images/x.png", d / "masks/x.png");
         cv::Mat mask(30, 40, CV_8U, cv::Scalar(0));
         mask(cv::Rect(0, 0, 10, 10)) = 128;
         mask(cv::Rect(20, 0, 10, 10)) = 255;
         cv::imwrite(d / "masks/x.png", mask);
       },
       "masks/x.png", "mask is not binary (values 0, 128, 255)", 3},
      {"JPEG-compressed mask",
       [](const test::TempDir& d) {
         test::write_pair(d / "images/x.png", d / "elsewhere/x.png", 64, 48, 15);
         cv::Mat mask = cv::Mat::zeros(48, 64, CV_8U);
         cv::circle(mask, {32, 24}, 15, 255, cv::FILLED);
         fs::create_directories(d / "masks");
         ASSERT_TRUE(cv::imwrite(d / "masks/x.jpg", mask, {cv::IMWRITE_JPEG_QUALITY, 75}));
       },
       "masks/x.jpg", "mask is not binary", 3},
      {"duplicate id",
       [](const test::TempDir& d) {
         test::write_pair(d / "images/a.jpg", d / "elsewhere/a.png");  // a.png already exists
       },
       "images/a.jpg", "duplicate id 'a'", 1},
  };
}

Config folder_config(const test::TempDir& d, const std::string& policy) {
  return config_from_text("[data]\nadapter = folder\nroot = " + (d / "data") + "\non_bad_sample = " + policy +
                              "\nimage_size = 32\nval_ratio = 0\ncache = false\n",
                          "test");
}

TEST(BadSamples, EachKindIsAnErrorOrASkipNamingTheFile) {
  for (const BadKind& kind : bad_kinds()) {
    SCOPED_TRACE(kind.name);
    test::TempDir root;
    test::TempDir& d = root;
    const std::string data = d / "data";
    test::write_pair(data + "/images/a.png", data + "/masks/a.png");
    test::write_pair(data + "/images/b.png", data + "/masks/b.png");
    test::TempDir staged;  // the maker writes relative to `staged`; then moved under data/
    kind.make(staged);
    for (const auto& entry : fs::recursive_directory_iterator(staged.path())) {
      if (!entry.is_regular_file()) continue;
      const fs::path target = fs::path(data) / fs::relative(entry.path(), staged.path());
      fs::create_directories(target.parent_path());
      fs::copy_file(entry.path(), target, fs::copy_options::overwrite_existing);
    }
    const std::string bad_path = data + "/" + kind.path;

    // error: no run data, a DataError naming the file.
    try {
      prepare_run_data(folder_config(d, "error"), d / "store");
      ADD_FAILURE() << "no error";
    } catch (const DataError& e) {
      EXPECT_EQ(e.input(), bad_path);
      EXPECT_NE(e.reason().find(kind.problem), std::string::npos) << e.reason();
    }

    // skip: listed once with its path, every good sample kept.
    const RunData run = prepare_run_data(folder_config(d, "skip"), d / "store");
    EXPECT_EQ(run.dataset->size(), kind.samples);
    bool listed = false;
    for (const auto& p : run.skipped) listed = listed || (p.path == bad_path && p.problem.find(kind.problem) != std::string::npos);
    EXPECT_TRUE(listed) << "skipped list lacks " << bad_path;
    const size_t good = kind.name == "duplicate id" ? 1 : 2;  // a.png and a.jpg are both out
    EXPECT_EQ(run.split.train.size(), good);
    EXPECT_EQ(run.samples->usable_count(), good);
    std::map<std::string, std::string> record;
    add_data_record(folder_config(d, "skip"), run, record);
    EXPECT_EQ(record.at("data.skipped"), std::to_string(run.skipped.size()));
    EXPECT_NE(record.at("data.skipped.1").find(kind.name == "duplicate id" ? "duplicate id" : kind.problem),
              std::string::npos);
  }
}

TEST(BadSamples, ManyBadSamplesAreCountedInTheError) {
  test::TempDir d;
  test::write_pair(d / "data/images/a.png", d / "data/masks/a.png");
  for (const char* id : {"b", "c", "d"}) test::write_pair(d / (std::string("data/images/") + id + ".png"), d / "elsewhere/m.png");
  try {
    prepare_run_data(folder_config(d, "error"), d / "store");
    ADD_FAILURE();
  } catch (const DataError& e) {
    EXPECT_EQ(e.input(), d / "data/images/b.png");
    EXPECT_NE(e.reason().find("(and 2 more bad samples)"), std::string::npos) << e.reason();
    EXPECT_NE(e.remedy().find("seglab data check"), std::string::npos);
  }
}

}  // namespace
}  // namespace seglab
