#pragma once
// Clean-up of a predicted class mask before it is scored, as ISIC entries do:
// drop small blobs, keep the largest lesion, fill holes in it. Each step works
// on every foreground class in turn, in this order (remove small, keep
// largest, fill holes), so a filled hole is never removed again.
//
// Connectivity: a class's components are 8-connected; a hole is a region of
// background (class 0) pixels, 4-connected among pixels not of that class,
// that does not reach the image border (scipy.ndimage.binary_fill_holes's
// definition for binary masks).
#include <cstdint>
#include <string>

#include <opencv2/core.hpp>

namespace seglab {

struct PostprocessOptions {
  bool keep_largest = false;  // keep only the largest component of each class
  bool fill_holes = false;    // enclosed background becomes the enclosing class
  int64_t min_area = 0;       // components of fewer pixels become background

  bool any() const { return keep_largest || fill_holes || min_area > 0; }
  // "none", or the steps joined by '+': "min50+largest+holes".
  std::string describe() const;
};

// `mask`: CV_8U class indices, changed in place.
void postprocess_mask(cv::Mat& mask, int num_classes, const PostprocessOptions& options);

}  // namespace seglab
