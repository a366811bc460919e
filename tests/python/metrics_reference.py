#!/usr/bin/python3
"""Independent reference for seglab's per-image metrics (numpy and scipy).

  metrics_reference.py score DIR ROW_MM COL_MM TAU_PX TAU_MM D
      For every DIR/<name>_pred.npy and DIR/<name>_target.npy (H x W binary
      masks) prints one line: name hd95 assd hd95_mm assd_mm dice iou
      precision recall specificity accuracy isic_jaccard nsd nsd_mm
      boundary_iou, where nsd is at tolerance TAU_PX pixels, nsd_mm at TAU_MM
      mm and boundary_iou at dilation ratio D.
  metrics_reference.py load MASK.bmp OUT.npy
      Reads a mask image with PIL and writes it as a 0/1 float32 array.

Surface distances follow MONAI's definitions (surface = mask minus its
erosion by the 4-neighbour cross with the outside as background; distances by
scipy's exact Euclidean distance transform; HD95 = max of the two directed
95th percentiles; ASSD = mean over both surfaces pooled). Empty cases: both
empty 0, one empty the image diagonal. Overlap scores follow the ISIC
challenge's scoring code: a ratio with a zero denominator is 1.

NSD (surface Dice) at tolerance tau counts the surface pixels (same surface
and distances as above) within tau of the other surface, over all surface
pixels (MONAI's compute_surface_dice without subvoxels); both empty 1, one
empty 0. Boundary IoU (Cheng et al. 2021) is the IoU of the masks' inner
bands: band = mask minus its binary erosion by a 3x3 square iterated
max(1, round(D * diagonal)) times with the outside as background; both
empty 1, one empty 0. The band is computed with scipy (outside = background)
and checked against the authors' recipe: pad one zero pixel, erode with
cv2.erode's default border (outside = foreground, emulated by scipy's
border_value=1, and cv2.erode itself from python3-opencv), crop. All must
give the same band.
"""
import glob
import os
import sys

import cv2
import numpy as np
from PIL import Image
from scipy import ndimage


def surface(mask):
    cross = ndimage.generate_binary_structure(2, 1)
    return mask & ~ndimage.binary_erosion(mask, structure=cross, border_value=0)


def directed_distances(pred, target, spacing):
    """Distances from each surface pixel of pred to target's surface and back."""
    sp, st = surface(pred), surface(target)
    to_t = ndimage.distance_transform_edt(~st, sampling=spacing)
    to_p = ndimage.distance_transform_edt(~sp, sampling=spacing)
    return to_t[sp], to_p[st]


def surface_scores(pred, target, spacing, tau):
    """hd95, assd and NSD at tolerance tau, with the empty cases."""
    if not pred.any() and not target.any():
        return 0.0, 0.0, 1.0
    if not pred.any() or not target.any():
        d = float(np.hypot(pred.shape[0] * spacing[0], pred.shape[1] * spacing[1]))
        return d, d, 0.0
    d_pt, d_tp = directed_distances(pred, target, spacing)
    hd95 = max(np.percentile(d_pt, 95), np.percentile(d_tp, 95))
    assd = (d_pt.sum() + d_tp.sum()) / (d_pt.size + d_tp.size)
    nsd = (np.sum(d_pt <= tau) + np.sum(d_tp <= tau)) / (d_pt.size + d_tp.size)
    return float(hd95), float(assd), float(nsd)


def band_width(shape, ratio_d):
    return max(1, int(round(ratio_d * np.sqrt(shape[0] ** 2 + shape[1] ** 2))))


def inner_band(mask, ratio_d):
    width = band_width(mask.shape, ratio_d)
    square = np.ones((3, 3), dtype=bool)
    eroded = ndimage.binary_erosion(mask, structure=square, iterations=width, border_value=0)
    band = mask & ~eroded
    # The paper's recipe: one pixel of zero padding (so the image border is a
    # boundary), then an erosion whose outside counts as foreground, as
    # cv2.erode's default border does; cropped back it must give the same band.
    padded = np.pad(mask, 1, constant_values=False)
    recipes = [ndimage.binary_erosion(padded, structure=square, iterations=width, border_value=1),
               cv2.erode(padded.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=width) > 0]
    for recipe in recipes:
        if not np.array_equal(band, mask & ~recipe[1:-1, 1:-1]):
            raise SystemExit('the band differs from the boundary_iou_api recipe')
    return band


def boundary_iou(pred, target, ratio_d):
    bp, bt = inner_band(pred, ratio_d), inner_band(target, ratio_d)
    union = int(np.sum(bp | bt))
    return 1.0 if union == 0 else int(np.sum(bp & bt)) / union


def ratio(num, den):
    return 1.0 if den == 0 else num / den


def overlap(pred, target):
    tp = int(np.sum(pred & target))
    fp = int(np.sum(pred & ~target))
    fn = int(np.sum(~pred & target))
    tn = int(np.sum(~pred & ~target))
    iou = ratio(tp, tp + fp + fn)
    return [ratio(2 * tp, 2 * tp + fp + fn), iou, ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(tn, tn + fp),
            ratio(tp + tn, tp + tn + fp + fn), iou if iou >= 0.65 else 0.0]


def main():
    if sys.argv[1] == 'load':
        mask = np.asarray(Image.open(sys.argv[2]).convert('L')) > 127
        np.save(sys.argv[3], mask.astype(np.float32))
        return
    directory, spacing = sys.argv[2], (float(sys.argv[3]), float(sys.argv[4]))
    tau_px, tau_mm, ratio_d = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
    for path in sorted(glob.glob(os.path.join(directory, '*_pred.npy'))):
        name = os.path.basename(path)[:-len('_pred.npy')]
        pred = np.load(path) > 0.5
        target = np.load(os.path.join(directory, name + '_target.npy')) > 0.5
        hd95, assd, nsd = surface_scores(pred, target, (1.0, 1.0), tau_px)
        hd95_mm, assd_mm, nsd_mm = surface_scores(pred, target, spacing, tau_mm)
        values = [hd95, assd, hd95_mm, assd_mm] + overlap(pred, target)
        values += [nsd, nsd_mm, boundary_iou(pred, target, ratio_d)]
        print(name, ' '.join(repr(float(v)) for v in values))


if __name__ == '__main__':
    main()
