"""Read each text line found by layout with the CTC line recogniser, without cutting letters.

A line's ink is sampled from the binary page along the skew direction (so the
line comes out level), scaled to the recogniser's strip (see
:mod:`ocr.recognition.line_image`), decoded greedily, each word made all letters or
all digits (:func:`ocr.recognition.classify.ctc_word_context`; capitals' models), optionally corrected with a
lexicon, and every character gets a confidence and an approximate page box
from the frames the CTC alignment emitted it on.
"""
import numpy as np
from scipy import ndimage as ndi

from ..layout.lines import box_centres
from .classify import ctc_word_context
from .ctc import greedy_decode
from .lexicon import correct_ctc_line, is_cased
from .line_image import (
    FRAME_STEP,
    LETTER_HEIGHT,
    LINE_HEIGHT,
    SPREAD_HEIGHT,
    ink_spread,
    line_input,
    shrink_strip,
    spread_input,
    strip_width,
)

CROP_MARGIN = 0.4
HALF_WIDTH = 0.45
BAND_FRACTION = 0.3
BAND_LIMITS = (0.75, 1.05)
SPREAD_REACH = 3.0
"""A line framed by its ink's spread is cropped this many tall-letter heights high (the 80th percentile of its
box heights), centred on its boxes, before :func:`ocr.recognition.line_image.spread_input` finds its middle."""
TALL_QUANTILE = 80
EXTEND_GAP = 0.5
"""... and its crop is widened over ink in its band that lies within this many tall-letter heights of its ends
(a tall letter the letter filters left out, :func:`extend_ends`)."""
EXTEND_BAND = 2.0
"""The band: the crop's median ink row plus or minus this many median row deviations."""
EXTEND_MIN_BOXES = 3
"""Only a line of at least this many boxes is widened (not a stray shape, whose band may be another line's)."""


def line_frame(boxes, angle, margin=CROP_MARGIN, reach=None):
    """Geometry of a level crop around one line's boxes.

    Parameters
    ----------
    boxes : (K, 4) array
        The line's letter boxes ``[y1, x1, y2, x2]``.
    angle : float
        Skew in degrees (``ocr.layout.lines.estimate_skew`` convention).
    margin : float
        Space kept before the first and after the last box, in letter heights.
    reach : float, optional
        Crop rows in tall-letter heights (``TALL_QUANTILE`` percentile of the
        box heights); by default ``LINE_HEIGHT / LETTER_HEIGHT`` median box heights.

    Returns
    -------
    origin : (2,) array
        Page ``(y, x)`` of the crop's top-left pixel.
    along, across : (2,) arrays
        Page ``(y, x)`` steps of one crop column and one crop row.
    shape : (int, int)
        Crop rows (``LINE_HEIGHT / LETTER_HEIGHT`` letter heights) and columns.
    letter_height : float
        Median box height.
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    t = np.deg2rad(angle)
    along, across = np.array([np.sin(t), np.cos(t)]), np.array([np.cos(t), -np.sin(t)])
    centres = box_centres(boxes)
    height = float(np.median(boxes[:, 2] - boxes[:, 0]))
    half_w = (boxes[:, 3] - boxes[:, 1]) / 2
    a = centres @ along
    c0 = float(np.median(centres @ across))
    if reach is None:
        rows = int(np.ceil(height * LINE_HEIGHT / LETTER_HEIGHT))
    else:
        rows = int(np.ceil(reach * np.percentile(boxes[:, 2] - boxes[:, 0], TALL_QUANTILE)))
    a0 = float(np.min(a - half_w)) - margin * height
    cols = int(np.ceil(np.max(a + half_w) + margin * height - a0))
    origin = a0 * along + (c0 - rows / 2) * across
    return origin, along, across, (rows, max(cols, 1)), height


def band_height(ink, box_height, fraction=BAND_FRACTION, limits=BAND_LIMITS):
    """Letter height of a level line crop from its ink rows.

    The rows holding at least ``fraction`` of the busiest row's ink span the
    capitals' band; unlike box heights it is not inflated by touching letters
    on different baselines. Clipped to ``limits`` times the median box height.
    """
    counts = np.asarray(ink).sum(axis=1)
    if counts.max() == 0:
        return float(box_height)
    band = np.flatnonzero(counts >= fraction * counts.max())
    return float(np.clip(band[-1] - band[0] + 1, limits[0] * box_height, limits[1] * box_height))


def sample_crop(binary, origin, along, across, shape):
    """Boolean ink ``shape`` sampled from a binary page (0 ink / 1 paper) on the crop grid."""
    r, q = np.mgrid[0: shape[0], 0: shape[1]].astype(np.float32)
    ys = origin[0] + q * along[0] + r * across[0]
    xs = origin[1] + q * along[1] + r * across[1]
    paper = ndi.map_coordinates(np.asarray(binary, np.float32), [ys, xs], order=1, cval=1.0)
    return paper < 0.5


def char_boxes(decoded, strip, scale, top, origin, along, across, half_width=HALF_WIDTH, letter_height=LETTER_HEIGHT):
    """Approximate page boxes ``(len(text), 4)`` of decoded characters (spaces get empty boxes).

    Each character spans from its CTC run's centre half-way to its neighbours'
    centres (at most ``half_width`` strip letter heights each side) and its ink
    rows in that span.
    """
    n = len(decoded.text)
    centres = (decoded.frames.mean(axis=1) + 0.5) * FRAME_STEP if n else np.zeros(0)
    cap = half_width * letter_height
    boxes = np.zeros((n, 4), int)
    for i in range(n):
        if decoded.text[i] == " ":
            continue
        left = max(centres[i] - cap, (centres[i - 1] + centres[i]) / 2 if i > 0 else -np.inf, 0)
        right = min(centres[i] + cap, (centres[i] + centres[i + 1]) / 2 if i + 1 < n else np.inf, strip.shape[1])
        ink_rows = np.flatnonzero(strip[:, int(left): max(int(np.ceil(right)), int(left) + 1)].any(axis=1))
        y1, y2 = (ink_rows[0], ink_rows[-1] + 1) if ink_rows.size else (0, strip.shape[0])
        corners = np.array([[y1, left], [y1, right], [y2, left], [y2, right]], float)
        corners[:, 0] += top
        corners /= scale
        page = origin + corners[:, 1:2] * along + corners[:, 0:1] * across
        boxes[i] = [np.floor(page[:, 0].min()), np.floor(page[:, 1].min()),
                    np.ceil(page[:, 0].max()), np.ceil(page[:, 1].max())]
    return boxes


def read_lines(binary, boxes, structure, angle, recogniser, lexicon=None, wanted=None):
    """Read every line of ``structure`` with the line recogniser.

    Parameters
    ----------
    binary : (H, W) array
        0 = ink, 1 = paper (as from ``find_letters``).
    boxes : (K, 4) array
        Letter boxes of the page.
    structure : list of lines of words of box indices
        As from ``ocr.layout.lines.layout``; only the grouping into lines is used.
    angle : float
        Page skew in degrees.
    recogniser : ocr.recognition.numpy_line.NumpyLineRecogniser
    lexicon : ocr.recognition.lexicon.Lexicon, optional
    wanted : sequence of bool, optional
        Per line of ``structure``: read it? An unwanted line is left empty. It
        still takes its place in the recogniser's batch as a blank strip of its
        own width, so every wanted line reads exactly as when all are read
        (a batch is padded to its widest strip).

    Returns
    -------
    lines : list of lists of words, each word a list of ``(box, label, confidence)``
        One entry per line of ``structure`` (empty when nothing was read or the line was not wanted).
    """
    boxes = np.asarray(boxes).reshape(-1, 4)
    wanted = [True] * len(structure) if wanted is None else list(wanted)
    spread = getattr(recogniser, "framing", "band") == "spread"
    frames, strips = [], []
    for line, want in zip(structure, wanted):
        idx = [i for word in line for i in word]
        if spread:
            alone = without_other_lines(binary, boxes, idx) if want else binary
            strip, scale, top, origin, along, across = spread_strip(alone, boxes[idx], angle, recogniser.spread,
                                                                    recogniser.strip_scale, blank=not want)
        else:
            origin, along, across, shape, height = line_frame(boxes[idx], angle)
            ink = sample_crop(binary, origin, along, across, shape)
            letter_height = band_height(ink, height)
            if want:
                strip, scale, top = line_input(ink, letter_height)
            else:
                strip, scale, top = np.zeros((LINE_HEIGHT, strip_width(shape[1], letter_height)), np.float32), 1.0, 0
        frames.append((origin, along, across, scale, top))
        strips.append(strip)
    posteriors = recogniser.posteriors(strips) if any(wanted) else [None] * len(strips)
    out = []
    for want, strip, probs, (origin, along, across, scale, top) in zip(wanted, strips, posteriors, frames):
        if not want:
            out.append([])
            continue
        decoded = greedy_decode(probs, recogniser.alphabet)
        if not is_cased(recogniser.alphabet):
            decoded = ctc_word_context(decoded, probs, recogniser.alphabet)
        decoded = correct_ctc_line(decoded, probs, recogniser.alphabet, lexicon)
        cboxes = char_boxes(decoded, strip, scale, top, origin, along, across,
                            letter_height=4 * recogniser.spread * recogniser.strip_scale if spread else LETTER_HEIGHT)
        words, current = [], []
        for ch, box, conf in zip(decoded.text, cboxes, decoded.confidence):
            if ch == " ":
                if current:
                    words.append(current)
                current = []
                continue
            current.append(([int(v) for v in box], ch, float(conf)))
        if current:
            words.append(current)
        out.append(words)
    return out


def without_other_lines(binary, boxes, line):
    """``binary`` with the letter boxes of every other line cleared to paper, the line's own boxes kept.

    A line's spread frame reaches three letter heights either side: on a page
    of close lines it would hold the lines above and below, whose ink would
    set its spread (the letters shrink) and be read.

    Parameters
    ----------
    binary : (H, W) array
        0 = ink, 1 = paper.
    boxes : (K, 4) array
        Every letter box of the page.
    line : sequence of int
        Indices of the line's boxes.

    Returns
    -------
    (H, W) array
        A copy when any box was cleared.
    """
    boxes = np.asarray(boxes).reshape(-1, 4).astype(int)
    others = np.setdiff1d(np.arange(len(boxes)), np.asarray(line, int))
    if not len(others):
        return binary
    out = binary.copy()
    for t, l, b, r in boxes[others]:
        out[max(t, 0):max(b, 0), max(l, 0):max(r, 0)] = 1
    for t, l, b, r in boxes[np.asarray(line, int)]:
        out[max(t, 0):max(b, 0), max(l, 0):max(r, 0)] = binary[max(t, 0):max(b, 0), max(l, 0):max(r, 0)]
    return out


def spread_strip(binary, boxes, angle, spread, factor=1.0, height=SPREAD_HEIGHT, blank=False):
    """A line's strip framed by the spread of its ink (:func:`ocr.recognition.line_image.spread_input`).

    Parameters
    ----------
    binary : (H, W) array
        0 = ink, 1 = paper.
    boxes : (K, 4) array
        The line's letter boxes.
    angle : float
        Skew in degrees.
    spread : float
        The ink spread of the strip before shrinking.
    factor : float
        The recogniser's ``strip_scale``: the strip is shrunk by it
        (:func:`ocr.recognition.line_image.shrink_strip`).
    height : int
        Strip rows before shrinking.
    blank : bool
        Give an empty strip of the line's width (a line left out of a batch).

    Returns
    -------
    strip : (round(height factor), W) float32 array
    scale, top : float, int
        As :func:`~ocr.recognition.line_image.spread_input` gives them.
    origin, along, across : (2,) arrays
        The crop's geometry on the page (:func:`line_frame`).
    """
    origin, along, across, shape, _ = line_frame(boxes, angle, reach=SPREAD_REACH)
    if len(boxes) >= EXTEND_MIN_BOXES:
        origin, shape = extend_ends(binary, boxes, origin, along, across, shape)
    ink = sample_crop(binary, origin, along, across, shape)
    if not blank:
        strip, scale, top = spread_input(ink, spread, height)
        return shrink_strip(strip, factor), scale * factor, top * factor, origin, along, across
    scale = spread / ink_spread(ink)[1] * factor
    rows = max(1, int(round(height * factor)))
    return np.zeros((rows, max(8, int(round(shape[1] * scale)))), np.float32), scale, 0, origin, along, across


def extend_ends(binary, boxes, origin, along, across, shape, gap=EXTEND_GAP, band=EXTEND_BAND):
    """A line crop widened over the ink in its band just beyond its first and last boxes.

    The letter filters leave out a tall thin letter (an ``l``, ``H``, ``I``
    of mixed-case print stands far above the x-height that sets the page's
    letter height) and letters joined into one wide shape; at a line's ends
    that would cut them off its strip. Ink in the line's band (its median ink
    row plus or minus ``band`` median deviations) is followed outwards across
    gaps of at most ``gap`` tall-letter heights.

    Parameters
    ----------
    binary : (H, W) array
        0 = ink, 1 = paper.
    boxes : (K, 4) array
        The line's boxes.
    origin, along, across, shape
        The crop (:func:`line_frame`).
    gap, band : float

    Returns
    -------
    origin : (2,) array
    shape : (int, int)
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    tall = float(np.percentile(boxes[:, 2] - boxes[:, 0], TALL_QUANTILE))
    rows, cols = shape
    reach = int(np.ceil(4 * tall))
    wide = sample_crop(binary, origin - reach * along, along, across, (rows, cols + 2 * reach))
    centre, deviation = ink_spread(wide[:, reach: reach + cols])
    lo, hi = int(max(0, centre - band * deviation)), int(np.ceil(centre + band * deviation)) + 1
    inked = np.flatnonzero(wide[lo:hi].any(axis=0))
    step = max(1, int(round(gap * tall)))
    left, right = reach, reach + cols - 1
    for start, direction in ((left, -1), (right, 1)):
        edge = start
        while True:
            near = inked[(inked * direction > edge * direction) & (np.abs(inked - edge) <= step)]
            if near.size == 0:
                break
            edge = int(near.min() if direction < 0 else near.max())
        if edge != start and direction < 0:
            left = max(0, edge - step // 2)
        elif edge != start:
            right = min(cols + 2 * reach - 1, edge + step // 2)
    return origin + (left - reach) * along, (rows, right - left + 1)
