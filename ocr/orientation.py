"""Which quarter turn stands a page upright: the one the classifier reads most confidently."""
import numpy as np

from training.glyph import images_to_rows, rows_to_images

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


def turn_rows(rows, k):
    """Dataset rows of 32x32 glyphs turned by ``np.rot90``'s ``k`` quarter turns.

    A normalised crop of a letter on a turned page is (up to the centring of
    odd margins) the turned normalised crop, so one normalisation serves all
    four turns.
    """
    images = rows_to_images(np.asarray(rows).reshape(-1, 1024))
    return images_to_rows(np.rot90(images, k, axes=(1, 2)))


def _mean_log_confidence(probs):
    return float(np.mean(np.log(lookalike_confidence(probs) + 1e-12)))


def orientation_scores(binary, boxes, classifier, params=DEFAULT, turns=(0, 1, 2, 3), upright=None):
    """Mean log-confidence of the classifier on sample letters in each quarter turn.

    Confidence counts letter/digit twins together (:func:`~ocr.recognise.lookalike_confidence`):
    an upright O that reads half O, half 0 is a sure glyph, not a doubt that a turned page could beat.

    Parameters
    ----------
    binary : (H, W) array, 0 = ink
    boxes : (K, 4) int array
    classifier : object with ``predict_proba``
    turns : sequence of int
        Which quarter turns to score (the others stay NaN).
    upright : ((K, 1024), (K, 36)) arrays, optional
        Rows of all ``boxes`` normalised upright, and their probabilities,
        when already computed (page reading passes its own rows, deskewed:
        a turned deskewed crop is the deskewed crop of the turned page).

    Returns
    -------
    scores : (4,) float array
        ``scores[k]`` for the page turned by ``np.rot90(page, k)``.
    """
    pick = sample_letters(boxes, params.orientation_sample)
    scores = np.full(4, np.nan)
    if len(pick) == 0:
        return np.zeros(4)
    if upright is not None:
        rows, upright_probs = upright[0][pick], upright[1][pick]
    else:
        rows, upright_probs = normalise_crops(binary, boxes[pick]), None
    turns = list(turns)
    if 0 in turns and upright_probs is not None:
        scores[0] = _mean_log_confidence(upright_probs)
        turns.remove(0)
    if turns:
        probs = predict_proba(np.concatenate([turn_rows(rows, k) for k in turns]), classifier)
        for k, part in zip(turns, np.split(probs, len(turns))):
            scores[k] = _mean_log_confidence(part)
    return scores


def detect_orientation(binary, boxes, classifier, params=DEFAULT, upright=None):
    """Quarter turns (``np.rot90``'s ``k``) that stand the page upright.

    0 unless another turn reads clearly better than upright (``orientation_margin``)
    and reads confidently in itself (``orientation_confidence``). The other
    turns are not read when the upright reading is so confident that no turn
    could beat it by the margin (every score is at most 0).

    Parameters
    ----------
    upright : ((K, 1024), (K, 36)) arrays, optional
        See :func:`orientation_scores`.
    """
    upright_score = orientation_scores(binary, boxes, classifier, params, (0,), upright)[0]
    if upright_score > -params.orientation_margin:
        return 0
    scores = orientation_scores(binary, boxes, classifier, params, (1, 2, 3), upright)
    scores[0] = upright_score
    best = int(np.argmax(scores))
    if (best and scores[best] - scores[0] >= params.orientation_margin
            and scores[best] >= np.log(params.orientation_confidence)):
        return best
    return 0
