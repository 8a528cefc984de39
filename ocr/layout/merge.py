"""Join side-by-side pieces of one letter that the classifier reads better whole.

A pen that skips, or a bar lying on a ruled line, leaves a letter in pieces
beside each other (an H as ``F`` + ``I``, a W as ``L`` + ``O``). Stacked pieces
are joined by geometry (``ocr.frontend.letters``); side by side, geometry cannot
tell a broken letter from two letters, so the classifier decides: two
neighbours on a line, one of them read unsurely, are joined when the joined box
reads confidently and better than either piece.
"""
import numpy as np

from ..params import DEFAULT
from ..recognition.classify import lookalike_confidence
from .lines import group_lines
from .split import CropCache


def merge_candidates(boxes, lines, params=DEFAULT, confidence=None):
    """Pairs of neighbouring boxes on a line that may be pieces of one letter.

    Parameters
    ----------
    boxes : (K, 4) int array
    lines : list of list of int
        Box indices of each line, left to right (:func:`ocr.layout.lines.group_lines`).
    params : FrontEndParams
        ``join_max_width``, ``join_max_gap`` (``letter`` heights) and ``join_unsure``.
    confidence : (K,) array
        Each box's confidence (look-alike twins counted together).

    Returns
    -------
    pairs : list of (int, int)
    joined : (P, 4) int array
        The union box of each pair.
    """
    boxes = np.asarray(boxes, int).reshape(-1, 4)
    height = float(np.median(boxes[:, 2] - boxes[:, 0])) if len(boxes) else 0.0
    pairs, joined = [], []
    for line in lines:
        for a, b in zip(line[:-1], line[1:]):
            box = [min(boxes[a, 0], boxes[b, 0]), min(boxes[a, 1], boxes[b, 1]),
                   max(boxes[a, 2], boxes[b, 2]), max(boxes[a, 3], boxes[b, 3])]
            gap = boxes[b, 1] - boxes[a, 3]
            if (box[3] - box[1] <= params.join_max_width * height and gap <= params.join_max_gap * height
                    and min(confidence[a], confidence[b]) < params.join_unsure):
                pairs.append((a, b))
                joined.append(box)
    return pairs, np.array(joined, int).reshape(-1, 4)


def join_broken(binary, boxes, rows, probs, classifier, angle=0.0, params=DEFAULT):
    """Replace pairs of side-by-side letter pieces by the letter they make.

    A pair from :func:`merge_candidates` is joined when the joined box's best
    class probability is at least ``join_min_confidence`` and above both
    pieces' (look-alike twins counted together); the most confident joins are
    taken first and each box joins at most once. All candidate boxes are
    classified in one batch.

    Parameters
    ----------
    binary : (H, W) array, 0 = ink
    boxes : (K, 4) int array
    rows, probs : (K, 1024) normalised crops and (K, 36) class probabilities of ``boxes``
    classifier : object with ``predict_proba``
    angle : float
        Page skew in degrees (lines and the normaliser).

    Returns
    -------
    boxes, rows, probs : arrays with every joined pair replaced by its union, in the input order otherwise
    """
    boxes = np.asarray(boxes, int).reshape(-1, 4)
    if len(boxes) < 2:
        return boxes, rows, probs
    confidence = lookalike_confidence(probs)
    pairs, joined = merge_candidates(boxes, group_lines(boxes, angle, params.line_join, params.line_bend), params,
                                     confidence)
    if not pairs:
        return boxes, rows, probs
    cache = CropCache(binary, classifier, angle, boxes, rows, probs)
    cache.add(joined)
    cache.run()
    joined_rows, joined_probs = cache.get(joined)
    joined_confidence = lookalike_confidence(joined_probs)
    used, accepted = set(), {}
    for p in np.argsort(-joined_confidence, kind="stable"):
        a, b = pairs[p]
        if (joined_confidence[p] >= params.join_min_confidence
                and joined_confidence[p] > max(confidence[a], confidence[b]) and not {a, b} & used):
            used |= {a, b}
            accepted[min(a, b)] = p
    if not accepted:
        return boxes, rows, probs
    kept = [(joined[accepted[k]], joined_rows[accepted[k]], joined_probs[accepted[k]]) if k in accepted
            else (boxes[k], rows[k], probs[k]) for k in range(len(boxes)) if k in accepted or k not in used]
    new_boxes, new_rows, new_probs = zip(*kept)
    return np.array(new_boxes, int).reshape(-1, 4), np.array(new_rows), np.array(new_probs)
