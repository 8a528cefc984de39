"""Which quarter turn stands a page upright: the one the classifier reads most confidently."""
from dataclasses import dataclass

import numpy as np

from ..params import DEFAULT
from ..recognition.classify import LOOKALIKE_PAIRS, lookalike_confidence, predict_proba
from ..recognition.crops import normalise_crops
from ..recognition.glyph import MIN_ROTATION, images_to_rows, rows_to_images
from .glyphs import Glyphs, classify_glyphs
from ..frontend.letters import row_neighbours
from .lines import estimate_skew


def rotate_boxes(boxes, shape, k):
    """Boxes of an ``(H, W)`` page in the frame of ``np.rot90(page, k)``.

    Parameters
    ----------
    boxes : (K, 4) int array of ``[y1, x1, y2, x2]``
    shape : (H, W)
    k : int
        Quarter turns counter-clockwise, as in ``np.rot90``.

    Returns
    -------
    boxes : (K, 4) int array
    """
    boxes = np.asarray(boxes, int).reshape(-1, 4)
    h, w = shape
    for _ in range(k % 4):
        y1, x1, y2, x2 = boxes.T
        boxes = np.stack([w - x2, y1, w - x1, y2], axis=1)
        h, w = w, h
    return boxes


def sample_letters(boxes, n):
    """Indices of up to ``n`` boxes of typical letter size, spread over the page."""
    boxes = np.asarray(boxes).reshape(-1, 4)
    if len(boxes) == 0:
        return np.zeros(0, int)
    side = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]).astype(float)
    ref = np.median(side)
    typical = np.flatnonzero((side >= 0.6 * ref) & (side <= 1.6 * ref))
    if len(typical) <= n:
        return typical
    return typical[np.linspace(0, len(typical) - 1, n).round().astype(int)]


def turn_rows(rows, k):
    """Dataset rows of 32x32 glyphs turned by ``np.rot90``'s ``k`` quarter turns.

    A normalised crop of a letter on a turned page is (up to the centring of
    odd margins) the turned normalised crop, so one normalisation serves all
    four turns.
    """
    images = rows_to_images(np.asarray(rows).reshape(-1, 1024))
    return images_to_rows(np.rot90(images, k, axes=(1, 2)))


TURN_PAIRS = tuple(pair for pair in LOOKALIKE_PAIRS if pair != ("Z", "2"))
"""Twins counted together when the turns are scored: not Z/2, one of which a turned 2 or Z reads as."""


def _log_confidences(probs):
    """Each row's log-confidence, twins counted together (:data:`TURN_PAIRS`)."""
    return np.log(lookalike_confidence(probs, TURN_PAIRS) + 1e-12)


def _mean_log_confidence(probs, trim=0.0):
    """Mean log-confidence of the rows, leaving out the least confident ``trim`` fraction."""
    logs = np.sort(_log_confidences(probs))
    return float(np.mean(logs[int(trim * len(logs)):]))


def line_direction(boxes, params=DEFAULT):
    """Letters lined up in columns less letters lined up in rows (:func:`~ocr.frontend.letters.row_neighbours`).

    Positive when the glyphs stand one below the other, as a line of writing
    does on a page turned a quarter turn; negative when they stand side by side.

    Parameters
    ----------
    boxes : (K, 4) array

    Returns
    -------
    int
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    if len(boxes) < 2:
        return 0
    in_rows = row_neighbours(boxes, params) > 0
    in_cols = row_neighbours(boxes[:, [1, 0, 3, 2]], params) > 0
    return int(np.count_nonzero(in_cols & ~in_rows)) - int(np.count_nonzero(in_rows & ~in_cols))


def orientation_scores(binary, boxes, classifier, params=DEFAULT, upright=None, known=None):
    """Mean log-confidence of the classifier on sample letters in each quarter turn.

    Confidence counts letter/digit twins together (:func:`~ocr.recognition.classify.lookalike_confidence`):
    an upright O that reads half O, half 0 is a sure glyph, not a doubt that a turned page could beat.
    Every turn is read from the same crops, normalised without any deskewing
    (a page's skew is measured on its lines, which a turned page does not have).

    Parameters
    ----------
    binary : (H, W) array, 0 = ink
    boxes : (K, 4) int array
    classifier : object with ``predict_proba``
    upright : ((K, 1024), (K, 36)) arrays, optional
        Rows of all ``boxes`` normalised without rotation and their
        probabilities, when already computed.
    known : dict, optional
        Box index -> ``(4, 36)`` probabilities of its four turns, from an
        earlier call on the same page: those letters are not read again, and
        the letters read here are added.

    Returns
    -------
    scores : (4,) float array
        ``scores[k]`` for the page turned by ``np.rot90(page, k)``.
    trimmed : (4,) float array
        The same without the least confident ``orientation_trim`` of the
        sample (specks and fragments read poorly in every turn).
    """
    pick = sample_letters(boxes, params.orientation_sample)
    if len(pick) == 0:
        return np.zeros(4), np.zeros(4)
    known = {} if known is None else known
    todo = np.array([i for i in pick.tolist() if i not in known], int)
    if len(todo):
        if upright is not None:
            rows, turns, parts = upright[0][todo], (1, 2, 3), [upright[1][todo]]
        else:
            rows, turns, parts = normalise_crops(binary, boxes[todo]), (0, 1, 2, 3), []
        probs = predict_proba(np.concatenate([turn_rows(rows, k) for k in turns]), classifier)
        parts += np.split(probs, len(turns))
        known.update(zip(todo.tolist(), np.stack(parts, axis=1)))
    parts = np.stack([known[i] for i in pick.tolist()], axis=1)
    return (np.array([_mean_log_confidence(p) for p in parts]),
            np.array([_mean_log_confidence(p, params.orientation_trim) for p in parts]))


def turn_evidence(scores, n_letters, direction, params=DEFAULT):
    """Log-odds for each quarter turn against the page as it stands: the letters' and the layout's.

    The letters' evidence is the summed log-likelihood ratio of their readings
    (``n_letters`` times the mean score gain), so that three glyphs read
    slightly more surely sideways are weak evidence and sixty strong; the
    layout's is ``orientation_layout`` per letter lined up in a column rather
    than a row (``direction``, :func:`line_direction`), for the odd turns.

    Returns
    -------
    (4,) float array; 0 for the page as it stands
    """
    evidence = n_letters * (np.asarray(scores, float) - scores[0])
    evidence[1::2] += params.orientation_layout * direction
    return evidence


def detect_orientation(binary, boxes, classifier, params=DEFAULT, upright=None, reading=None):
    """Quarter turns (``np.rot90``'s ``k``) that stand the page upright.

    0 unless another turn has strong evidence: its log-odds against the page
    as it stands (:func:`turn_evidence`: the letters' summed log-likelihood
    ratios and, for a quarter turn, the letters that line up in columns)
    reach ``orientation_prior``, and its better read letters read
    confidently (``orientation_confidence``). Without the layout's support a
    turn must also read clearly better per letter (``orientation_margin``). A page whose
    letters line up in rows and already read so confidently as they stand
    that no turn could beat them by the margin (every score is at most 0) is
    not turned, and the other turns are not read; nor is a page whose first
    ``orientation_first`` letters read far better upright than in any other
    turn (``orientation_lead``) read in turns on the rest of its sample
    (otherwise those letters are not read twice).

    Parameters
    ----------
    upright : ((K, 1024), (K, 36)) arrays, optional
        See :func:`orientation_scores`.
    reading : (K, 36) array, optional
        Probabilities of the letters as the page reads them (e.g. deskewed),
        for the shortcut.
    """
    pick = sample_letters(boxes, params.orientation_sample)
    direction = line_direction(boxes, params)
    if (direction <= 0 and reading is not None and len(pick)
            and _mean_log_confidence(reading[pick]) > -params.orientation_margin):
        return 0
    known = {}
    if params.orientation_first < len(pick):
        first, _ = orientation_scores(binary, boxes, classifier,
                                      params.with_(orientation_sample=params.orientation_first), upright, known)
        if direction <= 0 and first[0] - first[1:].max() >= params.orientation_lead:
            return 0
    scores, trimmed = orientation_scores(binary, boxes, classifier, params, upright, known)
    evidence = turn_evidence(scores, len(pick), direction, params)
    best = int(np.argmax(evidence))
    if not best or evidence[best] < params.orientation_prior or trimmed[best] < np.log(params.orientation_confidence):
        return 0
    if (best % 2 and direction > 0) or scores[best] - scores[0] >= params.orientation_margin:
        return best
    return 0


@dataclass
class UprightPage:
    """What the front end found on a page, stood upright.

    Attributes
    ----------
    found : ocr.frontend.letters.Located
        Letters found again on the turned ink when the page was turned.
    turns : int
        Quarter turns (``np.rot90``'s ``k``) applied to the front end's page.
    skew : float
        Skew of the upright page's lines in degrees (0 when it holds no letters).
    glyphs : Glyphs or None
        The letters classified upright, deskewed, when they were read to
        decide the turn and the page was not turned.
    """

    found: object
    turns: int
    skew: float
    glyphs: Glyphs = None


def stand_upright(found, classifier, params=DEFAULT):
    """Turn a page by the quarter turn its letters read best in (:func:`detect_orientation`).

    Parameters
    ----------
    found : ocr.frontend.letters.Located
        With at least one letter box.
    classifier : object with ``predict_proba``, or None
        None leaves the page as it stands.
    params : FrontEndParams

    Returns
    -------
    UprightPage
    """
    skew = estimate_skew(found.boxes, params.max_tilt)
    if classifier is None:
        return UprightPage(found, 0, skew)
    glyphs = classify_glyphs(found.binary, found.boxes, classifier, skew)
    turns = detect_orientation(found.binary, found.boxes, classifier, params,
                               (glyphs.rows, glyphs.probs) if abs(skew) < MIN_ROTATION else None, reading=glyphs.probs)
    if not turns:
        return UprightPage(found, 0, skew, glyphs)
    found = found.turned(turns, params)
    return UprightPage(found, turns, estimate_skew(found.boxes, params.max_tilt) if len(found.boxes) else 0.0)
