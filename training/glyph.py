"""Glyph basics shared by training and page reading.

The class list, the 32x32 frame and its row layout, and the normalisation that
turns a boolean ink crop into a NIST36-style image: both the trainers (page-look
augmentation) and the page pipeline use exactly this code.
"""
import numpy as np
from scipy import ndimage as ndi
from skimage import morphology, transform

CLASSES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
IMAGE_SIDE = 32


def rows_to_images(x):
    """``(N, 1024)`` dataset rows to upright ``(N, 32, 32)`` images."""
    return x.reshape(-1, IMAGE_SIDE, IMAGE_SIDE).transpose(0, 2, 1)


def images_to_rows(images):
    """Upright ``(N, 32, 32)`` images to dataset rows (stored transposed)."""
    return np.ascontiguousarray(np.asarray(images).transpose(0, 2, 1)).reshape(-1, IMAGE_SIDE * IMAGE_SIDE)


GLYPH_SIDE = 25
STROKE_WIDTH = 3.5
MIN_ROTATION = 1.0
"""Crops are rotated to undo a skew only from this many degrees on (smaller skews are left alone)."""


def true_runs(flags):
    """Slices of the runs of consecutive True in a 1-D bool array."""
    edges = np.flatnonzero(np.diff(np.concatenate([[False], flags, [False]]).astype(np.int8)))
    return [slice(a, b) for a, b in edges.reshape(-1, 2).tolist()]


def _bridged(flags, gap):
    """``flags`` with every run of False shorter than ``gap`` between two Trues set True."""
    if gap <= 1:
        return flags
    flags = np.array(flags, bool)
    for run in true_runs(~flags):
        if run.start > 0 and run.stop < len(flags) and run.stop - run.start < gap:
            flags[run] = True
    return flags


def ink_blocks(ink, gap=1):
    """Boxes ``[y1, x1, y2, x2]`` of the ink between empty rows, then between empty columns within those rows.

    Every box is ringed by paper at least ``gap`` px wide towards any other
    box, so the distance transform and the skeleton of the ink inside it are
    those of the whole mask there (``gap`` 1), and so is a closing with a disk
    of radius ``r`` (``gap`` ``2 r + 1``: the boxes' dilations do not touch).
    """
    for band in true_runs(_bridged(ink.any(axis=1), gap)):
        for cols in true_runs(_bridged(ink[band].any(axis=0), gap)):
            rows = true_runs(ink[band, cols].any(axis=1))
            yield band.start + rows[0].start, cols.start, band.start + rows[-1].stop, cols.stop


def zero_pad(image, width):
    """``np.pad(image, width)`` (zeros all round) for a 2-D array, without np.pad's general machinery."""
    h, w = image.shape
    out = np.zeros((h + 2 * width, w + 2 * width), image.dtype)
    out[width:width + h, width:width + w] = image
    return out


def stroke_width(ink):
    """Median stroke width in pixels of a boolean ink mask.

    Twice the distance-transform value sampled along the skeleton, both
    computed block by block (:func:`ink_blocks`): a page is mostly paper.
    """
    ink = np.asarray(ink, bool)
    if not ink.any():
        return 0.0
    values = []
    for y1, x1, y2, x2 in ink_blocks(ink):
        block = ink[y1:y2, x1:x2]
        values.append(ndi.distance_transform_edt(zero_pad(block, 1))[1:-1, 1:-1][morphology.skeletonize(block)])
    values = np.concatenate(values)
    if values.size == 0:
        return 1.0
    return float(max(1.0, 2 * np.median(values) - 1))


def set_stroke_width(ink, current, target):
    """Thicken or thin a boolean ink mask from ``current`` to ``target`` px.

    Thinning keeps the skeleton so strokes never break. A thickened mask is
    returned padded so that no ink is clipped at the crop's edges.
    """
    ink = np.asarray(ink, bool)
    delta = (target - current) / 2
    if abs(delta) < 0.5 or not ink.any():
        return ink
    pad = int(np.ceil(abs(delta))) + 1
    padded = zero_pad(ink, pad)
    if delta > 0:
        return ndi.distance_transform_edt(~padded) <= delta
    out = (ndi.distance_transform_edt(padded) > -delta) | morphology.skeletonize(padded)
    return out[pad:-pad, pad:-pad]


def _main_components(ink):
    labels, n = ndi.label(ink, structure=np.ones((3, 3)))
    if n <= 1:
        return ink
    h, w = ink.shape
    keep = np.zeros(n + 1, bool)
    areas = np.bincount(labels.ravel(), minlength=n + 1)
    areas[0] = 0
    for label, (rows, cols) in enumerate(ndi.find_objects(labels), start=1):
        big = areas[label] >= 0.25 * areas.max()
        spans = (rows.stop - rows.start) >= 0.5 * h or (cols.stop - cols.start) >= 0.5 * w
        keep[label] = big or spans
    return keep[labels]


def normalise_glyph(ink, side=IMAGE_SIDE, glyph_side=GLYPH_SIDE, target_width=STROKE_WIDTH, angle=0.0):
    """One boolean ink crop to an upright ``side x side`` image, 0 ink / 1 paper.

    The ink is optionally rotated by ``angle`` degrees (counter-clockwise, to
    undo page skew), cropped tight, its stroke width adjusted so that after
    scaling the longer side to ``glyph_side`` the strokes are
    ``target_width`` px, padded to a centred square and resized with
    anti-aliasing.
    """
    ink = np.asarray(ink, bool)
    if not ink.any():
        return np.ones((side, side))
    if abs(angle) >= MIN_ROTATION:
        ink = transform.rotate(ink.astype(np.float32), angle, resize=True, order=1) > 0.5
        if not ink.any():
            return np.ones((side, side))
    ink = _main_components(ink)
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    ink = ink[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1]
    longer = max(ink.shape)
    scale = glyph_side / longer
    ink = set_stroke_width(ink, stroke_width(ink), target_width / scale)
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    ink = ink[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1]
    h, w = ink.shape
    longer = max(h, w)
    canvas_side = int(np.ceil(longer * side / glyph_side))
    canvas = np.zeros((canvas_side, canvas_side), np.float32)
    y0 = (canvas_side - h) // 2
    x0 = (canvas_side - w) // 2
    canvas[y0: y0 + h, x0: x0 + w] = ink
    small = transform.resize(canvas, (side, side), order=1, anti_aliasing=canvas_side > side,
                             preserve_range=True)
    return np.clip(1.0 - small, 0.0, 1.0)
