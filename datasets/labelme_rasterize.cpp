#include "datasets/labelme_rasterize.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace seglab {
namespace {

// PIL's rounding of scan-line crossings (ROUND_UP / ROUND_DOWN in its Draw.c).
int round_half_up(double v) { return static_cast<int>(v >= 0 ? std::floor(v + 0.5) : -std::floor(-v + 0.5)); }
int round_half_down(double v) { return static_cast<int>(v >= 0 ? std::ceil(v - 0.5) : -std::ceil(-v - 0.5)); }

// PIL truncates vertex coordinates to integers (a C cast, toward zero).
cv::Point truncated(const cv::Point2d& p) { return {static_cast<int>(p.x), static_cast<int>(p.y)}; }

// Fixed-point coordinates for OpenCV's sub-pixel circle drawing.
constexpr int kShift = 4;
constexpr double kScale = 1 << kShift;

// PIL's ellipse: the bounding box [c - r, c + r] truncated to whole pixels,
// the ellipse inscribed in the inclusive pixel box.
void fill_disc(cv::Mat& mask, const cv::Point2d& centre, double radius, uchar value) {
  const int x0 = static_cast<int>(centre.x - radius), y0 = static_cast<int>(centre.y - radius);
  const int x1 = static_cast<int>(centre.x + radius), y1 = static_cast<int>(centre.y + radius);
  const cv::Point fixed_centre(static_cast<int>(std::lround((x0 + x1) / 2.0 * kScale)),
                               static_cast<int>(std::lround((y0 + y1) / 2.0 * kScale)));
  const cv::Size fixed_axes(static_cast<int>(std::lround((x1 - x0) / 2.0 * kScale)),
                            static_cast<int>(std::lround((y1 - y0) / 2.0 * kScale)));
  cv::ellipse(mask, fixed_centre, fixed_axes, 0, 0, 360, cv::Scalar(value), cv::FILLED, cv::LINE_8, kShift);
}

void fill_row(cv::Mat& mask, int y, int x0, int x1, uchar value) {
  if (y < 0 || y >= mask.rows) return;
  x0 = std::max(x0, 0);
  x1 = std::min(x1, mask.cols - 1);
  uchar* row = mask.ptr<uchar>(y);
  for (int x = x0; x <= x1; ++x) row[x] = value;
}

// A filled polygon with PIL's scan-line rule, which LabelMe's masks inherit
// and OpenCV's fillPoly does not share: on each pixel row, the crossings of
// the non-horizontal edges (in single precision, as PIL computes them; an
// edge ending on the row counts twice) are paired left to right and each pair
// fills the pixels from its rounded-up start to its rounded-down end. Pixel
// rows at vertices thus match PIL's, including its gaps on shallow edges.
void fill_polygon_like_pil(cv::Mat& mask, const std::vector<cv::Point>& v, uchar value) {
  struct Edge {
    int x0, y0, ymin, ymax;
    float dx;
  };
  std::vector<Edge> edges;
  int ymin = mask.rows - 1, ymax = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const cv::Point a = v[i], b = v[(i + 1) % v.size()];
    ymin = std::min({ymin, a.y, b.y});
    ymax = std::max({ymax, a.y, b.y});
    if (a.y == b.y) continue;
    edges.push_back({a.x, a.y, std::min(a.y, b.y), std::max(a.y, b.y), static_cast<float>(b.x - a.x) / (b.y - a.y)});
  }
  ymin = std::max(ymin, 0);
  ymax = std::min(ymax, mask.rows);
  std::vector<float> crossings;
  for (int y = ymin; y <= ymax; ++y) {
    crossings.clear();
    for (const Edge& e : edges) {
      if (y >= e.ymin && y <= e.ymax) crossings.push_back(static_cast<float>(y - e.y0) * e.dx + static_cast<float>(e.x0));
      if (y == e.ymax && y < ymax) crossings.push_back(crossings.back());
    }
    std::sort(crossings.begin(), crossings.end());
    for (size_t i = 1; i < crossings.size(); i += 2)
      fill_row(mask, y, round_half_up(crossings[i - 1]), round_half_down(crossings[i]), value);
  }
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
  fill_polygon_like_pil(mask, {{x0 - dxmin, y0 + dymax}, {x1 - dxmin, y1 + dymax},
                               {x1 + dxmax, y1 - dymin}, {x0 + dxmax, y0 - dymin}}, value);
}

}  // namespace

void draw_labelme_shape(cv::Mat& mask, const LabelMeShape& shape, uchar value) {
  const auto& p = shape.points;
  switch (shape.type) {
    case LabelMeShapeType::polygon: {
      std::vector<cv::Point> vertices;
      for (const auto& q : p) vertices.push_back(truncated(q));
      fill_polygon_like_pil(mask, vertices, value);
      break;
    }
    case LabelMeShapeType::rectangle: {
      // The corners may come in any order (dragged up or left in LabelMe).
      const cv::Point a = truncated(p[0]), b = truncated(p[1]);
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
