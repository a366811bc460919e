#!/usr/bin/python3
"""Independent reference for seglab's mask post-processing (scipy.ndimage).

  postprocess_reference.py DIR MIN_AREA
      For every DIR/<name>_mask.npy (H x W, 0/1) writes DIR/<name>_min.npy
      (8-connected components under MIN_AREA pixels removed),
      DIR/<name>_largest.npy (largest 8-connected component kept, the first in
      raster order on a tie) and DIR/<name>_holes.npy
      (scipy.ndimage.binary_fill_holes).
"""
import glob
import os
import sys

import numpy as np
from scipy import ndimage


def components(mask):
    return ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))


def remove_small(mask, min_area):
    labels, count = components(mask)
    sizes = ndimage.sum(mask, labels, range(1, count + 1))
    keep = np.zeros(count + 1, dtype=bool)
    keep[1:] = np.asarray(sizes) >= min_area
    return keep[labels]


def keep_largest(mask):
    labels, count = components(mask)
    if count <= 1:
        return mask
    sizes = np.asarray(ndimage.sum(mask, labels, range(1, count + 1)))
    return labels == (int(np.argmax(sizes)) + 1)  # scipy labels in raster order; argmax takes the first


def main():
    directory, min_area = sys.argv[1], int(sys.argv[2])
    for path in sorted(glob.glob(os.path.join(directory, '*_mask.npy'))):
        name = path[:-len('_mask.npy')]
        mask = np.load(path) > 0.5
        np.save(name + '_min.npy', remove_small(mask, min_area).astype(np.float32))
        np.save(name + '_largest.npy', keep_largest(mask).astype(np.float32))
        np.save(name + '_holes.npy', ndimage.binary_fill_holes(mask).astype(np.float32))


if __name__ == '__main__':
    main()
