#include "engine/mask_postprocess.h"

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace seglab {
namespace {

// Components of `mask == c` (8-connected); stats has one row per label, 0 the rest.
int class_components(const cv::Mat& mask, int c, cv::Mat& labels, cv::Mat& stats) {
  const cv::Mat binary = mask == c;
  cv::Mat centroids;
  return cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
}

void remove_small(cv::Mat& mask, int c, int64_t min_area) {
  cv::Mat labels, stats;
  const int count = class_components(mask, c, labels, stats);
  for (int y = 0; y < mask.rows; ++y) {
    uchar* row = mask.ptr<uchar>(y);
    const int* label = labels.ptr<int>(y);
    for (int x = 0; x < mask.cols; ++x)
      if (label[x] > 0 && label[x] < count && stats.at<int>(label[x], cv::CC_STAT_AREA) < min_area) row[x] = 0;
  }
}

void keep_largest(cv::Mat& mask, int c) {
  cv::Mat labels, stats;
  const int count = class_components(mask, c, labels, stats);
  if (count <= 2) return;  // background and at most one component
  int largest = 1;         // ties keep the component met first in raster order
  for (int l = 2; l < count; ++l)
    if (stats.at<int>(l, cv::CC_STAT_AREA) > stats.at<int>(largest, cv::CC_STAT_AREA)) largest = l;
  for (int y = 0; y < mask.rows; ++y) {
    uchar* row = mask.ptr<uchar>(y);
    const int* label = labels.ptr<int>(y);
    for (int x = 0; x < mask.cols; ++x)
      if (label[x] > 0 && label[x] != largest) row[x] = 0;
  }
}

void fill_holes(cv::Mat& mask, int c) {
  const cv::Mat outside_class = mask != c;
  cv::Mat labels;
  const int count = cv::connectedComponents(outside_class, labels, 4, CV_32S);
  std::vector<bool> reaches_border(static_cast<size_t>(count), false);
  for (int x = 0; x < mask.cols; ++x) {
    reaches_border[labels.at<int>(0, x)] = true;
    reaches_border[labels.at<int>(mask.rows - 1, x)] = true;
  }
  for (int y = 0; y < mask.rows; ++y) {
    reaches_border[labels.at<int>(y, 0)] = true;
    reaches_border[labels.at<int>(y, mask.cols - 1)] = true;
  }
  for (int y = 0; y < mask.rows; ++y) {
    uchar* row = mask.ptr<uchar>(y);
    const int* label = labels.ptr<int>(y);
    for (int x = 0; x < mask.cols; ++x)
      if (row[x] == 0 && label[x] > 0 && !reaches_border[label[x]]) row[x] = static_cast<uchar>(c);
  }
}

}  // namespace

std::string PostprocessOptions::describe() const {
  std::string out;
  auto add = [&](const std::string& step) { out += (out.empty() ? "" : "+") + step; };
  if (min_area > 0) add("min" + std::to_string(min_area));
  if (keep_largest) add("largest");
  if (fill_holes) add("holes");
  return out.empty() ? "none" : out;
}

void postprocess_mask(cv::Mat& mask, int num_classes, const PostprocessOptions& options) {
  if (mask.type() != CV_8U) throw Error("post-processing needs an 8-bit class mask");
  if (options.min_area < 0) throw Error("post-processing min_area must be 0 or more");
  for (int c = 1; c < num_classes; ++c) {
    if (options.min_area > 0) remove_small(mask, c, options.min_area);
    if (options.keep_largest) keep_largest(mask, c);
    if (options.fill_holes) fill_holes(mask, c);
  }
}

}  // namespace seglab
