#!/usr/bin/python3
"""Independent reference for seglab's per-image metrics (numpy and scipy).

  metrics_reference.py score DIR ROW_MM COL_MM
      For every DIR/<name>_pred.npy and DIR/<name>_target.npy (H x W binary
      masks) prints one line: name hd95 assd hd95_mm assd_mm dice iou
      precision recall specificity accuracy isic_jaccard.
  metrics_reference.py load MASK.bmp OUT.npy
      Reads a mask image with PIL and writes it as a 0/1 float32 array.

Surface distances follow MONAI's definitions (surface = mask minus its
erosion by the 4-neighbour cross with the outside as background; distances by
scipy's exact Euclidean distance transform; HD95 = max of the two directed
95th percentiles; ASSD = mean over both surfaces pooled). Empty cases: both
empty 0, one empty the image diagonal. Overlap scores follow the ISIC
challenge's scoring code: a ratio with a zero denominator is 1.
"""
import glob
import os
import sys

import numpy as np
from PIL import Image
from scipy import ndimage


def surface(mask):
    cross = ndimage.generate_binary_structure(2, 1)
    return mask & ~ndimage.binary_erosion(mask, structure=cross, border_value=0)


def surface_distances(pred, target, spacing):
    if not pred.any() and not target.any():
        return 0.0, 0.0
    if not pred.any() or not target.any():
        d = float(np.hypot(pred.shape[0] * spacing[0], pred.shape[1] * spacing[1]))
        return d, d
    sp, st = surface(pred), surface(target)
    to_t = ndimage.distance_transform_edt(~st, sampling=spacing)
    to_p = ndimage.distance_transform_edt(~sp, sampling=spacing)
    d_pt, d_tp = to_t[sp], to_p[st]
    hd95 = max(np.percentile(d_pt, 95), np.percentile(d_tp, 95))
    assd = (d_pt.sum() + d_tp.sum()) / (d_pt.size + d_tp.size)
    return float(hd95), float(assd)


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
    for path in sorted(glob.glob(os.path.join(directory, '*_pred.npy'))):
        name = os.path.basename(path)[:-len('_pred.npy')]
        pred = np.load(path) > 0.5
        target = np.load(os.path.join(directory, name + '_target.npy')) > 0.5
        px = surface_distances(pred, target, (1.0, 1.0))
        mm = surface_distances(pred, target, spacing)
        values = list(px) + list(mm) + overlap(pred, target)
        print(name, ' '.join(repr(float(v)) for v in values))


if __name__ == '__main__':
    main()
