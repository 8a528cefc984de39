"""Split boxes that hold several touching letters."""
import numpy as np

from .normalise import normalise_crops
from .recognise import predict_proba


def typical_width(boxes):
    """Median width of the page's single-looking letters (no wider than tall), else 0.75 of the median height."""
    boxes = np.asarray(boxes).reshape(-1, 4)
    widths = boxes[:, 3] - boxes[:, 1]
    heights = boxes[:, 2] - boxes[:, 0]
    single = widths[widths <= 1.2 * heights]
    if len(single) >= 3:
        return float(np.median(single))
    return 0.75 * float(np.median(heights)) if len(heights) else 0.0


def tight_box(ink, y1, x1):
    """Bounding box ``[y1, x1, y2, x2]`` of the ink in a crop placed at ``(y1, x1)``, or None."""
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    return [y1 + rows[0], x1 + cols[0], y1 + rows[-1] + 1, x1 + cols[-1] + 1]


def cut_columns(ink, n):
    """``n - 1`` cut columns: near each ``i * width / n``, the column with the least ink."""
    w = ink.shape[1]
    counts = ink.sum(axis=0)
    step = w / n
    cuts = []
    for i in range(1, n):
        lo = int(max(1, i * step - 0.3 * step))
        hi = int(min(w - 1, i * step + 0.3 * step)) + 1
        cuts.append(lo + int(np.argmin(counts[lo:hi])))
    return cuts


def segment_box(binary, box, width):
    """Split one box into about ``box width / width`` letter boxes at ink minima."""
    y1, x1, y2, x2 = (int(v) for v in box)
    ink = np.asarray(binary)[y1:y2, x1:x2] < 0.5
    n = max(2, int(round((x2 - x1) / width)))
    edges = [0] + cut_columns(ink, n) + [x2 - x1]
    pieces = [tight_box(ink[:, a:b], y1, x1 + a) for a, b in zip(edges[:-1], edges[1:]) if b > a]
    return np.array([p for p in pieces if p is not None], int).reshape(-1, 4)


def split_touching(binary, boxes, probs, classifier, angle=0.0, min_ratio=1.3, sure_ratio=2.2):
    """Split boxes holding touching letters.

    A box more than ``sure_ratio`` typical letter widths wide is always split;
    one between ``min_ratio`` and ``sure_ratio`` only when every piece reads
    more confidently than the whole.

    Parameters
    ----------
    binary : (H, W) array, 0 = ink
    boxes : (K, 4) int array
    probs : (K, 36) class probabilities of ``boxes``
    classifier : object with ``predict_proba``
    angle : float
        Page skew in degrees, passed to the normaliser.

    Returns
    -------
    boxes, probs : arrays with every accepted split replaced by its pieces
    """
    boxes = np.asarray(boxes, int).reshape(-1, 4)
    if len(boxes) == 0:
        return boxes, probs
    width = typical_width(boxes)
    widths = boxes[:, 3] - boxes[:, 1]
    heights = boxes[:, 2] - boxes[:, 0]
    replace = {}
    for k in np.flatnonzero((widths > min_ratio * width) & (widths > 0.9 * heights)):
        pieces = segment_box(binary, boxes[k], width)
        if len(pieces) < 2:
            continue
        p = predict_proba(normalise_crops(binary, pieces, angle), classifier)
        if widths[k] > sure_ratio * width or p.max(axis=1).min() > probs[k].max():
            replace[k] = (pieces, p)
    if not replace:
        return boxes, probs
    out_boxes, out_probs = [], []
    for k in range(len(boxes)):
        b, p = replace.get(k, (boxes[k:k + 1], probs[k:k + 1]))
        out_boxes.append(b)
        out_probs.append(p)
    return np.concatenate(out_boxes), np.concatenate(out_probs)
