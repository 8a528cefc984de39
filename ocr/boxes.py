"""Boxes and confidences of words and lines, derived from their characters' boxes."""
import numpy as np


def line_chars(line):
    return [c for w in line.words for c in w.chars]


def box_of(chars):
    """``[y1, x1, y2, x2]`` enclosing the boxes of ``chars``."""
    boxes = np.array([c.box for c in chars], int).reshape(-1, 4)
    if len(boxes) == 0:
        return [0, 0, 0, 0]
    return [int(boxes[:, 0].min()), int(boxes[:, 1].min()), int(boxes[:, 2].max()), int(boxes[:, 3].max())]


def word_confidence(word):
    """Mean of the word's character confidences (0..1)."""
    return round(float(np.mean([c.confidence for c in word.chars])), 4) if word.chars else 0.0


def unscaled_box(box, scale, shape):
    """A ``[y1, x1, y2, x2]`` box on a copy ``scale = (sy, sx)`` times a page, in that page's pixels.

    Edges are widened to whole pixels (floor, ceil) and clipped to the page's ``shape`` ``(H, W)``.
    """
    sy, sx = scale
    h, w = (int(s) for s in shape)
    y1, x1, y2, x2 = box
    return [int(np.clip(np.floor(y1 / sy), 0, h)), int(np.clip(np.floor(x1 / sx), 0, w)),
            int(np.clip(np.ceil(y2 / sy), 0, h)), int(np.clip(np.ceil(x2 / sx), 0, w))]


def ltwh(box):
    """``(left, top, width, height)`` of a ``[y1, x1, y2, x2]`` box."""
    y1, x1, y2, x2 = (int(v) for v in box)
    return x1, y1, x2 - x1, y2 - y1


def polygon(box):
    """The four corners ``[(x, y), ...]`` of a ``[y1, x1, y2, x2]`` box, clockwise from top-left."""
    y1, x1, y2, x2 = (int(v) for v in box)
    return [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
