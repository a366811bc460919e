#pragma once
// Boundary IoU of a predicted mask against its ground truth (Cheng, Girshick,
// Dollár, Berg and Kirillov, "Boundary IoU: Improving Object-Centric Image
// Segmentation Evaluation", CVPR 2021): the IoU of the two masks' inner
// boundary bands, so that it weighs a contour error the same in a large lesion
// as in a small one, where mask IoU and Dice forgive it in a large one.
//
// Conventions (those of the authors' boundary_iou_api, mask_to_boundary in
// boundary_iou/utils/boundary_utils.py):
// - Band width in pixels: w = max(1, round(d * sqrt(H^2 + W^2))), d the
//   dilation ratio (0.02 in the paper), rounded half to even as Python's
//   round() does.
// - The band of a mask M is M minus its erosion by a 3x3 square applied w
//   times, with the outside of the image counted as background (the reference
//   pads the mask with one zero pixel before cv2.erode, so a mask cut by the
//   image border has a boundary there): the pixels of M within Chebyshev
//   distance w of a background pixel or of the image border. This is the
//   paper's G_d ∩ G, the ground truth's pixels within w of its contour.
// - Boundary IoU = |band(G) ∩ band(P)| / |band(G) ∪ band(P)|, in [0, 1],
//   higher is better; in pixels only: w follows the image size, not a spacing.
// - Empty cases: a non-empty mask always has a non-empty band, so the union is
//   empty only when both masks are: both empty -> 1 (nothing to miss, as
//   seglab's Dice and IoU); exactly one empty -> 0.
#include <cstdint>

namespace seglab {

constexpr double kBoundaryIouDilationRatio = 0.02;  // d of the paper

// The band width w in pixels for an image of height x width; `dilation_ratio` > 0.
int boundary_band_width(int height, int width, double dilation_ratio);

// `predicted` and `target`: height x width bytes, nonzero = inside the mask.
double boundary_iou(const uint8_t* predicted, const uint8_t* target, int height, int width,
                    double dilation_ratio = kBoundaryIouDilationRatio);

}  // namespace seglab
