#pragma once
// Boundary metrics of a predicted mask against its ground truth: the 95th
// percentile Hausdorff distance (HD95) and the average symmetric surface
// distance (ASSD), in pixels or in mm for a given pixel spacing.
//
// Conventions (those of MONAI's compute_hausdorff_distance(percentile=95) and
// compute_average_surface_distance(symmetric=True), and of DeepMind's
// surface-distance package):
// - The surface of a mask is its pixels with a 4-neighbour outside the mask;
//   pixels on the image border count as surface (the outside is background).
// - d(A->B) are the Euclidean distances from each surface pixel of A to the
//   nearest surface pixel of B (exact distance transform, anisotropic spacing).
// - HD95 = max(P95 d(A->B), P95 d(B->A)), percentiles by linear interpolation
//   (numpy's default).
// - ASSD = (sum d(A->B) + sum d(B->A)) / (|surface A| + |surface B|).
// - Empty cases: both masks empty -> 0 (nothing to miss). Exactly one empty ->
//   the image diagonal, the largest distance the image allows, so a missed or
//   invented lesion costs the most and means over images stay finite.
#include <cstdint>

namespace seglab {

// Size of a pixel in mm along rows (y) and columns (x); 1, 1 gives pixels.
struct PixelSpacing {
  double row = 1.0;
  double col = 1.0;
};

struct SurfaceDistances {
  double hd95 = 0;
  double assd = 0;
};

// `predicted` and `target`: height x width bytes, nonzero = inside the mask.
SurfaceDistances surface_distances(const uint8_t* predicted, const uint8_t* target, int height, int width,
                                   PixelSpacing spacing = {});

}  // namespace seglab
