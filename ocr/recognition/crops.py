"""Turn character boxes into 32x32 rows shaped like the NIST36 samples."""
import numpy as np

from .glyph import IMAGE_SIDE, images_to_rows, normalise_glyph


def normalise_crops(binary, boxes, angle=0.0):
    """Crop boxes from a binary page into NIST36-style dataset rows.

    Parameters
    ----------
    binary : (H, W) array
        0 = ink, 1 = paper.
    boxes : (K, 4) int array
        ``[y1, x1, y2, x2]``, ``y2``/``x2`` exclusive.
    angle : float, optional
        Page skew in degrees (as from ``ocr.layout.lines.estimate_skew``); each crop
        is rotated by it so the letters stand upright.

    Returns
    -------
    rows : (K, 1024) float array in ``[0, 1]``
        Each row a transposed 32x32 image, as in the dataset files.
    """
    binary = np.asarray(binary)
    boxes = np.asarray(boxes, int).reshape(-1, 4)
    images = np.ones((len(boxes), IMAGE_SIDE, IMAGE_SIDE))
    for k, (y1, x1, y2, x2) in enumerate(boxes):
        crop = binary[max(0, y1): y2, max(0, x1): x2] < 0.5
        images[k] = normalise_glyph(crop, angle=angle)
    return images_to_rows(images).astype(float)
