#include "datasets/labelme_rasterize.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace seglab {
namespace {

// PIL's rounding of vertex coordinates (round half away from zero).
int round_half_up(double v) { return static_cast<int>(v >= 0 ? std::floor(v + 0.5) : -std::floor(-v + 0.5)); }
int round_half_down(double v) { return static_cast<int>(v >= 0 ? std::ceil(v - 0.5) : -std::ceil(-v - 0.5)); }

cv::Point rounded(const cv::Point2d& p) { return {round_half_up(p.x), round_half_up(p.y)}; }

// Fixed-point coordinates for OpenCV's sub-pixel circle drawing.
constexpr int kShift = 4;
constexpr double kScale = 1 << kShift;

void fill_disc(cv::Mat& mask, const cv::Point2d& centre, double radius, uchar value) {
  cv::circle(mask, cv::Point(static_cast<int>(std::lround(centre.x * kScale)), static_cast<int>(std::lround(centre.y * kScale))),
             static_cast<int>(std::lround(radius * kScale)), cv::Scalar(value), cv::FILLED, cv::LINE_8, kShift);
}

// One segment of a wide line as PIL draws it (ImagingDrawWideLine): integer
// end points, a quadrilateral (width - 1) / 2 px to each side, no caps.
void fill_wide_segment(cv::Mat& mask, cv::Point2d a, cv::Point2d b, int width, uchar value) {
  const int x0 = static_cast<int>(a.x), y0 = static_cast<int>(a.y);
  const int x1 = static_cast<int>(b.x), y1 = static_cast<int>(b.y);
  const int dx = x1 - x0, dy = y1 - y0;
  if (dx == 0 && dy == 0) {
    if (x0 >= 0 && y0 >= 0 && x0 < mask.cols && y0 < mask.rows) mask.at<uchar>(y0, x0) = value;
    return;
  }
  const double length = std::hypot(dx, dy);
  const double half = (width - 1) / 2.0;
  const double ratio_max = round_half_up(half) / length, ratio_min = round_half_down(half) / length;
  const int dxmin = round_half_down(ratio_min * dy), dxmax = round_half_down(ratio_max * dy);
  const int dymin = round_half_down(ratio_min * dx), dymax = round_half_down(ratio_max * dx);
  const std::vector<cv::Point> quad{{x0 - dxmin, y0 + dymax}, {x1 - dxmin, y1 + dymax},
                                    {x1 + dxmax, y1 - dymin}, {x0 + dxmax, y0 - dymin}};
  cv::fillConvexPoly(mask, quad, cv::Scalar(value), cv::LINE_8);
}

}  // namespace

void draw_labelme_shape(cv::Mat& mask, const LabelMeShape& shape, uchar value) {
  const auto& p = shape.points;
  switch (shape.type) {
    case LabelMeShapeType::polygon: {
      std::vector<std::vector<cv::Point>> contour(1);
      for (const auto& q : p) contour[0].push_back(rounded(q));
      cv::fillPoly(mask, contour, cv::Scalar(value), cv::LINE_8);
      cv::polylines(mask, contour, true, cv::Scalar(value), 1, cv::LINE_8);
      break;
    }
    case LabelMeShapeType::rectangle: {
      // The corners may come in any order (dragged up or left in LabelMe).
      const cv::Point a = rounded(p[0]), b = rounded(p[1]);
      cv::rectangle(mask, cv::Point(std::min(a.x, b.x), std::min(a.y, b.y)),
                    cv::Point(std::max(a.x, b.x), std::max(a.y, b.y)), cv::Scalar(value), cv::FILLED, cv::LINE_8);
      break;
    }
    case LabelMeShapeType::circle:
      fill_disc(mask, p[0], std::hypot(p[1].x - p[0].x, p[1].y - p[0].y), value);
      break;
    case LabelMeShapeType::point:
      fill_disc(mask, p[0], kLabelMePointRadius, value);
      break;
    case LabelMeShapeType::line:
    case LabelMeShapeType::linestrip:
      for (size_t i = 0; i + 1 < p.size(); ++i) fill_wide_segment(mask, p[i], p[i + 1], kLabelMeLineWidth, value);
      break;
    case LabelMeShapeType::mask: {
      // LabelMe: label[y1:y2+1, x1:x2+1] = bitmap, corners truncated to integers.
      const int x1 = static_cast<int>(p[0].x), y1 = static_cast<int>(p[0].y);
      const cv::Rect placed(x1, y1, shape.bitmap.cols, shape.bitmap.rows);
      const cv::Rect visible = placed & cv::Rect(0, 0, mask.cols, mask.rows);
      if (visible.empty()) break;
      const cv::Mat bits = shape.bitmap(cv::Rect(visible.x - x1, visible.y - y1, visible.width, visible.height));
      mask(visible).setTo(cv::Scalar(value), bits);
      break;
    }
  }
}

cv::Mat draw_labelme_mask(const LabelMeAnnotation& annotation,
                          const std::function<uchar(const std::string&)>& class_of) {
  cv::Mat mask(annotation.height, annotation.width, CV_8UC1, cv::Scalar(0));
  for (const auto& shape : annotation.shapes) draw_labelme_shape(mask, shape, class_of(shape.label));
  return mask;
}

}  // namespace seglab
