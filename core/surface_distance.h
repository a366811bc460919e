#pragma once
// Boundary metrics of a predicted mask against its ground truth: the 95th
// percentile Hausdorff distance (HD95), the average symmetric surface
// distance (ASSD) and the normalized surface distance (NSD, "surface Dice") at
// a tolerance, in pixels or in mm for a given pixel spacing.
//
// Conventions (those of MONAI's compute_hausdorff_distance(percentile=95),
// compute_average_surface_distance(symmetric=True) and compute_surface_dice,
// and of DeepMind's surface-distance package):
// - The surface of a mask is its pixels with a 4-neighbour outside the mask;
//   pixels on the image border count as surface (the outside is background).
// - d(A->B) are the Euclidean distances from each surface pixel of A to the
//   nearest surface pixel of B (exact distance transform, anisotropic spacing).
// - HD95 = max(P95 d(A->B), P95 d(B->A)), percentiles by linear interpolation
//   (numpy's default).
// - ASSD = (sum d(A->B) + sum d(B->A)) / (|surface A| + |surface B|).
// - NSD at tolerance tau (Nikolov et al., "Clinically applicable segmentation
//   of head and neck anatomy for radiotherapy: deep learning algorithm
//   development and validation study", J Med Internet Res 2021; DeepMind's
//   compute_surface_dice_at_tolerance; MONAI's compute_surface_dice) is the
//   fraction of both surfaces that lies within tau of the other surface:
//   (|{a : d(a->B) <= tau}| + |{b : d(b->A) <= tau}|) / (|surface A| + |surface B|).
//   Surfaces are counted in surface pixels, as MONAI does by default
//   (use_subvoxels=False), not weighted by DeepMind's surfel areas, so NSD uses
//   exactly the distances HD95 and ASSD use. Higher is better, in [0, 1].
// - Empty cases: both masks empty -> HD95 and ASSD 0, NSD 1 (nothing to miss).
//   Exactly one empty -> HD95 and ASSD the image diagonal, the largest distance
//   the image allows, so a missed or invented lesion costs the most and means
//   over images stay finite; NSD 0 (as MONAI: no surface pixel of the one mask
//   has the other within any tolerance). MONAI and DeepMind give NaN for NSD
//   when both are empty (0 / 0); seglab scores it 1, as it scores Dice 1 there
//   (ISIC), so images without lesion stay in the mean and every image has a
//   score, which paired comparisons between runs need.
#include <cmath>
#include <cstdint>
#include <optional>

namespace seglab {

// Size of a pixel in mm along rows (y) and columns (x); 1, 1 gives pixels.
struct PixelSpacing {
  double row = 1.0;
  double col = 1.0;
};

struct SurfaceDistances {
  double hd95 = 0;
  double assd = 0;
  double nsd = NAN;  // at the tolerance asked for; NaN when none was
};

// `predicted` and `target`: height x width bytes, nonzero = inside the mask.
// `nsd_tolerance`: tau in the units of `spacing` (pixels for 1, 1), >= 0;
// without it NSD is not computed.
SurfaceDistances surface_distances(const uint8_t* predicted, const uint8_t* target, int height, int width,
                                   PixelSpacing spacing = {}, std::optional<double> nsd_tolerance = {});

}  // namespace seglab
