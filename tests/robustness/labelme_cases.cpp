// LabelMe JSON files, as `seglab labelme2seg <dir>` reads them. The folder
// also holds a good file already converted: its mask must survive every case.
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "tests/robustness/corpus.h"
#include "tests/robustness/corpus_files.h"
#include "tests/support/test_support.h"

namespace seglab::test {
namespace {

const char* kPolygon = R"({"label": "lesion", "points": [[5, 5], [30, 5], [30, 25]], "shape_type": "polygon"})";

std::string labelme_json(const std::string& shapes, const std::string& rest = R"("imagePath": "a.png", "imageWidth": 40, "imageHeight": 30)") {
  return "{\"version\": \"5.4.1\", \"flags\": {}, \"shapes\": [" + shapes + "], " + rest + "}";
}

// dir/lm: a.png + a.json (good, converted before the case), bad.json = `json`.
Invocation convert(const CaseContext& c, const std::string& json, std::vector<std::string> needles) {
  const std::string lm = c.dir + "/lm";
  cv::Mat image(30, 40, CV_8UC3, cv::Scalar(120, 130, 140));
  std::filesystem::create_directories(lm);
  cv::imwrite(lm + "/a.png", image);
  write_text_file(lm + "/a.json", labelme_json(kPolygon));
  write_bytes(lm + "/annotations/a.png", "previous conversion");  // must not be replaced by a failed run
  write_bytes(lm + "/bad.json", json);
  needles.insert(needles.begin(), "bad.json");
  Invocation i{"labelme2seg " + lm, needles};
  i.also = [lm](const std::string&) {
    return read_bytes(lm + "/annotations/a.png") == "previous conversion" ? "" : "a failed conversion replaced a mask";
  };
  return i;
}

std::string many_points(size_t n) {
  std::string points;
  for (size_t i = 0; i < n; ++i) points += (i ? ", [" : "[") + std::to_string(i % 40) + ", " + std::to_string(i % 30) + "]";
  return R"({"label": "lesion", "shape_type": "polygon", "points": [)" + points + "]}";
}

std::string png_of(int width, int height) {
  std::vector<uchar> bytes;
  cv::imencode(".png", cv::Mat(height, width, CV_8UC3, cv::Scalar(1, 2, 3)), bytes);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

std::vector<Case> labelme_cases() {
  const std::string sized = R"("imagePath": "a.png", )";
  return {
      {"labelme_invalid_json", "labelme",
       [](const CaseContext& c) { return convert(c, "{\"shapes\": [", {"JSON does not parse", "line 1"}); }},
      {"labelme_zero_bytes", "labelme",
       [](const CaseContext& c) { return convert(c, "", {"JSON does not parse"}); }},
      {"labelme_binary_garbage", "labelme",
       [](const CaseContext& c) { return convert(c, std::string("\x00\xff\xfe{\x01", 5), {"JSON does not parse"}); }},
      {"labelme_top_level_array", "labelme",
       [](const CaseContext& c) { return convert(c, "[1, 2, 3]", {"not a LabelMe file (no 'shapes' list)"}); }},
      {"labelme_shapes_not_a_list", "labelme",
       [](const CaseContext& c) { return convert(c, R"({"shapes": {"label": "x"}, "imageWidth": 40, "imageHeight": 30})", {"not a LabelMe file"}); }},
      {"labelme_missing_image_width", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(kPolygon, R"("imagePath": "a.png", "imageHeight": 30)"), {"'imageWidth' is missing"}); }},
      {"labelme_width_is_a_string", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(kPolygon, R"("imagePath": "a.png", "imageWidth": "40", "imageHeight": 30)"), {"'imageWidth' is missing or not a positive integer"}); }},
      {"labelme_negative_height", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(kPolygon, R"("imagePath": "a.png", "imageWidth": 40, "imageHeight": -30)"), {"'imageHeight' is missing or not a positive integer"}); }},
      {"labelme_nan_coordinate", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(R"({"label": "lesion", "points": [[NaN, 5], [30, 5], [30, 25]]})"), {"JSON does not parse"}); }},
      {"labelme_infinite_coordinate", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(R"({"label": "lesion", "points": [[1e999, 5], [30, 5], [30, 25]]})"), {"JSON does not parse"}); }},
      {"labelme_huge_coordinate", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(R"({"label": "lesion", "points": [[1e300, 5], [30, 5], [30, 25]]})"), {"shapes[0]", "is outside the 40x30 image"}); }},
      {"labelme_point_is_a_string", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(R"({"label": "lesion", "points": [["5", 5], [30, 5], [30, 25]]})"), {"shapes[0]", "a point is not [x, y]"}); }},
      {"labelme_point_with_three_numbers", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(R"({"label": "lesion", "points": [[5, 5, 5], [30, 5], [30, 25]]})"), {"a point is not [x, y]"}); }},
      {"labelme_label_is_a_number", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(R"({"label": 7, "points": [[5, 5], [30, 5], [30, 25]]})"), {"shapes[0]", "shape has no label"}); }},
      {"labelme_missing_points", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(R"({"label": "lesion", "shape_type": "polygon"})"), {"shape has no 'points' list"}); }},
      {"labelme_shape_not_an_object", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(R"("lesion")"), {"shape is not a JSON object"}); }},
      {"labelme_unknown_shape_type", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(R"({"label": "lesion", "shape_type": "blob", "points": [[5, 5]]})"), {"unknown shape type 'blob'"}); }},
      {"labelme_polygon_with_two_points", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(R"({"label": "lesion", "points": [[5, 5], [30, 5]]})"), {"polygon has 2 points, needs at least 3"}); }},
      {"labelme_huge_point_count", "labelme",
       [](const CaseContext& c) { return convert(c, labelme_json(many_points(150000)), {"shapes[0]", "shape has 150000 points, over the limit of 100000"}); }},
      {"labelme_too_many_shapes", "labelme",
       [](const CaseContext& c) {
         std::string shapes;
         for (int i = 0; i < 10001; ++i) shapes += (i ? ", " : "") + std::string(kPolygon);
         return convert(c, labelme_json(shapes), {"the file has 10001 shapes, over the limit of 10000"});
       }},
      {"labelme_huge_declared_size", "labelme",
       [=](const CaseContext& c) {
         return convert(c, labelme_json(kPolygon, sized + R"("imageWidth": 60000, "imageHeight": 60000)"), {"imageWidth x imageHeight", "over the limit of 64 megapixels"});
       }},
      {"labelme_deeply_nested", "labelme",
       [](const CaseContext& c) {
         return convert(c, labelme_json(R"({"label": "lesion", "points": )" + std::string(100000, '[') + std::string(100000, ']') + "}"), {"a point is not [x, y]"});
       }},
      {"labelme_image_data_not_base64", "labelme",
       [](const CaseContext& c) {
         return convert(c, labelme_json(kPolygon, R"("imagePath": null, "imageData": "@@@not base64@@@", "imageWidth": 40, "imageHeight": 30)"), {"imageData is not a base64-encoded image"});
       }},
      {"labelme_image_data_bomb", "labelme",
       [](const CaseContext& c) {
         return convert(c, labelme_json(kPolygon, R"("imagePath": null, "imageData": ")" + base64(png_declaring(80000, 80000)) + R"(", "imageWidth": 40, "imageHeight": 30)"), {"imageData", "image is 80000x80000", "over the limit"});
       }},
      {"labelme_image_missing", "labelme",
       [](const CaseContext& c) {
         return convert(c, labelme_json(kPolygon, R"("imagePath": "gone.png", "imageWidth": 40, "imageHeight": 30)"), {"gone.png not found and the file has no imageData"});
       }},
      {"labelme_image_size_mismatch", "labelme",
       [](const CaseContext& c) {
         return convert(c, labelme_json(kPolygon, R"("imagePath": null, "imageData": ")" + base64(png_of(20, 20)) + R"(", "imageWidth": 40, "imageHeight": 30)"), {"image is 20x20", "imageWidth x imageHeight say 40x30"});
       }},
      {"labelme_mask_bitmap_not_an_image", "labelme",
       [](const CaseContext& c) {
         return convert(c, labelme_json(R"({"label": "lesion", "shape_type": "mask", "points": [[0, 0], [9, 9]], "mask": "AAAA"})"), {"shapes[0]", "the 'mask' bitmap is not a base64-encoded image"});
       }},
      {"labelme_mask_bitmap_bomb", "labelme",
       [](const CaseContext& c) {
         return convert(c, labelme_json(R"({"label": "lesion", "shape_type": "mask", "points": [[0, 0], [9, 9]], "mask": ")" + base64(png_declaring(90000, 90000)) + "\"}"), {"'mask' bitmap", "over the limit"});
       }},
      {"labelme_too_many_classes", "labelme",
       [](const CaseContext& c) {
         std::string shapes;
         for (int i = 0; i < 300; ++i)
           shapes += (i ? ", " : "") + std::string(R"({"label": "class)") + std::to_string(i) + R"(", "points": [[5, 5], [30, 5], [30, 25]]})";
         return convert(c, labelme_json(shapes), {"over the limit of 255 classes"});
       }},
  };
}

}  // namespace seglab::test
