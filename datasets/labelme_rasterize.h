#pragma once
// Drawing LabelMe shapes into masks with LabelMe's own semantics (its
// utils/shape.py, which draws with PIL): polygons filled with their outline;
// rectangles from two corners; circles from centre and a point on the rim;
// lines and line strips 10 px wide, segment by segment with square ends;
// points as discs of radius 5; mask bitmaps pasted at their corner points.
// Shapes are drawn in file order, so a later shape overwrites an earlier one
// (a `_background_` polygon inside a lesion cuts a hole).
#include <functional>
#include <opencv2/core.hpp>
#include <string>

#include "datasets/labelme_annotation.h"

namespace seglab {

constexpr int kLabelMeLineWidth = 10;
constexpr int kLabelMePointRadius = 5;

// Sets the pixels of `shape` to `value` in `mask` (CV_8UC1).
void draw_labelme_shape(cv::Mat& mask, const LabelMeShape& shape, uchar value);

// The class-index mask (CV_8UC1, the annotation's size, 0 where nothing is
// drawn) with each shape drawn as `class_of(label)`.
cv::Mat draw_labelme_mask(const LabelMeAnnotation& annotation, const std::function<uchar(const std::string&)>& class_of);

}  // namespace seglab
