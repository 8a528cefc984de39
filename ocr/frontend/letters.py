"""Locate handwritten characters on a page image.

Ink is separated from paper against the local background at the scale of the
page's strokes (``ocr.frontend.ink``), anything outside the sheet of paper is
masked out (``ocr.frontend.paper``), ruled lines are removed
(``ocr.frontend.rules``), and connected components are filtered and merged
relative to the page's reference letter height. Every tunable is a field of
``ocr.params.FrontEndParams``.
"""
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import ndimage as ndi
from scipy.sparse.csgraph import connected_components
from skimage import morphology, transform

from ..decode.images import enlarge, reduce_to_side
from ..params import DEFAULT
from .ink import binarise_planes, blur_planes, channel_mean, distinct_planes, to_planes
from .paper import off_paper_boxes, paper_mask
from .rules import remove_rules
from .strokes import ink_blocks


def binarise(image, params=DEFAULT):
    """Binary ink mask of a page on a working copy.

    A colour page whose channels are all equal (grey saved as RGB, as many
    scanning apps do) is binarised on one plane: every per-plane step gives
    the same values on each, and their maximum is that value.

    Returns
    -------
    ink : 2-D bool array on the working copy
    scale : float
        Working-copy coordinates over input coordinates.
    stroke : float
        The page's median stroke width in working-copy px.
    contrast : 2-D float32 array on the working copy
        Darkening below the local paper (``ocr.frontend.ink.ink_contrast``).
    paper : 2-D float32 array on the working copy
        Local paper brightness, 0..1.
    sheet : 2-D bool array on the working copy, or None
        The smooth paper of a sheet held up in a scene (``ocr.frontend.paper.held_sheet``).
    """
    image, scale = np.asarray(image), 1.0
    if max(image.shape[:2]) > params.work_side:
        image, scale = reduce_to_side(image, params.work_side)
    planes = to_planes(image)
    colours = len(planes)
    planes = distinct_planes(planes)
    if params.pre_blur:
        blur_planes(planes, params.pre_blur)
    mask = paper_mask(channel_mean(np.broadcast_to(planes, (colours,) + planes.shape[1:])))
    ink, loose, stroke, contrast, paper, sheet = binarise_planes(planes, mask, params)
    ink, _ = remove_rules(ink, stroke, params, loose, contrast)
    return ink, scale, stroke, contrast, paper, sheet


def _reference_height(heights):
    heights = np.asarray(heights, float)
    if heights.size == 0:
        return 0.0
    big = heights[heights >= 0.35 * np.percentile(heights, 90)]
    return float(np.median(big))


def _merge_pieces(boxes, ref, params=DEFAULT):
    """Merge fragments of one letter stacked above each other (broken strokes, dots of ! and ?)."""
    boxes = [list(b) for b in boxes]
    changed = True
    while changed:
        changed = False
        boxes = [b for b in boxes if b is not None]
        order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
        for a_i in range(len(order)):
            a = boxes[order[a_i]]
            if a is None:
                continue
            for b_i in range(a_i + 1, len(order)):
                b = boxes[order[b_i]]
                if b is None:
                    continue
                if b[1] >= a[3]:
                    break
                overlap = min(a[3], b[3]) - max(a[1], b[1])
                narrow = min(a[3] - a[1], b[3] - b[1])
                vgap = max(a[0], b[0]) - min(a[2], b[2])
                merged_h = max(a[2], b[2]) - min(a[0], b[0])
                if (overlap >= params.merge_overlap * narrow and vgap < params.merge_gap * ref
                        and merged_h < params.merge_height * ref):
                    a[:] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                    boxes[order[b_i]] = None
                    changed = True
    return [b for b in boxes if b is not None]


def find_letters(image, params=DEFAULT):
    """Find character boxes on a page.

    Parameters
    ----------
    image : (H, W) or (H, W, C) array
        Grey or RGB page of any size and dtype, dark ink on light paper.
    params : FrontEndParams, optional
        Tunables (see ``ocr.params``).

    Returns
    -------
    boxes : (K, 4) int array
        ``[y1, x1, y2, x2]`` in input coordinates, ``y2``/``x2`` exclusive,
        ordered top-to-bottom then left-to-right by their top-left corner.
    binary : (H, W) float array
        0 = ink, 1 = paper, at the input's size.
    """
    boxes, _, binary = find_letters_and_marks(image, params)
    return boxes, binary


def find_letters_and_marks(image, params=DEFAULT):
    """Character boxes and the boxes of small marks (punctuation candidates) on a page.

    Marks are components too small to be letters (under ``mark_max_height``
    reference letter heights) but larger than ``mark_min_strokes`` stroke
    widths, outside every letter box. Page reading works on the working copy
    (:func:`locate`); this wrapper reports in the input's frame.

    Returns
    -------
    boxes : (K, 4) int array
    marks : (M, 4) int array
        Both ``[y1, x1, y2, x2]`` in input coordinates.
    binary : (H, W) float array
        0 = ink, 1 = paper, at the input's size.
    """
    image = np.asarray(image)
    shape = image.shape[:2]
    found = locate(image, params)
    return (_to_input(found.boxes, found.scale, shape), _to_input(found.marks, found.scale, shape),
            _binary_at(found.ink, shape))


@dataclass
class Located:
    """Letters and marks found on a page's working copy.

    Attributes
    ----------
    boxes, marks : (K, 4), (M, 4) int arrays
        ``[y1, x1, y2, x2]`` on the working copy, sorted top-to-bottom, then left-to-right.
    ink : (h, w) bool array
        The working copy's ink, ruled lines removed.
    scale : float
        Working-copy pixels per input pixel.
    stroke : float
        The page's median stroke width in working-copy px.
    contrast : (h, w) float32 array or None
        Darkening below the local paper.
    paper : (h, w) float32 array or None
        Local paper brightness, 0..1.
    sheet : (h, w) bool array or None
        The smooth paper of a sheet held up in a scene, None when the frame is the page.
    """

    boxes: np.ndarray
    marks: np.ndarray
    ink: np.ndarray
    scale: float = 1.0
    stroke: float = 1.0
    contrast: np.ndarray = None
    paper: np.ndarray = None
    sheet: np.ndarray = None

    @cached_property
    def binary(self):
        """(h, w) float32 array: 0 = ink, 1 = paper (the form the normaliser and line engine take)."""
        return (~self.ink).astype(np.float32)

    def turned(self, k, params=DEFAULT):
        """The same page turned by ``np.rot90``'s ``k`` quarter turns, letters found again on the turned ink."""
        contrast = None if self.contrast is None else np.rot90(self.contrast, k)
        paper = None if self.paper is None else np.rot90(self.paper, k)
        sheet = None if self.sheet is None else np.rot90(self.sheet, k)
        return letters_on(np.rot90(self.ink, k), self.stroke, self.scale, params, contrast, paper, sheet)


def locate(image, params=DEFAULT):
    """Letters and marks on the working copy of a page image.

    The working copy is the page reduced to ``params.work_side``, or, when its
    letters are shorter than ``params.min_letter_height``, enlarged so they are
    that tall (up to ``work_side``) and searched again.

    Parameters
    ----------
    image : (H, W) or (H, W, C) array
        Grey or RGB page of any size and dtype, dark ink on light paper.
    params : FrontEndParams

    Returns
    -------
    Located
    """
    image = np.asarray(image)
    shape = image.shape[:2]
    if image.ndim < 2 or min(shape) < 4:
        return Located(np.zeros((0, 4), int), np.zeros((0, 4), int), np.zeros(shape, bool))
    ink, scale, stroke, contrast, paper, sheet = binarise(image, params)
    found = letters_on(ink, stroke, scale, params, contrast, paper, sheet)
    height = _reference_height(found.boxes[:, 2] - found.boxes[:, 0])
    factor = min(params.min_letter_height / max(height, 1e-6), params.work_side / max(shape))
    if len(found.boxes) and scale == 1.0 and factor > 1.0:
        big, scale = enlarge(image, factor)
        ink, _, stroke, contrast, paper, sheet = binarise(big, params)
        found = letters_on(ink, stroke, scale, params, contrast, paper, sheet)
    return found


def letters_on(ink, stroke, scale=1.0, params=DEFAULT, contrast=None, paper=None, sheet=None):
    """Letter and mark boxes of an ink mask (see :func:`find_letters_and_marks`).

    Parameters
    ----------
    ink : (h, w) bool array
    stroke : float
        Stroke width in px; strokes are joined across gaps of about half of it.
    scale : float
        Recorded in the result (working-copy px per input px).
    contrast : (h, w) float array, optional
        Ink contrast; letters much paler than the page's writing are dropped
        (:func:`pale_boxes`).
    paper : (h, w) float array, optional
        Local paper brightness; letters on a surround much darker than the
        page's paper (a desk) are dropped (:func:`off_paper_boxes`).
    sheet : (h, w) bool array, optional
        A held sheet's smooth paper, recorded in the result.

    Returns
    -------
    Located
    """
    boxes, marks = np.zeros((0, 4)), np.zeros((0, 4))
    if ink.any():
        joined = close_gaps(ink, max(1, int(round(stroke / 2))))
        labels, _ = ndi.label(joined, structure=np.ones((3, 3)))
        raw = np.array([(sl[0].start, sl[1].start, sl[0].stop, sl[1].stop)
                        for sl in ndi.find_objects(labels) if sl is not None], float).reshape(-1, 4)
        boxes = filter_boxes(raw, ink.shape, params)
        if contrast is not None and len(boxes):
            boxes = boxes[~pale_boxes(boxes, ink, contrast, params.min_peak_ratio)]
        if paper is not None and len(boxes):
            boxes = boxes[~off_paper_boxes(boxes, paper, params.min_paper_ratio)]
        marks = small_marks(raw, boxes, stroke, params)
    return Located(_sorted_int(boxes), _sorted_int(marks), ink, scale, stroke, contrast, paper, sheet)


def close_gaps(ink, radius):
    """Binary closing of ``ink`` with a disk of ``radius`` px, the plane around it counted as paper.

    Computed block by block (:func:`ocr.frontend.strokes.ink_blocks` with gaps of
    ``2 radius + 1``, across which no closing can reach): a page is mostly paper.

    Parameters
    ----------
    ink : (H, W) bool array
    radius : int

    Returns
    -------
    (H, W) bool array
    """
    disk, pad = morphology.disk(radius), radius + 1
    out = np.zeros_like(ink, dtype=bool)
    for y1, x1, y2, x2 in ink_blocks(ink, gap=2 * radius + 1):
        out[y1:y2, x1:x2] |= ndi.binary_closing(np.pad(ink[y1:y2, x1:x2], pad), structure=disk)[pad:-pad, pad:-pad]
    return out


def pale_boxes(boxes, ink, contrast, min_peak_ratio=DEFAULT.min_peak_ratio):
    """Boxes whose darkest ink is much paler than the page's writing.

    Written strokes have dark cores; a shadow's edge, show-through or a smudge
    is ink-like only at a fraction of that contrast.

    Parameters
    ----------
    boxes : (K, 4) array
    ink : (h, w) bool array
    contrast : (h, w) float array
    min_peak_ratio : float
        A box is pale when its peak ink contrast is under this fraction of the
        median peak over all boxes.

    Returns
    -------
    pale : (K,) bool array
    """
    peaks = np.zeros(len(boxes))
    for k, (y1, x1, y2, x2) in enumerate(np.asarray(boxes, int)):
        inside = ink[y1:y2, x1:x2]
        if inside.any():
            peaks[k] = contrast[y1:y2, x1:x2][inside].max()
    return peaks < min_peak_ratio * np.median(peaks)


def small_marks(raw, boxes, stroke, params=DEFAULT):
    """Component boxes of mark size that lie outside every letter box.

    Parameters
    ----------
    raw : (N, 4) float array
        All component boxes.
    boxes : (K, 4) float array
        The letter boxes.
    stroke : float
        Page stroke width in px.

    Returns
    -------
    marks : (M, 4) float array
    """
    if len(boxes) == 0 or len(raw) == 0:
        return np.zeros((0, 4))
    ref = _reference_height(boxes[:, 2] - boxes[:, 0])
    h = raw[:, 2] - raw[:, 0]
    w = raw[:, 3] - raw[:, 1]
    size = np.maximum(h, w)
    keep = (h <= params.mark_max_height * ref) & (w <= params.mark_max_height * ref * 2)
    keep &= size >= max(params.mark_min_strokes * stroke, 2)
    inside = ((raw[:, None, 0] >= boxes[None, :, 0] - 1) & (raw[:, None, 2] <= boxes[None, :, 2] + 1)
              & (raw[:, None, 1] >= boxes[None, :, 1] - 1) & (raw[:, None, 3] <= boxes[None, :, 3] + 1)).any(axis=1)
    marks = raw[keep & ~inside]
    return marks[~in_columns(marks, ref, params)]


def in_columns(marks, ref, params=DEFAULT):
    """Marks in a column of at least ``mark_column`` marks: pieces of a broken line, not punctuation.

    A sheet's edge or a dashed margin breaks into short pieces one above the
    other; punctuation stands beside letters, at most two marks above each
    other (a colon). Marks are in one column when they overlap horizontally
    and their centres are within ``mark_column_reach`` letter heights,
    directly or through other marks of the column.

    Parameters
    ----------
    marks : (M, 4) array
    ref : float
        Reference letter height.

    Returns
    -------
    stacked : (M,) bool array
    """
    marks = np.asarray(marks, float).reshape(-1, 4)
    centre = (marks[:, 0] + marks[:, 2]) / 2
    overlap = np.minimum(marks[:, None, 3], marks[None, :, 3]) > np.maximum(marks[:, None, 1], marks[None, :, 1])
    near = overlap & (np.abs(centre[:, None] - centre[None, :]) < params.mark_column_reach * ref)
    _, column = connected_components(near, directed=False)
    return np.bincount(column)[column] >= params.mark_column


def _sorted_int(boxes):
    """Boxes rounded to int, sorted by top edge then left edge."""
    boxes = np.round(np.asarray(boxes, float).reshape(-1, 4)).astype(int)
    return boxes[np.lexsort((boxes[:, 1], boxes[:, 0]))]


def _to_input(boxes, scale, shape):
    """Working-copy boxes to sorted int boxes in input coordinates."""
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    if len(boxes) == 0:
        return np.zeros((0, 4), int)
    boxes = np.round(boxes / scale).astype(int)
    boxes[:, [0, 2]] = np.clip(boxes[:, [0, 2]], 0, shape[0])
    boxes[:, [1, 3]] = np.clip(boxes[:, [1, 3]], 0, shape[1])
    return boxes[np.lexsort((boxes[:, 1], boxes[:, 0]))]


def filter_boxes(raw, shape, params=DEFAULT):
    """Keep letter-sized component boxes, merge fragments, drop specks, slivers and boxes on the border.

    Specks under ``min_box`` of the page are dropped first, so that dense
    dust cannot set the reference letter height; the other sizes are
    relative to that height.

    Parameters
    ----------
    raw : (N, 4) float array of component boxes on a page of ``shape``

    Returns
    -------
    boxes : (K, 4) float array
    """
    h = raw[:, 2] - raw[:, 0]
    w = raw[:, 3] - raw[:, 1]
    keep = np.maximum(h, w) >= max(4, params.min_box * max(shape))
    raw, h, w = raw[keep], h[keep], w[keep]
    if len(raw) == 0:
        return np.zeros((0, 4))
    candidate = h < 0.5 * shape[0]
    in_rows = candidate & (row_neighbours(raw, params) > 0)
    in_cols = candidate & (row_neighbours(raw[:, [1, 0, 3, 2]], params) > 0)
    if (h * w)[in_cols].sum() > (h * w)[in_rows].sum():
        in_rows = in_cols
    ref = _reference_height(h[in_rows] if in_rows.sum() >= params.row_min_letters
                            else h[candidate] if candidate.any() else h)
    plausible = (h < params.tall_ratio * ref) & ((w < params.wide_ratio * ref) | _letter_run(h, w, ref, params))
    merged = np.array(_merge_pieces(raw[plausible], ref, params), float).reshape(-1, 4)
    h = merged[:, 2] - merged[:, 0]
    w = merged[:, 3] - merged[:, 1]
    ref = _reference_height(h)
    keep = (h >= params.min_height * ref) & (h <= params.max_height * ref)
    keep &= (w <= params.max_height * ref) | _letter_run(h, w, ref, params)
    keep &= ~((h > params.sliver_ratio * w) & (h > params.sliver_height * ref))
    touching = (merged[:, 0] <= 0) | (merged[:, 1] <= 0) | (merged[:, 2] >= shape[0]) | (merged[:, 3] >= shape[1])
    keep &= ~touching
    return merged[keep]


def row_neighbours(boxes, params=DEFAULT):
    """Number of boxes beside each box as its neighbour in a line of writing.

    Letters stand in rows of boxes of similar height, side by side; the
    components of a spiral binding, a sheet edge or desk texture mostly do
    not. Two boxes are row neighbours when their heights differ by less than
    ``row_height_ratio``, their vertical centres by less than ``row_centre``
    of the taller height, and the horizontal gap between them is under
    ``row_gap`` of the taller height (overlapping by at most half the narrower
    width).

    Parameters
    ----------
    boxes : (N, 4) array
        ``[y1, x1, y2, x2]``.

    Returns
    -------
    count : (N,) int array
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    h = np.maximum(boxes[:, 2] - boxes[:, 0], 1)
    w = boxes[:, 3] - boxes[:, 1]
    centre = (boxes[:, 0] + boxes[:, 2]) / 2
    taller = np.maximum(h[:, None], h[None, :])
    gap = np.maximum(boxes[:, None, 1], boxes[None, :, 1]) - np.minimum(boxes[:, None, 3], boxes[None, :, 3])
    near = ((taller / np.minimum(h[:, None], h[None, :]) < params.row_height_ratio)
            & (np.abs(centre[:, None] - centre[None, :]) < params.row_centre * taller)
            & (gap < params.row_gap * taller) & (gap > -0.5 * np.minimum(w[:, None], w[None, :])))
    np.fill_diagonal(near, False)
    return near.sum(axis=1)


def _letter_run(h, w, ref, params=DEFAULT):
    """Boxes as tall as a letter but several letters wide: touching letters, split later."""
    return (h >= params.run_min * ref) & (h <= params.run_max * ref) & (w <= params.run_width * ref)


def _binary_at(ink, shape):
    paper = (~ink).astype(np.float32)
    if paper.shape != tuple(shape):
        paper = transform.resize(paper, shape, order=1, preserve_range=True, anti_aliasing=False)
        paper = (paper > 0.5).astype(np.float32)
    return paper
