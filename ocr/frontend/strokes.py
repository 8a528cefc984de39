"""Runs, ink blocks and stroke width of boolean ink masks: measured on whole pages and on single crops.

A page is mostly paper, so the distance transforms and skeletons here are
computed block by block between empty rows and columns (:func:`ink_blocks`).
"""
import numpy as np
from scipy import ndimage as ndi
from skimage import morphology


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
