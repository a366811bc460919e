#pragma once
// One LabelMe JSON file, parsed and checked: its shapes (label, type, points,
// and for `mask` shapes the decoded bitmap) and where its image comes from.
// Every fault is a DataError naming the file and, for a shape, its index in
// `shapes` ("x.json, shapes[3]").
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace seglab {

// LabelMe's reserved labels: `_background_` is class 0 (a `_background_`
// shape drawn after another cuts a hole in it); `__ignore__` regions become
// the ignore index 255 and count in neither loss nor metrics.
inline const char* const kLabelMeBackground = "_background_";
inline const char* const kLabelMeIgnore = "__ignore__";

enum class LabelMeShapeType { polygon, rectangle, circle, line, linestrip, point, mask };

struct LabelMeShape {
  std::string label;
  LabelMeShapeType type = LabelMeShapeType::polygon;
  std::vector<cv::Point2d> points;  // pixel coordinates as LabelMe stores them
  cv::Mat bitmap;                   // `mask` shapes: CV_8U 0/1, covering points[0]..points[1]
};

struct LabelMeAnnotation {
  std::string json_path;
  std::string image_path;   // imagePath resolved against the JSON's folder ("" when absent)
  bool has_image_data = false;  // `imageData` holds an embedded image
  int width = 0, height = 0;    // imageWidth, imageHeight
  std::vector<LabelMeShape> shapes;
};

// Parses and checks a file: valid JSON, a `shapes` list, known shape types
// with enough points, points inside the image (within one pixel of its border,
// as LabelMe's own examples place vertices on x = width), decodable mask bitmaps.
LabelMeAnnotation read_labelme_file(const std::string& json_path);

// The annotated image as 8-bit RGB: the file at imagePath when it exists and
// decodes, else the embedded imageData. Throws when neither is usable, or when
// the image's size is not imageWidth x imageHeight. `used_image_data`, when
// given, tells which source was used.
cv::Mat load_labelme_image(const LabelMeAnnotation& annotation, bool* used_image_data = nullptr);

// The LabelMe files of a folder (*.json, not recursive), sorted by name.
// Throws DataError when the folder is missing or holds none.
std::vector<std::string> list_labelme_files(const std::string& dir);

// "polygon", "rectangle", ... as written in the JSON.
const char* shape_type_name(LabelMeShapeType type);

}  // namespace seglab
