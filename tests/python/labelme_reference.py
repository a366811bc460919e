"""Independent reference for seglab's LabelMe conversion, drawn with PIL the
way LabelMe's own utils/shape.py (shape_to_mask, shapes_to_label) does.

usage: labelme_reference.py classes <out.txt> <file.json>...
           class names by first appearance across the files, in the order given
           (_background_ first, __ignore__ left out)
       labelme_reference.py masks <class_names.txt> (<file.json> <out.png>)...
           class-index masks (uint8, __ignore__ = 255) as PNG
       labelme_reference.py batch <jobs.txt>
           each line of jobs.txt is one of the commands above (space-separated),
           run in one interpreter to save start-up time
"""
import base64
import io
import json
import math
import sys

import numpy as np
import PIL.Image
import PIL.ImageDraw


def shape_to_mask(size_hw, points, shape_type, line_width=10, point_size=5):
    mask = PIL.Image.fromarray(np.zeros(size_hw, dtype=np.uint8))
    draw = PIL.ImageDraw.Draw(mask)
    xy = [tuple(p) for p in points]
    if shape_type == "circle":
        (cx, cy), (px, py) = xy
        d = math.sqrt((cx - px) ** 2 + (cy - py) ** 2)
        draw.ellipse([cx - d, cy - d, cx + d, cy + d], outline=1, fill=1)
    elif shape_type == "rectangle":
        (x0, y0), (x1, y1) = xy
        # Newer PIL refuses reversed corners; LabelMe users drag either way.
        draw.rectangle([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)], outline=1, fill=1)
    elif shape_type in ("line", "linestrip"):
        draw.line(xy=xy, fill=1, width=line_width)
    elif shape_type == "point":
        cx, cy = xy[0]
        r = point_size
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=1, fill=1)
    elif shape_type in (None, "polygon"):
        draw.polygon(xy=xy, outline=1, fill=1)
    else:
        raise ValueError(shape_type)
    return np.array(mask, dtype=bool)


def class_mask(data, class_index):
    h, w = data["imageHeight"], data["imageWidth"]
    cls = np.zeros((h, w), dtype=np.uint8)
    for shape in data["shapes"]:
        value = 255 if shape["label"] == "__ignore__" else class_index[shape["label"]]
        shape_type = shape.get("shape_type")
        if shape_type == "mask":
            bitmap = np.array(PIL.Image.open(io.BytesIO(base64.b64decode(shape["mask"]))), dtype=bool)
            (x1, y1), (x2, y2) = np.asarray(shape["points"]).astype(int)
            region = np.zeros((h, w), dtype=bool)
            region[y1:y2 + 1, x1:x2 + 1] = bitmap
            mask = region
        else:
            mask = shape_to_mask((h, w), shape["points"], shape_type)
        cls[mask] = value
    return cls


def run(argv):
    if argv[0] == "classes":
        names = ["_background_"]
        for path in argv[2:]:
            for shape in json.load(open(path))["shapes"]:
                label = shape["label"].strip()
                if label != "__ignore__" and label not in names:
                    names.append(label)
        open(argv[1], "w").write("".join(n + "\n" for n in names))
    elif argv[0] == "masks":
        names = [line.strip() for line in open(argv[1]) if line.strip()]
        class_index = {n: i for i, n in enumerate(names)}
        args = argv[2:]
        for json_path, out_path in zip(args[0::2], args[1::2]):
            PIL.Image.fromarray(class_mask(json.load(open(json_path)), class_index)).save(out_path)
    elif argv[0] == "batch":
        for line in open(argv[1]):
            if line.strip():
                run(line.split())
    else:
        raise SystemExit(__doc__)


def main():
    run(sys.argv[1:])


if __name__ == "__main__":
    main()
