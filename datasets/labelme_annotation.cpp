#include "datasets/labelme_annotation.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "core/error.h"
#include "core/text.h"
#include "datasets/base64.h"
#include "datasets/image_header.h"
#include "datasets/image_io.h"
#include "datasets/input_limits.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace seglab {
namespace {

// LabelMe's own examples put vertices on x = width and up to 0.8 px past the
// bottom edge (semantic_segmentation/2011_000006.json), so one pixel of slack
// keeps real files valid while catching points that belong to another image.
constexpr double kBorderSlack = 1.0;

const char* const kFix = "fix it in LabelMe (or remove the file, or convert with --skip-bad)";

json parse_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open file", path, "check that it exists and is readable");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 3, column 5: ...";
    // a number too large for a double is out_of_range.406, not a parse_error
    // (found by fuzz/labelme_reader_fuzzer).
    std::string reason = e.what();
    const size_t at = reason.find("] ");
    if (at != std::string::npos) reason = reason.substr(at + 2);
    throw DataError("JSON does not parse: " + reason, path, kFix);
  }
}

std::string shape_input(const std::string& path, size_t index) {
  return path + ", shapes[" + std::to_string(index) + "]";
}

LabelMeShapeType parse_shape_type(const json& shape, const std::string& input) {
  auto it = shape.find("shape_type");
  // Files of LabelMe before 3.0 have no shape_type: every shape is a polygon.
  if (it == shape.end() || it->is_null()) return LabelMeShapeType::polygon;
  if (!it->is_string()) throw DataError("shape_type is not a string", input, kFix);
  const std::string name = it->get<std::string>();
  for (auto type : {LabelMeShapeType::polygon, LabelMeShapeType::rectangle, LabelMeShapeType::circle,
                    LabelMeShapeType::line, LabelMeShapeType::linestrip, LabelMeShapeType::point,
                    LabelMeShapeType::mask})
    if (name == shape_type_name(type)) return type;
  throw DataError("unknown shape type '" + name + "'", input,
                  "LabelMe shape types are polygon, rectangle, circle, line, linestrip, point and mask");
}

// The point counts LabelMe's shape_to_mask asserts.
void check_point_count(LabelMeShapeType type, size_t count, const std::string& input) {
  std::string needed;
  switch (type) {
    case LabelMeShapeType::polygon: if (count < 3) needed = "at least 3"; break;
    case LabelMeShapeType::linestrip: if (count < 2) needed = "at least 2"; break;
    case LabelMeShapeType::point: if (count != 1) needed = "exactly 1"; break;
    default: if (count != 2) needed = "exactly 2"; break;
  }
  if (!needed.empty())
    throw DataError(std::string(shape_type_name(type)) + " has " + std::to_string(count) + " point" +
                        (count == 1 ? "" : "s") + ", needs " + needed,
                    input, kFix);
}

cv::Mat decode_mask_bitmap(const json& shape, const LabelMeShape& parsed, const std::string& input) {
  auto it = shape.find("mask");
  if (it == shape.end() || !it->is_string()) throw DataError("mask shape has no 'mask' bitmap", input, kFix);
  const auto bytes = decode_base64(it->get<std::string>());
  cv::Mat bitmap;
  if (bytes) check_image_header(*bytes, input + " 'mask' bitmap");
  if (bytes && !bytes->empty()) bitmap = cv::imdecode(*bytes, cv::IMREAD_GRAYSCALE);
  if (bitmap.empty()) throw DataError("the 'mask' bitmap is not a base64-encoded image", input, kFix);
  // LabelMe pastes the bitmap at [y1:y2+1, x1:x2+1] of the truncated corner points.
  const int x1 = static_cast<int>(parsed.points[0].x), y1 = static_cast<int>(parsed.points[0].y);
  const int x2 = static_cast<int>(parsed.points[1].x), y2 = static_cast<int>(parsed.points[1].y);
  if (bitmap.cols != x2 - x1 + 1 || bitmap.rows != y2 - y1 + 1)
    throw DataError("the 'mask' bitmap is " + std::to_string(bitmap.cols) + "x" + std::to_string(bitmap.rows) +
                        " but its corner points span " + std::to_string(x2 - x1 + 1) + "x" +
                        std::to_string(y2 - y1 + 1),
                    input, kFix);
  cv::Mat binary;
  cv::threshold(bitmap, binary, 0, 1, cv::THRESH_BINARY);
  return binary;
}

LabelMeShape parse_shape(const json& shape, const LabelMeAnnotation& file, size_t index) {
  const std::string input = shape_input(file.json_path, index);
  if (!shape.is_object()) throw DataError("shape is not a JSON object", input, kFix);
  LabelMeShape parsed;
  auto label = shape.find("label");
  if (label == shape.end() || !label->is_string() || trim(label->get<std::string>()).empty())
    throw DataError("shape has no label", input, kFix);
  parsed.label = trim(label->get<std::string>());
  parsed.type = parse_shape_type(shape, input);

  auto points = shape.find("points");
  if (points == shape.end() || !points->is_array()) throw DataError("shape has no 'points' list", input, kFix);
  if (points->size() > kMaxLabelMePointsPerShape)
    throw DataError("shape has " + std::to_string(points->size()) + " points, over the limit of " +
                        std::to_string(kMaxLabelMePointsPerShape),
                    input, "simplify the shape in LabelMe (a shape this large is a broken export)");
  for (const auto& p : *points) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number())
      throw DataError("a point is not [x, y]", input, kFix);
    parsed.points.emplace_back(p[0].get<double>(), p[1].get<double>());
  }
  check_point_count(parsed.type, parsed.points.size(), input);
  for (const auto& p : parsed.points)
    if (!(p.x >= -kBorderSlack && p.x <= file.width + kBorderSlack && p.y >= -kBorderSlack &&
          p.y <= file.height + kBorderSlack)) {
      std::ostringstream where;
      where << "point (" << format_number(p.x) << ", " << format_number(p.y) << ") is outside the "
            << file.width << "x" << file.height << " image";
      throw DataError(where.str(), input, kFix);
    }
  if (parsed.type == LabelMeShapeType::mask) parsed.bitmap = decode_mask_bitmap(shape, parsed, input);
  return parsed;
}

int positive_int(const json& root, const char* key, const std::string& path) {
  auto it = root.find(key);
  if (it == root.end() || !it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 1 << 16)
    throw DataError(std::string("'") + key + "' is missing or not a positive integer", path, kFix);
  return static_cast<int>(it->get<long long>());
}

}  // namespace

const char* shape_type_name(LabelMeShapeType type) {
  switch (type) {
    case LabelMeShapeType::polygon: return "polygon";
    case LabelMeShapeType::rectangle: return "rectangle";
    case LabelMeShapeType::circle: return "circle";
    case LabelMeShapeType::line: return "line";
    case LabelMeShapeType::linestrip: return "linestrip";
    case LabelMeShapeType::point: return "point";
    case LabelMeShapeType::mask: return "mask";
  }
  return "?";
}

LabelMeAnnotation read_labelme_file(const std::string& json_path) {
  const json root = parse_json_file(json_path);
  if (!root.is_object() || !root.contains("shapes") || !root["shapes"].is_array())
    throw DataError("not a LabelMe file (no 'shapes' list)", json_path, "keep only LabelMe .json files in the folder");
  LabelMeAnnotation file;
  file.json_path = json_path;
  file.width = positive_int(root, "imageWidth", json_path);
  file.height = positive_int(root, "imageHeight", json_path);
  auto image_path = root.find("imagePath");
  if (image_path != root.end() && image_path->is_string() && !image_path->get<std::string>().empty()) {
    std::string relative = image_path->get<std::string>();
    std::replace(relative.begin(), relative.end(), '\\', '/');  // files saved by LabelMe on Windows
    file.image_path = (fs::path(json_path).parent_path() / relative).lexically_normal().string();
  }
  auto data = root.find("imageData");
  file.has_image_data = data != root.end() && data->is_string() && !data->get<std::string>().empty();
  check_image_pixels(file.width, file.height, json_path + " imageWidth x imageHeight");
  const json& shapes = root["shapes"];
  if (shapes.size() > kMaxLabelMeShapes)
    throw DataError("the file has " + std::to_string(shapes.size()) + " shapes, over the limit of " +
                        std::to_string(kMaxLabelMeShapes),
                    json_path, "split the annotation or merge its shapes");
  for (size_t i = 0; i < shapes.size(); ++i) file.shapes.push_back(parse_shape(shapes[i], file, i));
  return file;
}

cv::Mat load_labelme_image(const LabelMeAnnotation& file, bool* used_image_data) {
  cv::Mat image;
  std::string source;
  std::error_code ec;
  // imagePath may point at the JSON itself (LabelMe's tutorial file does): such
  // a path does not decode, and imageData is used instead.
  const bool path_usable = !file.image_path.empty() && fs::is_regular_file(file.image_path, ec) &&
                           !fs::equivalent(file.image_path, file.json_path, ec);
  if (path_usable) {
    try {
      image = read_rgb_image(file.image_path);
      source = file.image_path;
    } catch (const DataError&) {
      if (!file.has_image_data) throw;
    }
  }
  if (image.empty()) {
    if (!file.has_image_data)
      throw DataError("image " + (file.image_path.empty() ? std::string("(no imagePath)") : file.image_path) +
                          " not found and the file has no imageData",
                      file.json_path, "put the image beside the JSON, or save it in LabelMe with the image data");
    const json root = parse_json_file(file.json_path);
    const auto bytes = decode_base64(root["imageData"].get<std::string>());
    cv::Mat bgr;
    if (bytes) check_image_header(*bytes, file.json_path + " imageData");
    if (bytes && !bytes->empty()) bgr = cv::imdecode(*bytes, cv::IMREAD_COLOR);
    if (bgr.empty()) throw DataError("imageData is not a base64-encoded image", file.json_path, kFix);
    cv::cvtColor(bgr, image, cv::COLOR_BGR2RGB);
    source = "its imageData";
  }
  if (used_image_data) *used_image_data = source != file.image_path;
  if (image.cols != file.width || image.rows != file.height)
    throw DataError("image is " + std::to_string(image.cols) + "x" + std::to_string(image.rows) + " (" + source +
                        ") but imageWidth x imageHeight say " + std::to_string(file.width) + "x" +
                        std::to_string(file.height),
                    file.json_path, "annotate the image you have, or fix imageWidth/imageHeight");
  return image;
}

std::vector<std::string> list_labelme_files(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw DataError("folder not found", dir, "give the folder that holds the LabelMe .json files");
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && !name.empty() && name[0] != '.' && to_lower(entry.path().extension().string()) == ".json")
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw DataError("no LabelMe .json files in the folder", dir, "annotate images with LabelMe first");
  return files;
}

}  // namespace seglab
