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


def ltwh(box):
    """``(left, top, width, height)`` of a ``[y1, x1, y2, x2]`` box."""
    y1, x1, y2, x2 = (int(v) for v in box)
    return x1, y1, x2 - x1, y2 - y1


def polygon(box):
    """The four corners ``[(x, y), ...]`` of a ``[y1, x1, y2, x2]`` box, clockwise from top-left."""
    y1, x1, y2, x2 = (int(v) for v in box)
    return [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
