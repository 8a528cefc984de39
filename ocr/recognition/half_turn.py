"""The half turn settled by reading whole lines: upside down, a line recogniser reads a page far less surely.

The glyph classifier chooses the page's quarter turn letter by letter, and
some letters read alike upside down (``o s x z l 2/Z 6/9``, most lowercase
print). A line recogniser reads a line in context: its reading of the page as
it stands and turned by 180 degrees decides between the two.
"""
from dataclasses import replace

import numpy as np

from ..layout.lines import estimate_skew
from ..layout.orientation import UprightPage, rotate_boxes
from ..layout.page_layout import lay_out
from ..params import DEFAULT
from .line_engine import read_lines


def line_reading_score(found, skew, recogniser, params=DEFAULT):
    """Summed log-confidence of the characters a line recogniser reads on a page, and their number.

    Parameters
    ----------
    found : ocr.frontend.letters.Located
    skew : float
        Skew of the page's lines in degrees.
    recogniser : ocr.recognition.numpy_line.NumpyLineRecogniser
    params : FrontEndParams

    Returns
    -------
    (float, int)
        ``sum(log(confidence))`` over the characters read, and how many; ``(0.0, 0)`` for no letters.
    """
    if not len(found.boxes):
        return 0.0, 0
    structure = lay_out(found.boxes, skew, params).lines
    conf = [c for line in read_lines(found.binary, found.boxes, structure, skew, recogniser)
            for word in line for _, _, c in word]
    return float(np.sum(np.log(np.maximum(conf, 1e-9)))), len(conf)


def half_turn_evidence(page, turned, recogniser, params=DEFAULT):
    """Log-odds for ``turned`` (the page turned by 180 degrees) against ``page``, from their line readings.

    Both are scored over the page's letter boxes (the turned page holds the
    same, :func:`half_turned`): a reading's mean log-confidence per character,
    times their number (a character not read at all counts as read at the
    reading's mean).

    Parameters
    ----------
    page, turned : UprightPage

    Returns
    -------
    float
    """
    n = len(page.found.boxes)
    means = []
    for p in (page, turned):
        total, count = line_reading_score(p.found, p.skew, recogniser, params)
        means.append(total / count if count else -np.inf)
    if not np.isfinite(means[1]):
        return -np.inf
    if not np.isfinite(means[0]):
        return np.inf
    return n * (means[1] - means[0])


def half_turned(found):
    """What the front end found on a page, turned by 180 degrees: every map and box turned, nothing found again.

    Parameters
    ----------
    found : ocr.frontend.letters.Located

    Returns
    -------
    ocr.frontend.letters.Located
    """
    shape = found.ink.shape

    def turn(a):
        return None if a is None else np.ascontiguousarray(a[::-1, ::-1])

    return replace(found, boxes=rotate_boxes(found.boxes, shape, 2), marks=rotate_boxes(found.marks, shape, 2),
                   ink=turn(found.ink), contrast=turn(found.contrast), paper=turn(found.paper),
                   sheet=turn(found.sheet))


def settle_half_turn(page, recogniser, params=DEFAULT):
    """``page``, or the page turned by 180 degrees when a line recogniser reads it that way far more surely.

    The turn is taken when :func:`half_turn_evidence` reaches
    ``params.half_turn_prior``.

    Parameters
    ----------
    page : UprightPage
    recogniser : ocr.recognition.numpy_line.NumpyLineRecogniser or None
        None (or a page without letters) leaves the page as it is.
    params : FrontEndParams

    Returns
    -------
    UprightPage
        ``glyphs`` is None when turned (the letters are classified again).
    """
    if recogniser is None or not len(page.found.boxes):
        return page
    found = half_turned(page.found)
    turned = UprightPage(found, (page.turns + 2) % 4, estimate_skew(found.boxes, params.max_tilt))
    return turned if half_turn_evidence(page, turned, recogniser, params) >= params.half_turn_prior else page
