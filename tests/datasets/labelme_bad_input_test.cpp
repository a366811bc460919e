// Every kind of bad LabelMe input gives a DataError naming the file (and the
// shape); --skip-bad converts the rest; existing outputs survive a failed run.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "datasets/labelme_converter.h"
#include "tests/datasets/labelme_test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace seglab {
namespace {

constexpr int kWidth = 60, kHeight = 40;

json good_shapes() {
  return json::array({test::labelme_shape("lesion", "polygon", {{10, 10}, {50, 12}, {30, 35}}),
                      test::labelme_shape("_background_", "circle", {{30, 20}, {33, 20}})});
}

// A folder with one good file (and its image) and returns its path.
std::string good_folder(const test::TempDir& dir) {
  const std::string folder = dir / "data";
  fs::create_directories(folder);
  test::write_test_image(folder + "/good.jpg", kWidth, kHeight);
  test::write_labelme_json(folder + "/good.json", good_shapes(), kWidth, kHeight, "good.jpg");
  return folder;
}

struct BadCase {
  const char* name;
  std::function<void(const std::string& folder)> write;  // writes <folder>/bad.json (and what it needs)
  const char* expected;                                  // in the error message
  const char* shape;                                     // "shapes[i]" the message names, or ""
};

std::vector<BadCase> bad_cases() {
  auto with_shape = [](json shape) {
    return [shape](const std::string& folder) {
      test::write_test_image(folder + "/bad.jpg", kWidth, kHeight);
      json shapes = good_shapes();
      shapes.push_back(shape);
      test::write_labelme_json(folder + "/bad.json", shapes, kWidth, kHeight, "bad.jpg");
    };
  };
  return {
      {"json that does not parse",
       [](const std::string& folder) { test::write_text_file(folder + "/bad.json", "{\"shapes\": [ {\"label\": }"); },
       "JSON does not parse", ""},
      // nlohmann throws out_of_range (not parse_error) for it; found by fuzz/labelme_reader_fuzzer.
      {"number too large for a double",
       [](const std::string& folder) {
         test::write_text_file(folder + "/bad.json", "{\"shapes\": [], \"imageWidth\": 1e400, \"imageHeight\": 4}");
       },
       "JSON does not parse: number overflow parsing '1e400'", ""},
      {"polygon with two points", with_shape(test::labelme_shape("lesion", "polygon", {{1, 1}, {5, 5}})),
       "polygon has 2 points, needs at least 3", "shapes[2]"},
      {"circle with one point", with_shape(test::labelme_shape("lesion", "circle", {{1, 1}})),
       "circle has 1 point, needs exactly 2", "shapes[2]"},
      {"point outside the image", with_shape(test::labelme_shape("lesion", "polygon", {{1, 1}, {5, 5}, {90, 5}})),
       "point (90, 5) is outside the 60x40 image", "shapes[2]"},
      {"unknown shape type", with_shape(test::labelme_shape("lesion", "hexagon", {{1, 1}, {5, 5}})),
       "unknown shape type 'hexagon'", "shapes[2]"},
      {"more than 255 classes",
       [](const std::string& folder) {
         test::write_test_image(folder + "/bad.jpg", kWidth, kHeight);
         json shapes = json::array();
         for (int i = 0; i < 256; ++i)
           shapes.push_back(test::labelme_shape("class" + std::to_string(i), "point", {{5, 5}}));
         test::write_labelme_json(folder + "/bad.json", shapes, kWidth, kHeight, "bad.jpg");
       },
       "label 'class254' would be class 255, over the limit of 255 classes", "shapes[254]"},
      {"missing image and no imageData",
       [](const std::string& folder) { test::write_labelme_json(folder + "/bad.json", good_shapes(), kWidth, kHeight, "gone.jpg"); },
       "gone.jpg not found and the file has no imageData", ""},
      {"image size disagreeing with imageWidth",
       [](const std::string& folder) {
         test::write_test_image(folder + "/bad.jpg", kWidth + 10, kHeight);
         test::write_labelme_json(folder + "/bad.json", good_shapes(), kWidth, kHeight, "bad.jpg");
       },
       "image is 70x40", ""},
      {"imageData that is not an image",
       [](const std::string& folder) {
         test::write_labelme_json(folder + "/bad.json", good_shapes(), kWidth, kHeight, "gone.jpg", "bm90IGFuIGltYWdl");
       },
       "imageData is not a base64-encoded image", ""},
      {"mask bitmap of the wrong size",
       [](const std::string& folder) {
         test::write_test_image(folder + "/bad.jpg", kWidth, kHeight);
         json shapes = good_shapes();
         json mask = test::labelme_shape("lesion", "mask", {{2, 2}, {11, 11}});
         mask["mask"] = test::png_base64(cv::Mat::ones(5, 5, CV_8U) * 255);
         shapes.push_back(mask);
         test::write_labelme_json(folder + "/bad.json", shapes, kWidth, kHeight, "bad.jpg");
       },
       "the 'mask' bitmap is 5x5 but its corner points span 10x10", "shapes[2]"},
  };
}

TEST(LabelMeBadInput, EachCaseNamesTheFileAndShape) {
  for (const auto& c : bad_cases()) {
    test::TempDir dir;
    const std::string folder = good_folder(dir);
    c.write(folder);
    try {
      convert_labelme_folder(folder, {});
      ADD_FAILURE() << c.name << ": no error";
    } catch (const DataError& e) {
      const std::string message = e.describe();
      EXPECT_NE(message.find(c.expected), std::string::npos) << c.name << ": " << message;
      EXPECT_NE(message.find("bad.json"), std::string::npos) << c.name << ": " << message;
      if (*c.shape) {
        EXPECT_NE(message.find(std::string("bad.json, ") + c.shape), std::string::npos) << c.name << ": " << message;
      }
    }
    // Nothing was written: the folder's files are all checked first.
    EXPECT_FALSE(fs::exists(folder + "/annotations")) << c.name;
    EXPECT_FALSE(fs::exists(folder + "/class_names.txt")) << c.name;
  }
}

TEST(LabelMeBadInput, SkipBadConvertsTheRestAndListsTheBadFiles) {
  test::TempDir dir;
  const std::string folder = good_folder(dir);
  const auto cases = bad_cases();
  // Every bad case as its own file, named after its index.
  for (size_t i = 0; i < cases.size(); ++i) {
    test::TempDir scratch;
    fs::create_directories(scratch.path());
    cases[i].write(scratch.path());
    for (const auto& entry : fs::directory_iterator(scratch.path())) {
      const std::string name = entry.path().filename().string();
      std::string renamed = name == "bad.json" ? "bad" + std::to_string(i) + ".json" : name;
      if (name == "bad.jpg") {
        // Images are referenced by name from bad.json: rewrite the reference.
        renamed = "bad" + std::to_string(i) + ".jpg";
      }
      fs::copy_file(entry.path(), fs::path(folder) / renamed);
    }
    const std::string json_path = folder + "/bad" + std::to_string(i) + ".json";
    std::string text = test::read_text_file(json_path);
    const size_t at = text.find("\"bad.jpg\"");
    if (at != std::string::npos) text.replace(at, 9, "\"bad" + std::to_string(i) + ".jpg\"");
    test::write_text_file(json_path, text);
  }
  LabelMeConvertOptions options;
  options.skip_bad = true;
  const LabelMeConversion result = convert_labelme_folder(folder, options);
  ASSERT_EQ(result.converted.size(), 1u);
  EXPECT_EQ(fs::path(result.converted[0].json_path).filename(), "good.json");
  ASSERT_EQ(result.skipped.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string name = "bad" + std::to_string(i) + ".json";
    bool listed = false;
    for (const auto& [file, error] : result.skipped)
      if (fs::path(file).filename() == name) {
        listed = true;
        EXPECT_NE(error.find(cases[i].expected), std::string::npos) << error;
      }
    EXPECT_TRUE(listed) << name;
  }
  // The 255-class file was skipped whole: its labels are not in the class list.
  EXPECT_EQ(test::read_text_file(folder + "/class_names.txt"), "_background_\nlesion\n");
  const cv::Mat mask = cv::imread(folder + "/annotations/good.png", cv::IMREAD_UNCHANGED);
  ASSERT_EQ(mask.size(), cv::Size(kWidth, kHeight));
  EXPECT_EQ(mask.at<uchar>(20, 30), 0);  // the _background_ circle's hole
  EXPECT_EQ(mask.at<uchar>(15, 30), 1);
}

TEST(LabelMeBadInput, AFailedRunLeavesEarlierOutputsIntact) {
  test::TempDir dir;
  const std::string folder = good_folder(dir);
  convert_labelme_folder(folder, {});
  const std::string before_mask = test::read_text_file(folder + "/annotations/good.png");
  const std::string before_names = test::read_text_file(folder + "/class_names.txt");
  // The good file gains a class, and a bad file joins the folder.
  json shapes = good_shapes();
  shapes.push_back(test::labelme_shape("scale", "rectangle", {{0, 0}, {8, 8}}));
  test::write_labelme_json(folder + "/good.json", shapes, kWidth, kHeight, "good.jpg");
  bad_cases()[1].write(folder);
  EXPECT_THROW(convert_labelme_folder(folder, {}), DataError);
  EXPECT_EQ(test::read_text_file(folder + "/annotations/good.png"), before_mask);
  EXPECT_EQ(test::read_text_file(folder + "/class_names.txt"), before_names);
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();

  LabelMeConvertOptions unknown_label;
  fs::remove(folder + "/bad.json");
  test::write_text_file(folder + "/labels.txt", "__ignore__\n_background_\nlesion\n");
  unknown_label.labels_file = folder + "/labels.txt";
  try {
    convert_labelme_folder(folder, unknown_label);
    ADD_FAILURE() << "a label missing from labels.txt was accepted";
  } catch (const DataError& e) {
    EXPECT_NE(e.describe().find("good.json, shapes[2]"), std::string::npos) << e.describe();
    EXPECT_NE(e.describe().find("'scale' is not in the labels file"), std::string::npos) << e.describe();
  }
}

}  // namespace
}  // namespace seglab
