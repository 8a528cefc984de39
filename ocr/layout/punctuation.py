"""Read small marks between letters as punctuation from their shape and position in the line.

A dot on the baseline is ``.``, a short stroke reaching below the baseline is
``,``, a flat bar at mid-height is ``-`` and a short upright tick near the top
of the line is ``'``. Anything else of mark size is dropped as a speck.
"""
import numpy as np

from ..params import DEFAULT
from .lines import box_centres

DOT, COMMA, DASH, TICK = ".", ",", "-", "'"


def line_band(boxes, line, angle):
    """Top, bottom (across the lines) and left, right (along them) of one line's letters.

    Returns
    -------
    top, bottom, left, right : float
        In the frame turned by ``angle`` degrees (see ``ocr.layout.lines``).
    """
    sub = np.asarray(boxes, float)[list(line)]
    across, along = _frame(sub, angle)
    height = np.median(sub[:, 2] - sub[:, 0])
    return (float(np.median(across) - height / 2), float(np.median(across) + height / 2),
            float(along.min()), float(along.max()))


def _frame(boxes, angle):
    t = np.deg2rad(angle)
    centres = box_centres(boxes)
    across = centres[:, 0] * np.cos(t) - centres[:, 1] * np.sin(t)
    along = centres[:, 0] * np.sin(t) + centres[:, 1] * np.cos(t)
    return across, along


def mark_label(mark, top, bottom, comma_height=DEFAULT.comma_max_height):
    """Punctuation for a mark box given its line's top and bottom (same frame), or None.

    Parameters
    ----------
    mark : (4,) box ``[y1, x1, y2, x2]``, ``y`` across the line in the same frame
    top, bottom : float
        The line's letter band.
    comma_height : float
        A comma is at most this many line heights tall.
    """
    y1, x1, y2, x2 = (float(v) for v in mark)
    height = max(bottom - top, 1e-6)
    h, w = (y2 - y1) / height, (x2 - x1) / height
    centre = ((y1 + y2) / 2 - top) / height
    if w >= 1.8 * h and w >= 0.2 and 0.3 <= centre <= 0.75:
        return DASH
    if h <= 0.3 and w <= 0.3 and 0.5 <= h / max(w, 1e-6) <= 2 and centre >= 0.8:
        return DOT
    if h <= comma_height and h >= 1.3 * w and centre >= 0.75 and (y2 - bottom) / height > 0.05:
        return COMMA
    if h <= 0.5 and h >= 1.3 * w and centre <= 0.35:
        return TICK
    return None


def place_marks(marks, boxes, structure, angle, params=DEFAULT):
    """Punctuation marks assigned to lines and read from shape and position.

    Parameters
    ----------
    marks : (M, 4) int array
    boxes : (K, 4) int array
        Letter boxes.
    structure : list of list of list of int
        Lines of words of box indices (``ocr.layout.lines.layout``).
    angle : float
        Skew in degrees.
    params : FrontEndParams
        ``marks`` lists the marks read.

    Returns
    -------
    placed : list of (line, word, position, label, box)
        The mark goes into word ``word`` of line ``line`` before the letter at
        ``position`` of that word (``len(word)`` to append).
    """
    marks = np.asarray(marks, float).reshape(-1, 4)
    if len(marks) == 0 or not structure:
        return []
    bands = [line_band(boxes, [i for w in line for i in w], angle) for line in structure]
    across, along = _frame(marks, angle)
    letter_across, letter_along = _frame(np.asarray(boxes, float).reshape(-1, 4), angle)
    placed = []
    for m, box in enumerate(marks):
        for li, (top, bottom, left, right) in enumerate(bands):
            height = bottom - top
            if not (top - 0.3 * height <= across[m] <= bottom + 0.5 * height):
                continue
            if not (left - 0.5 * height <= along[m] <= right + 1.0 * height):
                continue
            h, w = box[2] - box[0], box[3] - box[1]
            label = mark_label([across[m] - h / 2, 0, across[m] + h / 2, w], top, bottom, params.comma_max_height)
            if label is None or label not in params.marks:
                break
            word_index, position = _slot(structure[li], letter_along, along[m])
            placed.append((li, word_index, position, label, [int(v) for v in box]))
            break
    return placed


def _slot(line, letter_along, x):
    """Word and position in it for a mark at ``x`` along the line: it follows the letter before it."""
    best = (0, 0)
    for wi, word in enumerate(line):
        for pi, idx in enumerate(word):
            if letter_along[idx] < x:
                best = (wi, pi + 1)
    return best


def hanging_marks(structure, boxes, angle, params=DEFAULT):
    """Lines that are one short shape hanging from the line above: a big comma, not a line of text.

    A comma written large is letter-sized for the letter finder and, hanging
    below the baseline, falls into a line of its own. A line of one box
    shorter than ``hanging_max_height`` of the height of the line above, whose
    top lies inside that line's band, no further along than one letter height
    beyond its ends, is handed to that line as a mark.

    Parameters
    ----------
    structure : list of list of list of int
        Lines of words of box indices (``ocr.layout.lines.layout``).
    boxes : (K, 4) array
    angle : float
        Skew in degrees.

    Returns
    -------
    structure : list of list of list of int
        Without those lines.
    hanging : list of int
        Indices of their boxes.
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    if len(boxes) == 0:
        return structure, []
    height = float(np.median(boxes[:, 2] - boxes[:, 0]))
    across, along = _frame(boxes, angle)
    kept, hanging = [], []
    for line in structure:
        members = [i for word in line for i in word]
        if len(members) == 1 and kept:
            i = members[0]
            h = boxes[i, 2] - boxes[i, 0]
            top, bottom, left, right = line_band(boxes, [j for word in kept[-1] for j in word], angle)
            if (h < params.hanging_max_height * (bottom - top) and top < across[i] - h / 2 < bottom
                    and left - height <= along[i] <= right + height):
                hanging.append(i)
                continue
        kept.append(line)
    return kept, hanging
