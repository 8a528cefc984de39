"""Split boxes that hold several touching letters."""
import numpy as np

from ..recognition.classify import lookalike_confidence, predict_proba
from ..recognition.crops import normalise_crops


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
    return pieces_between(ink, [0] + cut_columns(ink, n) + [x2 - x1], y1, x1)


def pieces_between(ink, edges, y1, x1):
    """Tight ink boxes between consecutive cut columns of a crop placed at ``(y1, x1)``."""
    pieces = [tight_box(ink[:, a:b], y1, x1 + a) for a, b in zip(edges[:-1], edges[1:]) if b > a]
    return np.array([p for p in pieces if p is not None], int).reshape(-1, 4)


def candidate_cuts(ink, width, merge=0.15):
    """Columns of local minima of the ink projection, thinned to one per ``merge * width``."""
    counts = np.convolve(ink.sum(axis=0).astype(float), np.ones(3) / 3, mode="same")
    inner = np.arange(1, len(counts) - 1)
    minima = inner[(counts[inner] <= counts[inner - 1]) & (counts[inner] <= counts[inner + 1])]
    cuts = []
    for c in minima[np.argsort(counts[minima], kind="stable")]:
        if all(abs(c - k) > merge * width for k in cuts):
            cuts.append(int(c))
    return sorted(cuts)


def classify_boxes(binary, boxes, classifier, angle=0.0):
    """Normalised rows ``(P, 1024)`` of ``boxes`` and their class probabilities ``(P, 36)``."""
    rows = normalise_crops(binary, boxes, angle)
    return rows, predict_proba(rows, classifier)


def segmentation_candidates(binary, box, width, low=0.35, high=1.7):
    """Cut positions of one wide box and the letter-sized pieces between them.

    Returns
    -------
    edges : list of int
        Candidate cut columns relative to the box (first 0, last its width).
    spans : list of (int, int)
        Index pairs into ``edges`` whose run is ``low``..``high`` typical widths
        wide and holds ink.
    boxes : (S, 4) int array
        Tight ink box of each span, in page coordinates.
    """
    y1, x1, y2, x2 = (int(v) for v in box)
    ink = np.asarray(binary)[y1:y2, x1:x2] < 0.5
    edges = [0] + candidate_cuts(ink, width) + [x2 - x1]
    spans = [(i, j) for i in range(len(edges)) for j in range(i + 1, len(edges))
             if low * width <= edges[j] - edges[i] <= high * width]
    found = [(span, tight_box(ink[:, edges[span[0]]:edges[span[1]]], y1, x1 + edges[span[0]])) for span in spans]
    found = [(span, b) for span, b in found if b is not None]
    return edges, [span for span, _ in found], np.array([b for _, b in found], int).reshape(-1, 4)


def choose_segmentation(edges, spans, probs):
    """Dynamic programming over cuts: the spans whose best classes have the largest summed log-probability.

    Parameters
    ----------
    edges, spans : from :func:`segmentation_candidates`
    probs : (S, 36) array
        Class probabilities of the spans' pieces.

    Returns
    -------
    chosen : list of int
        Indices into ``spans`` from left to right, or None when no chain of spans covers the box.
    """
    index = {span: n for n, span in enumerate(spans)}
    score = np.log(np.asarray(probs).max(axis=1) + 1e-12)
    best = {0: (0.0, None)}
    for j in range(1, len(edges)):
        options = [(best[i][0] + score[index[(i, j)]], i) for i in range(j) if i in best and (i, j) in index]
        if options:
            best[j] = max(options)
    end = len(edges) - 1
    if end not in best:
        return None
    chosen, j = [], end
    while best[j][1] is not None:
        i = best[j][1]
        chosen.append(index[(i, j)])
        j = i
    return chosen[::-1]


class CropCache:
    """Normalised rows and probabilities of boxes, each box normalised and classified once.

    Boxes are gathered with :meth:`add` and classified in one batch by :meth:`run`;
    a box already known (e.g. the page's own letter boxes) is not classified again.
    """

    def __init__(self, binary, classifier, angle=0.0, boxes=None, rows=None, probs=None):
        self.binary, self.classifier, self.angle = binary, classifier, angle
        self.known = {}
        if boxes is not None:
            for box, row, prob in zip(np.asarray(boxes, int).reshape(-1, 4), rows, probs):
                self.known[tuple(int(v) for v in box)] = (row, prob)
        self.pending = []

    def add(self, boxes):
        for box in np.asarray(boxes, int).reshape(-1, 4):
            key = tuple(int(v) for v in box)
            if key not in self.known and key not in self.pending:
                self.pending.append(key)

    def run(self):
        if self.pending:
            rows, probs = classify_boxes(self.binary, np.array(self.pending, int), self.classifier, self.angle)
            self.known.update({key: (row, prob) for key, row, prob in zip(self.pending, rows, probs)})
            self.pending = []

    def get(self, boxes):
        """``(rows, probs)`` of ``boxes`` (all added and run before)."""
        pairs = [self.known[tuple(int(v) for v in box)] for box in np.asarray(boxes, int).reshape(-1, 4)]
        return np.array([r for r, _ in pairs]).reshape(-1, 1024), np.array([p for _, p in pairs]).reshape(len(pairs), -1)


def split_touching(binary, boxes, rows, probs, classifier, angle=0.0, min_ratio=1.3, sure_ratio=2.2,
                   sure_confidence=0.9):
    """Split boxes holding touching letters.

    A box more than ``sure_ratio`` typical letter widths wide is always split;
    one between ``min_ratio`` and ``sure_ratio`` only when every piece reads
    more confidently than the whole, the whole's confidence counting
    letter/digit twins together (a wide 0 that is surely O-or-0 is not cut:
    :func:`~ocr.recognition.classify.lookalike_confidence`), and it is not searched at
    all when the whole reads at ``sure_confidence`` or more: a wide M, W or N
    reads at 0.93-0.99, and on the dev, sample and generated pages (69
    pages, touching letters on 20) one of the 129 boxes read at 0.8 or more
    was split (at 0.906, on a touching page that the default ``auto``
    reading reads the same without it, the glyph engine alone at 38%
    instead of 33% CER), 44 of the 50 read under 0.8. The candidate pieces
    of all searched boxes are classified together, in at most two batches.

    Parameters
    ----------
    binary : (H, W) array, 0 = ink
    boxes : (K, 4) int array
    rows, probs : (K, 1024) normalised crops of ``boxes`` and their (K, 36) class probabilities
    classifier : object with ``predict_proba``
    angle : float
        Page skew in degrees, passed to the normaliser.
    min_ratio, sure_ratio : float
        Box widths, in the page's typical letter widths (:func:`typical_width`),
        from which a box may hold touching letters, and from which it surely does.
    sure_confidence : float
        A box under ``sure_ratio`` read as one letter at least this surely is left whole.

    Returns
    -------
    boxes, rows, probs : arrays with every accepted split replaced by its pieces
    """
    boxes = np.asarray(boxes, int).reshape(-1, 4)
    if len(boxes) == 0:
        return boxes, rows, probs
    width = typical_width(boxes)
    widths = boxes[:, 3] - boxes[:, 1]
    heights = boxes[:, 2] - boxes[:, 0]
    whole_confidence = lookalike_confidence(probs)
    sure_whole = (widths <= sure_ratio * width) & (whole_confidence >= sure_confidence)
    wide = np.flatnonzero((widths > min_ratio * width) & (widths > 0.9 * heights) & ~sure_whole)
    if len(wide) == 0:
        return boxes, rows, probs
    cache = CropCache(binary, classifier, angle, boxes, rows, probs)
    candidates = {k: segmentation_candidates(binary, boxes[k], width) for k in wide}
    for _, _, found in candidates.values():
        cache.add(found)
    cache.run()
    pieces = {}
    for k, (edges, spans, found) in candidates.items():
        chosen = choose_segmentation(edges, spans, cache.get(found)[1]) if spans else None
        pieces[k] = found[chosen] if chosen is not None and len(chosen) >= 2 else segment_box(binary, boxes[k], width)
        cache.add(pieces[k])
    cache.run()
    replace = {}
    for k, found in pieces.items():
        if len(found) < 2:
            continue
        split_rows, split_probs = cache.get(found)
        if widths[k] > sure_ratio * width or split_probs.max(axis=1).min() > whole_confidence[k]:
            replace[k] = (found, split_rows, split_probs)
    if not replace:
        return boxes, rows, probs
    parts = [replace.get(k, (boxes[k:k + 1], rows[k:k + 1], probs[k:k + 1])) for k in range(len(boxes))]
    return tuple(np.concatenate(column) for column in zip(*parts))
