"""The page's letter boxes with their crops and class probabilities, cut where letters touch, joined where one broke."""
from dataclasses import dataclass

import numpy as np

from ..recognition.classify import predict_proba
from ..recognition.crops import normalise_crops
from .merge import join_broken
from .split import split_touching


@dataclass
class Glyphs:
    """Letter boxes on a page's working copy, as layout hands them to recognition.

    Attributes
    ----------
    boxes : (K, 4) int array
        ``[y1, x1, y2, x2]``.
    rows : (K, 1024) float array or None
        Each box's normalised crop (a transposed 32x32 dataset row); None when
        the letters are read by the line engine alone.
    probs : (K, 36) float array or None
        The glyph classifier's probabilities of each crop.
    cut : (K,) bool array
        The box is a piece of a box of touching letters that was cut
        (:func:`~ocr.layout.split.split_touching`).
    """

    boxes: np.ndarray
    rows: np.ndarray = None
    probs: np.ndarray = None
    cut: np.ndarray = None

    def __post_init__(self):
        if self.cut is None:
            self.cut = np.zeros(len(self.boxes), bool)


def classify_glyphs(binary, boxes, classifier, skew):
    """The letters of ``boxes`` normalised with the page's skew and classified.

    Parameters
    ----------
    binary : (H, W) array, 0 = ink
    boxes : (K, 4) int array
    classifier : object with ``predict_proba(rows) -> (K, 36)``
    skew : float
        Page skew in degrees; each crop is turned by it.

    Returns
    -------
    Glyphs
    """
    rows = normalise_crops(binary, boxes, skew)
    return Glyphs(boxes, rows, predict_proba(rows, classifier))


def segment_glyphs(binary, glyphs, classifier, skew, params):
    """Boxes of touching letters cut into letters, then side-by-side pieces of one letter joined.

    Parameters
    ----------
    binary : (H, W) array, 0 = ink
    glyphs : Glyphs
        Classified letter boxes (:func:`classify_glyphs`).
    classifier : object with ``predict_proba``
    skew : float
    params : FrontEndParams

    Returns
    -------
    Glyphs
        With ``cut`` marking the pieces of cut boxes that were not joined again.
    """
    before = {tuple(int(v) for v in b) for b in glyphs.boxes}
    boxes, rows, probs = split_touching(binary, glyphs.boxes, glyphs.rows, glyphs.probs, classifier, skew)
    pieces = {tuple(int(v) for v in b) for b in boxes} - before
    boxes, rows, probs = join_broken(binary, boxes, rows, probs, classifier, skew, params)
    cut = np.array([tuple(int(v) for v in b) in pieces for b in boxes], bool)
    return Glyphs(boxes, rows, probs, cut)
