"""The glyph classifiers' classes, their 32x32 frame and row layout, and the crop normalisation.

The normalisation turns a boolean ink crop into a NIST36-style image; the
page reader's crops and the trainers' page-look augmentation both run exactly
this code.
"""
import numpy as np
from scipy import ndimage as ndi
from skimage import transform

from ..frontend.strokes import set_stroke_width, stroke_width

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
