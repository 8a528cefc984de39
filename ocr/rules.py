"""Remove ruled and grid lines from an ink mask without cutting the letters they cross."""
import numpy as np
from scipy import ndimage as ndi

from .params import DEFAULT


def rule_angle(ink, max_tilt=DEFAULT.rule_max_tilt, step=0.25):
    """Tilt in degrees of the page's longest straight horizontal ink runs.

    For each candidate angle the ink is projected across the lines; the angle
    whose row profile is most peaked (sum of squares) wins.

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
    best, best_score = 0.0, -np.inf
    for deg in np.arange(-max_tilt, max_tilt + step / 2, step):
        t = np.deg2rad(deg)
        proj = np.round(ys * np.cos(t) + xs * np.sin(t)).astype(int)
        counts = np.bincount(proj - proj.min())
        score = float(np.sum(counts.astype(float) ** 2))
        if score > best_score:
            best, best_score = float(deg), score
    return best


def _long_runs(ink, length, span, fill):
    """Rows of ``ink`` holding near-horizontal runs at least ``length`` long, spanning ``span`` of the width."""
    h, w = ink.shape
    length = int(max(3, length))
    thick = ndi.maximum_filter1d(ink, size=3, axis=0)
    full = ndi.uniform_filter1d(thick.astype(np.float32), size=length, axis=1) > fill
    covered = ndi.maximum_filter1d(full, size=length, axis=1)
    labels, n = ndi.label(covered, structure=np.ones((3, 3)))
    labels[~(thick & ink)] = 0
    mask = np.zeros_like(ink)
    for k, sl in enumerate(ndi.find_objects(labels), start=1):
        if sl is not None and sl[1].stop - sl[1].start >= span * w:
            mask[sl] |= labels[sl] == k
    return mask


def _crossings(ink, rule, reach):
    """Rule pixels with other ink within ``reach`` px both above and below."""
    rest = np.pad((ink & ~rule).astype(np.int32), ((1, 0), (0, 0))).cumsum(axis=0)
    h = ink.shape[0]
    reach = int(max(1, np.ceil(reach)))
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
    rule = _long_runs(loose, params.rule_length * max(h, w), params.rule_span, params.rule_fill)
    rule = ndi.maximum_filter1d(rule, size=3, axis=0) & ink
    if not rule.any():
        return rule
    reach = _thickness(rule) + params.rule_bridge_strokes * stroke
    return rule & ~_crossings(ink, rule, reach)


def shear_columns(mask, angle):
    """Shift each column vertically so lines tilted by ``angle`` degrees become horizontal.

    Returns
    -------
    sheared : (H + pad, W) bool array
    offsets : (W,) int array
        Row shift of each column (``sheared[y + offsets[x], x] = mask[y, x]``).
    """
    h, w = mask.shape
    shift = np.round(np.arange(w) * np.tan(np.deg2rad(angle))).astype(int)
    offsets = shift - shift.min()
    pad = int(offsets.max())
    rows = (np.arange(h + pad)[:, None] - offsets[None, :])
    valid = (rows >= 0) & (rows < h)
    sheared = np.where(valid, mask[np.clip(rows, 0, h - 1), np.arange(w)[None, :]], False)
    return sheared, offsets


def unshear_columns(sheared, offsets, h):
    """Inverse of ``shear_columns`` for an ``h``-row mask."""
    rows = np.arange(h)[:, None] + offsets[None, :]
    return sheared[rows, np.arange(sheared.shape[1])[None, :]]


def remove_rules(ink, stroke, params=DEFAULT, loose=None):
    """Ink with ruled and grid lines removed, letters that cross them kept.

    The page is sheared by the tilt of its longest straight runs, runs of at
    least ``rule_length`` of the page that span ``rule_span`` of it are rules,
    and rule pixels with ink just above and below (within
    ``rule_bridge_strokes`` stroke widths past the rule) stay, so a rule
    through every letter leaves the letters whole. Vertical rules (margins,
    grids) are found the same way on the transposed page.

    Parameters
    ----------
    ink : (H, W) bool array
    stroke : float
        The page's stroke width in px.
    loose : (H, W) bool array, optional
        Where to look for the rules (a looser ink mask in which faint rules
        are continuous); ``ink`` by default.

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
        page, where = (ink.T, loose.T) if transpose else (ink, loose)
        found = np.zeros_like(page)
        angle = rule_angle(where, params.rule_max_tilt)
        for tilt in angle + params.rule_tilt_spread * np.array([-1, 0, 1]):
            sheared, offsets = shear_columns(page, tilt)
            sheared_loose, _ = shear_columns(where, tilt)
            found |= unshear_columns(_rules_horizontal(sheared, sheared_loose, stroke, params), offsets, page.shape[0])
        rules |= found.T if transpose else found
    return ink & ~rules, rules
