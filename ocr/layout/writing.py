"""Only the writing: each laid-out line and each small mark kept only when a learnt decision says it is writing.

What the front end finds on a photo is not all writing: a torn pad's edge and
punch holes, spiral rings, pieces of faint rules, creases, a shadow's edge,
specks, a hand or the scene behind a held-up sheet. They become lines of
``1``, ``I``, ``L``, ``F``. Each candidate line is described by a few numbers
measured against the page's own writing (:func:`line_features`: ink contrast,
stroke thickness and letter height relative to the page's confidently read
letters, how sure and how varied its readings are, how straight and regular
its shapes are, whether it lies on the smooth sheet), and a logistic model
learnt from synthetic pages full of such non-writing and from the writing of
the dev pages (``python cli.py train writing``, :mod:`training.writing_model`)
decides. Small marks (punctuation candidates) get their own model on the same
kind of numbers (:func:`mark_features`). The model ships as
``ocr/models/writing.npz``; its forward is a dot product here.
"""
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np
from scipy import ndimage as ndi

from ..recognition.classify import lookalike_confidence
from ..recognition.glyph import CLASSES

WRITING_MODEL = Path(str(files("ocr") / "models")) / "writing.npz"

STICKS = frozenset("I1LJT7F")
"""Labels that a straight piece of anything reads as."""

LINE_FEATURES = ("log_boxes", "mean_conf", "stick_share", "label_variety", "peak", "height", "thickness",
                 "elongation", "fill", "on_sheet", "height_spread", "width_spread", "aspect", "blob", "gap_spread",
                 "conf_vs_best", "likeness")
MARK_FEATURES = ("peak", "size", "thickness", "elongation", "fill", "on_sheet", "line_distance", "aspect")


@dataclass
class BoxStats:
    """Per-box measurements of ink inside each box.

    Attributes
    ----------
    peak : (K,) darkest ink contrast
    thickness : (K,) ink area over its skeleton length (mean stroke width), px
    elongation : (K,) square root of the ink's minor over major second moment (0 for a straight line)
    fill : (K,) ink share of the box
    on_sheet : (K,) share of the box on the sheet's smooth paper (1 without a held sheet)
    blob : (K,) radius of the largest disc in the ink, px
    """

    peak: np.ndarray
    thickness: np.ndarray
    elongation: np.ndarray
    fill: np.ndarray
    on_sheet: np.ndarray
    blob: np.ndarray


def box_stats(boxes, ink, contrast=None, sheet=None):
    """:class:`BoxStats` of ``boxes`` on a page's ``ink`` (with its ``contrast`` and held ``sheet`` when known)."""
    from skimage.morphology import skeletonize

    boxes = np.asarray(boxes, int).reshape(-1, 4)
    n = len(boxes)
    out = {k: np.zeros(n) for k in ("peak", "thickness", "elongation", "fill", "on_sheet", "blob")}
    for k, (y1, x1, y2, x2) in enumerate(boxes):
        y1, x1 = max(y1, 0), max(x1, 0)
        inside = ink[y1:y2, x1:x2]
        area = inside.size
        out["on_sheet"][k] = 1.0 if sheet is None or area == 0 else float(sheet[y1:y2, x1:x2].mean())
        if not inside.any():
            continue
        count = int(np.count_nonzero(inside))
        out["fill"][k] = count / area
        out["peak"][k] = float(contrast[y1:y2, x1:x2][inside].max()) if contrast is not None else 1.0
        out["thickness"][k] = count / max(1, int(np.count_nonzero(skeletonize(inside))))
        out["blob"][k] = float(ndi.distance_transform_edt(np.pad(inside, 1)).max())
        ys, xs = np.nonzero(inside)
        if count > 2:
            cov = np.cov(np.stack([ys, xs]).astype(float))
            low, high = np.linalg.eigvalsh(cov)
            out["elongation"][k] = float(np.sqrt(max(low, 0) / max(high, 1e-9)))
    return BoxStats(**out)


def _weighted_median(values, weights):
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    if cum[-1] <= 0:
        return float(np.median(values))
    return float(values[order][np.searchsorted(cum, 0.5 * cum[-1])])


def _spread(values):
    values = np.asarray(values, float)
    return float(np.std(values) / max(np.mean(values), 1e-9)) if len(values) > 1 else 0.0


def _log_ratio(value, reference):
    return float(np.log(max(value, 1e-6) / max(reference, 1e-6)))


def page_references(boxes, probs, stats):
    """The page's writing as its confidently read letters show it: weighted medians of peak, height, thickness.

    Each box weighs by its confidence squared, so a few surely read letters
    outweigh many pieces of rules or scene that read as nothing in particular.
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    weight = lookalike_confidence(probs) ** 2 if probs is not None and len(probs) else np.ones(len(boxes))
    heights = boxes[:, 2] - boxes[:, 0]
    return {"peak": _weighted_median(stats.peak, weight), "height": _weighted_median(heights, weight),
            "thickness": _weighted_median(stats.thickness, weight)}


def likeness(rows):
    """Mean correlation of neighbouring normalised crops: spiral rings, punch holes and rule pieces repeat one
    shape, writing rarely does (0 for fewer than two crops)."""
    rows = np.asarray(rows, float).reshape(len(rows), -1)
    if len(rows) < 2:
        return 0.0
    centred = rows - rows.mean(axis=1, keepdims=True)
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)
    return float(np.mean(np.sum(centred[1:] * centred[:-1], axis=1)))


def line_features(structure, boxes, probs, stats, stroke, rows=None):
    """One row of :data:`LINE_FEATURES` per line of ``structure`` (lists of words of box indices).

    Parameters
    ----------
    structure : list of lines of words of box indices
    boxes : (K, 4) array
    probs : (K, 36) array
        The glyph classifier's probabilities of each box.
    stats : BoxStats
    stroke : float
        The page's stroke width in px.
    rows : (K, 1024) array, optional
        Each box's normalised crop (for ``likeness``; 0 without them).

    Returns
    -------
    (L, len(LINE_FEATURES)) float array
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    rows = None if rows is None else np.asarray(rows, float).reshape(len(boxes), -1)
    conf = lookalike_confidence(probs)
    labels = np.array([CLASSES[i] for i in np.argmax(probs, axis=1)]) if len(probs) else np.array([])
    ref = page_references(boxes, probs, stats)
    members = [[i for word in line for i in word] for line in structure]
    line_conf = [float(np.mean(conf[m])) if m else 0.0 for m in members]
    best = max(line_conf) if line_conf else 1.0
    out = []
    for m, mean_conf in zip(members, line_conf):
        if not m:
            out.append(np.zeros(len(LINE_FEATURES)))
            continue
        b = boxes[m]
        h, w = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
        order = np.argsort(b[:, 1])
        gaps = b[order[1:], 1] - b[order[:-1], 3]
        out.append(np.array([
            np.log(len(m)), mean_conf,
            float(np.mean([lab in STICKS for lab in labels[m]])), len(set(labels[m])) / len(m),
            _log_ratio(np.median(stats.peak[m]), ref["peak"]),
            _log_ratio(np.median(h), ref["height"]),
            _log_ratio(np.median(stats.thickness[m]), ref["thickness"]),
            float(np.median(stats.elongation[m])), float(np.median(stats.fill[m])), float(np.mean(stats.on_sheet[m])),
            _spread(h), _spread(w), float(np.median(np.log(np.maximum(w, 1) / np.maximum(h, 1)))),
            float(np.log1p(stats.blob[m].max() / max(stroke, 1e-6))),
            _spread(gaps + np.median(w)) if len(m) > 2 else 0.0,
            mean_conf - best, likeness(rows[[m[i] for i in order]]) if rows is not None else 0.0,
        ]))
    return np.array(out, float).reshape(-1, len(LINE_FEATURES))


def mark_features(marks, mark_stats, boxes, probs, stats):
    """One row of :data:`MARK_FEATURES` per small mark, against the page's letters.

    ``line_distance`` is the vertical distance from the mark's centre to the
    nearest letter box, in reference letter heights (punctuation sits on or
    beside a line of writing).
    """
    marks = np.asarray(marks, float).reshape(-1, 4)
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    ref = page_references(boxes, probs, stats)
    rows = []
    for k, (y1, x1, y2, x2) in enumerate(marks):
        cy = (y1 + y2) / 2
        dy = np.maximum(np.maximum(boxes[:, 0] - cy, cy - boxes[:, 2]), 0)
        rows.append([
            _log_ratio(mark_stats.peak[k], ref["peak"]), _log_ratio(max(y2 - y1, x2 - x1), ref["height"]),
            _log_ratio(mark_stats.thickness[k], ref["thickness"]), mark_stats.elongation[k], mark_stats.fill[k],
            mark_stats.on_sheet[k], float(dy.min() / max(ref["height"], 1)) if len(boxes) else 10.0,
            float(np.log(max(x2 - x1, 1) / max(y2 - y1, 1))),
        ])
    return np.array(rows, float).reshape(-1, len(MARK_FEATURES))


def probe_rows():
    """Three fixed 32x32 crops (a bar, a ring, a cross) as dataset rows: a classifier's readings of them name it."""
    from ..recognition.glyph import images_to_rows

    yy, xx = np.mgrid[0:32, 0:32]
    bar = np.abs(xx - 16) < 2
    ring = np.abs(np.hypot(yy - 16, xx - 16) - 10) < 2
    cross = (np.abs(yy - xx) < 2) | (np.abs(yy + xx - 31) < 2)
    return images_to_rows(1.0 - np.stack([bar, ring, cross]).astype(np.float64))


def classifier_probe(classifier):
    """The classifier's probabilities of :func:`probe_rows` (3, 36)."""
    from ..recognition.classify import predict_proba

    return np.asarray(predict_proba(probe_rows(), classifier), float)


class WritingModel:
    """Two logistic models (lines, marks) over standardised features: ``P(writing)``.

    Its features hold the glyph classifier's confidences, so the decision is
    learnt for one classifier: the one whose readings of :func:`probe_rows`
    the file records (``probe``).

    Attributes
    ----------
    line, mark : dict with ``mean``, ``scale``, ``weights``, ``bias``
    threshold : float
        A candidate is writing when its probability is at least this.
    probe : (3, 36) array or None
        The classifier's readings of the probe crops.
    """

    def __init__(self, arrays):
        self.line = {k: np.asarray(arrays[f"line_{k}"], float) for k in ("mean", "scale", "weights", "bias")}
        self.mark = {k: np.asarray(arrays[f"mark_{k}"], float) for k in ("mean", "scale", "weights", "bias")}
        self.threshold = float(arrays["threshold"])
        self.probe = np.asarray(arrays["probe"], float) if "probe" in arrays else None
        names = tuple(str(s) for s in arrays["line_features"]), tuple(str(s) for s in arrays["mark_features"])
        if names != (LINE_FEATURES, MARK_FEATURES):
            raise ValueError("writing model: its features are not the reader's")

    @staticmethod
    def _probability(part, x):
        z = ((np.asarray(x, float) - part["mean"]) / part["scale"]) @ part["weights"] + part["bias"]
        return 1 / (1 + np.exp(-np.clip(z, -50, 50)))

    def judges(self, classifier):
        """Whether this model was learnt on ``classifier``'s confidences (its probe readings agree to 1e-4)."""
        if self.probe is None or classifier is None:
            return False
        reading = classifier_probe(classifier)
        return reading.shape == self.probe.shape and bool(np.allclose(reading, self.probe, atol=1e-4))

    def line_probability(self, features):
        """(L,) P(writing) of lines."""
        return self._probability(self.line, features)

    def mark_probability(self, features):
        """(M,) P(writing) of marks."""
        return self._probability(self.mark, features)


@lru_cache(maxsize=4)
def load_writing_model(path=WRITING_MODEL):
    """The shipped writing/non-writing model (or one at ``path``); None when the file is missing."""
    path = Path(path)
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as arrays:
        return WritingModel(dict(arrays))


def keep_writing(found, glyphs, page_layout, model=None, classifier=None):
    """``page_layout`` without the lines and marks that the writing model says are not writing.

    Parameters
    ----------
    found : ocr.frontend.letters.Located
        The upright page (ink, contrast, stroke, held sheet).
    glyphs : ocr.layout.glyphs.Glyphs
        Classified (``probs``); unclassified glyphs are kept as they are.
    page_layout : ocr.layout.page_layout.PageLayout
    model : WritingModel, optional
        The shipped model by default; without one the layout is unchanged.
    classifier : object with ``predict_proba``
        The glyph classifier that read ``glyphs``: the layout is unchanged
        unless the model was learnt on it (:meth:`WritingModel.judges`; the
        shipped model on the shipped CNN).

    Returns
    -------
    PageLayout
        ``lines`` holding only the lines judged writing, ``marks`` only the
        marks judged writing (none when no line is).
    """
    from .page_layout import PageLayout

    model = load_writing_model() if model is None else model
    if model is None or glyphs.probs is None or not page_layout.lines or not model.judges(classifier):
        return page_layout
    stats = box_stats(glyphs.boxes, found.ink, found.contrast, found.sheet)
    p_line = model.line_probability(line_features(page_layout.lines, glyphs.boxes, glyphs.probs, stats, found.stroke,
                                                  glyphs.rows))
    keep = p_line >= model.threshold
    lines = [line for line, k in zip(page_layout.lines, keep) if k]
    marks = np.asarray(page_layout.marks, int).reshape(-1, 4)
    if len(marks) and lines:
        kept = [i for line in lines for word in line for i in word]
        mark_stats = box_stats(marks, found.ink, found.contrast, found.sheet)
        sub = BoxStats(*(getattr(stats, f)[kept] for f in BoxStats.__dataclass_fields__))
        p_mark = model.mark_probability(mark_features(marks, mark_stats, glyphs.boxes[kept], glyphs.probs[kept], sub))
        marks = marks[p_mark >= model.threshold]
    return PageLayout(lines, marks if lines else np.zeros((0, 4), int))
