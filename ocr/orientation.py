"""Which quarter turn stands a page upright: the one the classifier reads most confidently."""
import numpy as np

from .normalise import normalise_crops
from .params import DEFAULT
from .recognise import lookalike_confidence, predict_proba


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


def orientation_scores(binary, boxes, classifier, params=DEFAULT):
    """Mean log-confidence of the classifier on sample letters in each quarter turn.

    Confidence counts letter/digit twins together (:func:`~ocr.recognise.lookalike_confidence`):
    an upright O that reads half O, half 0 is a sure glyph, not a doubt that a turned page could beat.

    Parameters
    ----------
    binary : (H, W) array, 0 = ink
    boxes : (K, 4) int array
    classifier : object with ``predict_proba``

    Returns
    -------
    scores : (4,) float array
        ``scores[k]`` for the page turned by ``np.rot90(page, k)``.
    """
    pick = sample_letters(boxes, params.orientation_sample)
    scores = np.zeros(4)
    if len(pick) == 0:
        return scores
    for k in range(4):
        turned = np.rot90(binary, k)
        rows = normalise_crops(turned, rotate_boxes(boxes[pick], binary.shape, k))
        probs = predict_proba(rows, classifier)
        scores[k] = float(np.mean(np.log(lookalike_confidence(probs) + 1e-12)))
    return scores


def detect_orientation(binary, boxes, classifier, params=DEFAULT):
    """Quarter turns (``np.rot90``'s ``k``) that stand the page upright.

    0 unless another turn reads clearly better than upright (``orientation_margin``)
    and reads confidently in itself (``orientation_confidence``).
    """
    scores = orientation_scores(binary, boxes, classifier, params)
    best = int(np.argmax(scores))
    if (best and scores[best] - scores[0] >= params.orientation_margin
            and scores[best] >= np.log(params.orientation_confidence)):
        return best
    return 0
