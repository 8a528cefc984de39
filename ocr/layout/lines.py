"""Group character boxes into lines and words."""
import numpy as np
from scipy import ndimage as ndi

from ..params import DEFAULT


def box_centres(boxes):
    """Centres ``(K, 2)`` as ``(y, x)`` of ``[y1, x1, y2, x2]`` boxes."""
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    return np.stack([(boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2], axis=1)


def estimate_skew(boxes, max_deg=DEFAULT.max_tilt, step_deg=0.25):
    """Estimate the text-line angle from box centres.

    For each candidate angle the centres are projected onto the direction
    perpendicular to the lines; the angle whose projection density (a fine
    histogram smoothed over an eighth of the median box height) is most
    peaked wins.

    Returns
    -------
    angle : float
        Degrees; lines run along ``y = y0 + tan(angle) * x``.
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    if len(boxes) < 3:
        return 0.0
    centres = box_centres(boxes)
    height = np.median(boxes[:, 2] - boxes[:, 0])
    bin_size = max(height / 16, 1e-6)
    best, best_score = 0.0, -np.inf
    for deg in np.arange(-max_deg, max_deg + step_deg / 2, step_deg):
        t = np.deg2rad(deg)
        proj = centres[:, 0] * np.cos(t) - centres[:, 1] * np.sin(t)
        counts = np.bincount(((proj - proj.min()) / bin_size).astype(int)).astype(float)
        density = ndi.gaussian_filter1d(counts, sigma=2.0, mode="constant")
        score = np.sum(density ** 2) * (1 - 1e-3 * abs(deg))
        if score > best_score:
            best, best_score = deg, score
    return float(best)


def group_lines(boxes, angle=None, join=DEFAULT.line_join, bend=DEFAULT.line_bend):
    """Group boxes into text lines.

    Boxes are sorted along the direction across the lines (after removing the
    estimated skew); a new line starts where the vertical distance to the
    running line centre exceeds half the median box height. Each line is then
    sorted left to right.

    Parameters
    ----------
    boxes : (K, 4) array of ``[y1, x1, y2, x2]``
    angle : float, optional
        Skew in degrees; estimated when omitted.
    join : float
        A box joins a line within this many line heights of its centre.
    bend : float
        The line's centre follows its own drift by at most this many degrees
        of slope off ``angle`` (:func:`_line_centre_at`).

    Returns
    -------
    lines : list of lists of int
        Box indices, lines top-to-bottom, boxes left-to-right.
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    if len(boxes) == 0:
        return []
    if angle is None:
        angle = estimate_skew(boxes)
    t = np.deg2rad(angle)
    centres = box_centres(boxes)
    across = centres[:, 0] * np.cos(t) - centres[:, 1] * np.sin(t)
    along = centres[:, 0] * np.sin(t) + centres[:, 1] * np.cos(t)
    heights = boxes[:, 2] - boxes[:, 0]
    ref = float(np.median(heights))
    lines = []
    for i in np.argsort(across):
        if lines:
            members = lines[-1]
            line_h = max(np.median(heights[members]), ref)
            centre = _line_centre_at(along[i], across[members], along[members], line_h, bend)
            if abs(across[i] - centre) <= join * line_h:
                members.append(i)
                continue
        lines.append([i])
    lines = [sorted(m, key=lambda i: along[i]) for m in lines]
    lines.sort(key=lambda m: np.median(across[m]))
    return [[int(i) for i in m] for m in lines]


def _line_centre_at(x, across, along, height, bend):
    """Where a line's centre is at ``x`` along it: its members' median, or a fitted straight line.

    With at least three members spanning two line heights, a straight line
    through their centres (slope at most ``bend`` degrees off the page's skew)
    follows a line that drifts across the page (a hand's slope, a curled
    sheet); otherwise the members' median centre.
    """
    if len(across) < 3 or np.ptp(along) < 2 * height:
        return float(np.median(across))
    slope = np.polyfit(along, across, 1)[0]
    limit = np.tan(np.deg2rad(bend))
    slope = float(np.clip(slope, -limit, limit))
    return float(np.median(across - slope * along) + slope * x)


def line_gaps(boxes, line):
    """Gaps between consecutive boxes of a line over the line's median height.

    Narrow boxes (I, 1) are widened to 0.6 of the line's median letter height
    before measuring, so their side bearings do not look like word spaces.
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    if len(line) < 2:
        return np.zeros(0)
    sub = boxes[list(line)]
    height = max(float(np.median(sub[:, 2] - sub[:, 0])), 1e-6)
    centre = (sub[:, 1] + sub[:, 3]) / 2
    half = np.maximum(sub[:, 3] - sub[:, 1], 0.6 * height) / 2
    gaps = (centre - half)[1:] - np.maximum.accumulate(centre + half)[:-1]
    return gaps / height


def word_gap_threshold(gaps, min_ratio=DEFAULT.word_gap_ratio, floor=DEFAULT.word_gap_floor,
                       fallback=DEFAULT.word_gap_fallback):
    """Word-space threshold (in letter heights) from a set of gaps.

    The gaps are split in two with Otsu's method; the split is used only when
    the mean of the wide gaps is at least ``min_ratio`` times the mean of the
    narrow ones (letter and word spaces clearly differ), otherwise no gap
    separates words. With fewer than four gaps ``fallback`` is used.
    """
    gaps = np.clip(np.asarray(gaps, float), 0, None)
    if gaps.size < 4:
        return fallback
    order = np.sort(gaps)
    best, best_score = None, -np.inf
    for k in range(1, len(order)):
        low, high = order[:k], order[k:]
        score = k * (len(order) - k) * (high.mean() - low.mean()) ** 2
        if score > best_score:
            best, best_score = k, score
    low, high = order[:best], order[best:]
    if high.mean() < min_ratio * max(low.mean(), 0.05):
        return np.inf
    return float(max((low.max() + high.min()) / 2, floor))


def split_words(boxes, line, threshold=1.0):
    """Split one line into words at gaps wider than ``threshold`` heights.

    Parameters
    ----------
    boxes : (K, 4) array
    line : list of int
        Box indices ordered left to right.
    threshold : float
        Word-space limit in units of the line's median letter height.

    Returns
    -------
    words : list of lists of int
    """
    if len(line) == 0:
        return []
    gaps = line_gaps(boxes, line)
    words, current = [], [line[0]]
    for gap, idx in zip(gaps, line[1:]):
        if gap > threshold:
            words.append(current)
            current = []
        current.append(idx)
    words.append(current)
    return words


def line_thresholds(boxes, lines, params=DEFAULT):
    """Word-space threshold of each line, in its own letter heights.

    A line with at least four gaps gets its own split of letter and word
    spaces (``word_gap_threshold``); shorter lines use the split of all the
    page's gaps.

    Returns
    -------
    thresholds : list of float, one per line
    """
    gaps = [line_gaps(boxes, line) for line in lines]
    every = np.concatenate(gaps) if gaps else np.zeros(0)
    options = dict(min_ratio=params.word_gap_ratio, floor=params.word_gap_floor)
    page = word_gap_threshold(every, fallback=params.word_gap_fallback, **options)
    return [word_gap_threshold(g, fallback=page, **options) if len(g) >= 4 else page for g in gaps]


def absorb_strays(boxes, lines, angle=0.0, max_boxes=DEFAULT.stray_max_boxes, overlap=DEFAULT.stray_overlap,
                  min_height=DEFAULT.stray_min_height, reach_heights=DEFAULT.stray_reach):
    """Lines of a few boxes that stand inside another line's band and extent, put back into that line.

    A descender (``g p q y j``) or a tall capital of mixed-case print sits
    lower or higher than its neighbours' centres and may start a line of its
    own; it still lies across its line's rows, and between its line's first
    and last letters or within ``reach_heights`` letter heights of them.
    Separate lines of writing never do.

    Parameters
    ----------
    boxes : (K, 4) array
    lines : list of lists of int
        Box indices, lines top to bottom, boxes left to right (:func:`group_lines`).
    angle : float
        Skew in degrees.
    max_boxes : int
        Only lines of at most this many boxes are put into another.
    overlap : float
        Share of such a line's height that must lie within the other line's rows.
    min_height : float
        Its boxes are at least this many of the other line's median box
        heights tall (a letter; a big comma hanging from its line is not,
        :func:`ocr.layout.punctuation.hanging_marks`).
    reach_heights : float
        How far beyond the other line's ends, in its median box heights.

    Returns
    -------
    list of lists of int
    """
    boxes = np.asarray(boxes, float).reshape(-1, 4)
    if len(lines) < 2:
        return lines
    t = np.deg2rad(angle)
    centres = box_centres(boxes)
    across = centres[:, 0] * np.cos(t) - centres[:, 1] * np.sin(t)
    along = centres[:, 0] * np.sin(t) + centres[:, 1] * np.cos(t)
    half_h, half_w = (boxes[:, 2] - boxes[:, 0]) / 2, (boxes[:, 3] - boxes[:, 1]) / 2
    lines = [list(m) for m in lines]
    for k in sorted(range(len(lines)), key=lambda k: len(lines[k])):
        stray = lines[k]
        if not stray or len(stray) > max_boxes:
            continue
        top, bottom = np.min(across[stray] - half_h[stray]), np.max(across[stray] + half_h[stray])
        best, best_share = None, overlap
        for j, other in enumerate(lines):
            if j == k or len(other) <= len(stray) or np.min(half_h[stray]) < min_height * np.median(half_h[other]):
                continue
            reach = 2 * reach_heights * np.median(half_h[other])
            left, right = np.min(along[other] - half_w[other]) - reach, np.max(along[other] + half_w[other]) + reach
            if not np.all((along[stray] > left) & (along[stray] < right)):
                continue
            rows = (min(bottom, np.max(across[other] + half_h[other])) - max(top, np.min(across[other] - half_h[other])))
            share = rows / max(bottom - top, 1e-6)
            if share >= best_share:
                best, best_share = j, share
        if best is not None:
            lines[best] = sorted(lines[best] + stray, key=lambda i: along[i])
            lines[k] = []
    return [m for m in lines if m]


def layout(boxes, angle=None, params=DEFAULT):
    """Lines of words of box indices.

    Lines are grouped (:func:`group_lines`), a stray descender's line put
    back into its own (:func:`absorb_strays`), and each line's word spaces
    are found from its own gaps (see ``line_thresholds``), so tight and loose
    lines on one page both split.

    Returns
    -------
    lines : list of list of list of int
        ``lines[i][j]`` are the box indices of word ``j`` on line ``i``.
    """
    if angle is None:
        angle = estimate_skew(boxes, params.max_tilt)
    lines = group_lines(boxes, angle, params.line_join, params.line_bend)
    lines = absorb_strays(boxes, lines, angle, params.stray_max_boxes, params.stray_overlap, params.stray_min_height,
                          params.stray_reach)
    thresholds = line_thresholds(boxes, lines, params)
    return [split_words(boxes, line, t) for line, t in zip(lines, thresholds)]
