"""The page's lines of words in reading order, and the small marks left to place in them as punctuation."""
from dataclasses import dataclass

import numpy as np

from .lines import layout
from .punctuation import hanging_marks


@dataclass
class PageLayout:
    """Lines of words of glyph indices, and the marks to place as punctuation.

    Attributes
    ----------
    lines : list of lists of lists of int
        ``lines[i][j]`` are the glyph indices of word ``j`` on line ``i``, top
        to bottom, left to right.
    marks : (M, 4) int array
        Boxes of small marks, and of big commas hanging from a line, to place
        as punctuation (:func:`ocr.layout.punctuation.place_marks`).
    """

    lines: list
    marks: np.ndarray


def lay_out(boxes, skew, params, marks=None):
    """Group letter boxes into lines and words; a line that is one big comma hanging from the line above is a mark.

    Parameters
    ----------
    boxes : (K, 4) int array
    skew : float
        Page skew in degrees.
    params : FrontEndParams
    marks : (M, 4) int array, optional
        Small marks found beside the letters; None lays out the letters
        alone, with no punctuation (as the line engine reads them).

    Returns
    -------
    PageLayout
    """
    lines = layout(boxes, skew, params)
    if marks is None:
        return PageLayout(lines, np.zeros((0, 4), int))
    lines, hanging = hanging_marks(lines, boxes, skew, params)
    return PageLayout(lines, np.concatenate([np.asarray(marks, int).reshape(-1, 4), boxes[hanging]]))
