"""Remove ruled and grid lines from an ink mask without cutting the letters they cross."""
import numpy as np
from scipy import ndimage as ndi

from ..params import DEFAULT
from .strokes import true_runs


def rule_angle(ink, max_tilt=DEFAULT.rule_max_tilt, step=0.25):
    """Tilt in degrees of the page's longest straight horizontal ink runs.

    For each candidate angle the ink is sheared by it (``y + x tan(angle)``,
    rows of one pixel at every angle, as :func:`shear_columns` shears the page)
    and the angle whose row profile is most peaked (sum of squares) wins.
    (Projected on the rotated axis instead, rows at 45 degrees are 0.7 px
    apart, and the rounding piles the ink of any page into fewer rows there.)

    Parameters
    ----------
    ink : (H, W) bool array

    Returns
    -------
    angle : float
        Degrees, counter-clockwise as in ``skimage.transform.rotate``.
    """
    ys, xs = np.nonzero(ink[::2, ::2])
    if ys.size < 10:
        return 0.0
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)
    proj = np.empty_like(ys)
    best, best_score = 0.0, -1
    for deg in np.arange(-max_tilt, max_tilt + step / 2, step):
        np.multiply(xs, np.tan(np.deg2rad(deg)), out=proj)
        proj += ys
        np.rint(proj, out=proj)
        bins = proj.astype(np.intp)
        bins -= bins.min()
        counts = np.bincount(bins)
        score = int(np.dot(counts, counts))
        if score > best_score:
            best, best_score = float(deg), score
    return best


def _long_runs(ink, length, span, fill):
    """Rows of ``ink`` holding near-horizontal runs at least ``length`` long, spanning ``span`` of the width.

    The run search works row by row, so only the rows holding enough ink for
    one run are searched (half of it: the window reflects at the page's edges).
    """
    h, w = ink.shape
    length = int(max(3, length))
    thick = _dilate_rows(ink)
    rows = np.flatnonzero(np.count_nonzero(thick, axis=1) > fill * length / 2)
    mask = np.zeros_like(ink)
    if rows.size == 0:
        return mask
    full = ndi.uniform_filter1d(thick[rows].astype(np.float32), size=length, axis=1) > fill
    covered = np.zeros_like(ink)
    covered[rows] = ndi.maximum_filter1d(full, size=length, axis=1)
    for band in true_runs(covered.any(axis=1)):
        labels, _ = ndi.label(covered[band], structure=np.ones((3, 3)))
        labels[~(thick[band] & ink[band])] = 0
        out = mask[band]
        for k, sl in enumerate(ndi.find_objects(labels), start=1):
            if sl is not None and sl[1].stop - sl[1].start >= span * w:
                out[sl] |= labels[sl] == k
    return mask


def _dilate_rows(mask):
    """``mask`` or its row above or below (a 3-row vertical dilation)."""
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    return out


def _crossings(ink, rule, reach):
    """Rule pixels with other ink within ``reach`` px both above and below.

    Only the bands of rows within ``reach`` of a rule are searched.
    """
    reach = int(max(1, np.ceil(reach)))
    out = np.zeros_like(rule)
    for band in true_runs(ndi.maximum_filter1d(rule.any(axis=1), size=2 * reach + 3)):
        out[band] = _crossings_in(ink[band], rule[band], reach)
    return out


def _crossings_in(ink, rule, reach):
    rest = np.pad((ink & ~rule).astype(np.int32), ((1, 0), (0, 0))).cumsum(axis=0)
    h = ink.shape[0]
    rows = np.arange(h)
    above = rest[rows] - rest[np.maximum(rows - reach, 0)]
    below = rest[np.minimum(rows + reach + 1, h)] - rest[np.minimum(rows + 1, h)]
    return rule & (above > 0) & (below > 0)


def _thickness(rule):
    """Mean thickness in px of horizontal rules in a mask."""
    starts = np.count_nonzero(rule[1:] & ~rule[:-1]) + np.count_nonzero(rule[0])
    return np.count_nonzero(rule) / max(1, starts)


def _rules_horizontal(ink, loose, stroke, params):
    h, w = ink.shape
    length = max(params.rule_length * max(h, w), params.rule_min_strokes * stroke)
    rule = _long_runs(loose, length, params.rule_span, params.rule_fill)
    rule = _dilate_rows(rule) & ink
    if not rule.any():
        return rule
    reach = _thickness(rule) + params.rule_bridge_strokes * stroke
    return rule & ~_crossings(ink, rule, reach)


def shear_offsets(width, angle):
    """Row shift ``(width,)`` of each column that makes lines tilted by ``angle`` degrees horizontal."""
    shift = np.round(np.arange(width) * np.tan(np.deg2rad(angle))).astype(int)
    return shift - shift.min()


def shear_columns(mask, angle):
    """Shift each column vertically so lines tilted by ``angle`` degrees become horizontal.

    Returns
    -------
    sheared : (H + pad, W) bool array
    offsets : (W,) int array
        Row shift of each column (``sheared[y + offsets[x], x] = mask[y, x]``).
    """
    h, w = mask.shape
    offsets = shear_offsets(w, angle)
    sheared = np.zeros((h + int(offsets.max()), w), mask.dtype)
    for start, stop, offset in _runs(offsets):
        sheared[offset: offset + h, start:stop] = mask[:, start:stop]
    return sheared, offsets


def unshear_columns(sheared, offsets, h):
    """Inverse of ``shear_columns`` for an ``h``-row mask."""
    out = np.empty((h, sheared.shape[1]), sheared.dtype)
    for start, stop, offset in _runs(offsets):
        out[:, start:stop] = sheared[offset: offset + h, start:stop]
    return out


def _runs(offsets):
    """``(start, stop, offset)`` of each run of equal consecutive ``offsets``."""
    edges = np.flatnonzero(np.diff(offsets)) + 1
    starts = np.concatenate([[0], edges])
    stops = np.concatenate([edges, [len(offsets)]])
    return zip(starts.tolist(), stops.tolist(), offsets[starts].tolist())


def may_hold_rules(where, tilts, params=DEFAULT, min_band=16):
    """Per tilt: can the rule search at that tilt find a rule in ``where``?

    At tilt ``t`` the search shears the page and looks, along each row of the
    sheared, 3-row dilated mask, for a window of ``rule_length`` of the
    sheared page's longer side more than ``rule_fill`` full. The pixels under
    one window come from a band of at most ``k`` consecutive rows of the page
    (``k``: the shear's rise along the window plus 3), so the columns holding
    any ink in some band of ``2 k`` rows, taken every ``k`` rows, fill the
    same window (at the same column, edges reflected alike) at least as much.
    Where no band does, the search at that tilt finds nothing and is not
    run (False). Pages of writing, with gaps between letters and words, are
    not searched; a band crossed by a rule is full.

    Parameters
    ----------
    where : (H, W) bool array
        The mask the rules are searched in.
    tilts : sequence of float
        Degrees, as passed to :func:`shear_columns`.
    min_band : int
        Bands are at least this many rows apart (a wider band only holds more ink).

    Returns
    -------
    list of bool, one per tilt
    """
    h, w = where.shape
    windows = []
    for tilt in tilts:
        offsets = shear_offsets(w, tilt)
        length = int(max(3, params.rule_length * max(h + int(offsets.max()), w)))
        steps = min(length, w) - 1
        rise = int(np.abs(offsets[steps:] - offsets[:w - steps]).max())
        windows.append((length, rise + 3))
    band = max(min_band, max(rows for _, rows in windows))
    count = -(-h // band)
    padded = np.zeros((count * band, w), bool)
    padded[:h] = where
    chunks = padded.reshape(count, band, w).any(axis=1)
    bands = chunks.copy()
    bands[:-1] |= chunks[1:]
    columns = bands.astype(np.float32)
    return [bool((ndi.uniform_filter1d(columns, size=length, axis=1) > params.rule_fill).any())
            for length, _ in windows]


def remove_rules(ink, stroke, params=DEFAULT, loose=None, contrast=None):
    """Ink with ruled and grid lines removed, letters that cross them kept.

    The page is sheared by the tilt of its longest straight runs, runs of at
    least ``rule_length`` of the page that span ``rule_span`` of it are rules,
    and rule pixels with ink just above and below (within
    ``rule_bridge_strokes`` stroke widths past the rule) stay, so a rule
    through every letter leaves the letters whole. Vertical rules (margins,
    grids) are found the same way on the transposed page. A tilt at which no
    window can be full enough (:func:`may_hold_rules`) is not searched.

    Parameters
    ----------
    ink : (H, W) bool array
    stroke : float
        The page's stroke width in px.
    loose : (H, W) bool array, optional
        Where to look for the rules (a looser ink mask in which faint rules
        are continuous); ``ink`` by default.
    contrast : (H, W) float array, optional
        Ink darkness below the local paper. Rule pixels whose darkness,
        averaged over a ``stroke``-wide square, exceeds ``rule_pen_contrast``
        times the median over all rule pixels are pen strokes lying along a
        rule (the bar of an H, the foot of a U: darker and thicker than the
        rule) and stay.

    Returns
    -------
    ink : (H, W) bool array
    rules : (H, W) bool array
        The removed pixels.
    """
    ink = np.asarray(ink, bool)
    rules = np.zeros_like(ink)
    if not ink.any():
        return ink, rules
    loose = ink if loose is None else np.asarray(loose, bool) | ink
    for transpose in (False, True):
        page, where = (np.ascontiguousarray(ink.T), np.ascontiguousarray(loose.T)) if transpose else (ink, loose)
        found = np.zeros_like(page)
        steps = int(np.ceil(params.rule_tilt_spread / params.rule_tilt_step - 1e-9))
        tilts = rule_angle(where, params.rule_max_tilt) + params.rule_tilt_spread * np.linspace(-1, 1, 2 * steps + 1)
        for tilt, possible in zip(tilts, may_hold_rules(where, tilts, params)):
            if not possible:
                continue
            sheared, offsets = shear_columns(page, tilt)
            sheared_loose, _ = shear_columns(where, tilt)
            found |= unshear_columns(_rules_horizontal(sheared, sheared_loose, stroke, params), offsets, page.shape[0])
        rules |= found.T if transpose else found
    if contrast is not None and rules.any():
        size = max(3, int(round(stroke)) | 1)
        darkness = ndi.uniform_filter(np.asarray(contrast, np.float32), size=size, mode="nearest")
        rules &= darkness <= params.rule_pen_contrast * np.median(darkness[rules])
    return ink & ~rules, rules
