#pragma once
// LabelMe files made by code for the LabelMe tests, and the pixel comparison
// against a reference that ignores boundary pixels.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "datasets/labelme_annotation.h"
#include "datasets/labelme_rasterize.h"
#include "tests/support/test_support.h"

namespace seglab::test {

inline std::string encode_base64(const std::vector<uchar>& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    for (int s : {18, 12, 6, 0}) out += alphabet[(v >> s) & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = bytes[i] << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    for (int s : {18, 12, 6}) out += alphabet[(v >> s) & 63];
    out += "=";
  }
  return out;
}

inline std::string png_base64(const cv::Mat& image) {
  std::vector<uchar> bytes;
  cv::imencode(".png", image, bytes);
  return encode_base64(bytes);
}

// A JPEG of width x height with some texture (BGR, as imwrite takes it).
inline cv::Mat write_test_image(const std::string& path, int width, int height) {
  cv::Mat image(height, width, CV_8UC3);
  cv::randu(image, cv::Scalar::all(40), cv::Scalar::all(220));
  cv::imwrite(path, image);
  return image;
}

inline nlohmann::json labelme_shape(const std::string& label, const std::string& type,
                                    const std::vector<cv::Point2d>& points) {
  nlohmann::json shape = {{"label", label}, {"shape_type", type}, {"group_id", nullptr}, {"flags", nlohmann::json::object()}};
  shape["points"] = nlohmann::json::array();
  for (const auto& p : points) shape["points"].push_back({p.x, p.y});
  return shape;
}

// A LabelMe 5 file; imageData is null unless `image_data` is given.
inline void write_labelme_json(const std::string& path, const nlohmann::json& shapes, int width, int height,
                               const std::string& image_path, const std::string& image_data = "") {
  nlohmann::json file = {{"version", "5.2.1"}, {"flags", nlohmann::json::object()}, {"shapes", shapes},
                         {"imagePath", image_path}, {"imageHeight", height}, {"imageWidth", width}};
  file["imageData"] = image_data.empty() ? nlohmann::json(nullptr) : nlohmann::json(image_data);
  write_text_file(path, file.dump(2));
}

// Pixels within one pixel of a class change in `mask`.
inline cv::Mat boundary_of(const cv::Mat& mask) {
  cv::Mat high, low, boundary;
  const cv::Mat kernel = cv::Mat::ones(3, 3, CV_8U);
  cv::dilate(mask, high, kernel);
  cv::erode(mask, low, kernel);
  cv::compare(high, low, boundary, cv::CMP_NE);
  return boundary;
}

// The boundary pixels of an annotation: those within one pixel of any
// shape's outline (each shape drawn alone), where two rasterisers may
// legitimately disagree on which side of an edge a pixel falls.
inline cv::Mat shape_boundaries(const LabelMeAnnotation& annotation) {
  cv::Mat all = cv::Mat::zeros(annotation.height, annotation.width, CV_8U);
  for (const auto& shape : annotation.shapes) {
    cv::Mat alone = cv::Mat::zeros(all.size(), CV_8U);
    draw_labelme_shape(alone, shape, 1);
    all |= boundary_of(alone);
  }
  return all;
}

struct Agreement {
  double fraction = 0;     // of the pixels off the boundary
  int64_t compared = 0, differing = 0, boundary = 0;
};

inline Agreement agreement_off_boundary(const cv::Mat& ours, const cv::Mat& reference, const cv::Mat& boundary) {
  Agreement a;
  for (int y = 0; y < ours.rows; ++y)
    for (int x = 0; x < ours.cols; ++x) {
      if (boundary.at<uchar>(y, x)) {
        ++a.boundary;
        continue;
      }
      ++a.compared;
      if (ours.at<uchar>(y, x) != reference.at<uchar>(y, x)) ++a.differing;
    }
  a.fraction = a.compared ? 1.0 - static_cast<double>(a.differing) / a.compared : 0;
  return a;
}

// Copies the files of ../shared/data/labelme/<folder> into `dir` (the
// converter writes beside its input, and the shared data stays untouched).
inline std::string copy_labelme_folder(const std::string& folder, const std::string& dir) {
  const std::string from = shared_data("labelme/" + folder);
  std::filesystem::create_directories(dir);
  for (const auto& entry : std::filesystem::directory_iterator(from))
    if (entry.is_regular_file()) std::filesystem::copy_file(entry.path(), std::filesystem::path(dir) / entry.path().filename());
  return dir;
}

}  // namespace seglab::test
