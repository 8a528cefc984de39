"""Mixed-case text lines composed from real handwritten glyphs of the EMNIST pool.

EMNIST scales every glyph to fill its 28 x 28 box, so a glyph's own size says
nothing about whether it is an ``x``, an ``X`` or an ``l``. The composer puts
each letter back in its place in the line's frame, measured in capital heights
``H`` from the baseline:

* capitals: ``H`` tall; digits ``digit_height`` x ``H``;
* x-height letters (``a c e m n o r s u v w x z``): ``x_height`` x ``H`` (0.52-0.63);
* ascenders (``b d f h k l``): ``ascender`` x ``H``; ``t`` ``t_height`` x ``H``;
* descenders (``g p q y`` and ``j``): from the x-height line to
  ``descender`` x ``H`` below the baseline;
* ``i`` and ``j``: the body as above; the dot EMNIST keeps with the glyph is
  split off and put back above the x-height line (drawn when the glyph has none).

Every glyph is reduced to its centre line (the skeleton of the 2x-upsampled
glyph) and redrawn with one round pen per line, so letters share a pen width
(with a little pressure variation from letter to letter); the line also shares a
slant (shear), and each letter gets a small jitter of size, baseline and
rotation. Punctuation, which the pool lacks, is drawn with the same pen from
hand-made stroke paths (:func:`mark_strokes`).

The pool has no writer labels: :func:`valid_mask` holds out a fixed 10 % of the
pool's indices (a fixed integer hash of the index) for validation.
"""
from dataclasses import dataclass

import numpy as np
from scipy import ndimage as ndi
from skimage.morphology import skeletonize

from ocr.recognition.line_image import ASCENDERS, DESCENDERS, X_HEIGHT_LETTERS

from .mixed_text import DIGITS, PUNCTUATION
from .sources import read_pool_file

VALID_SHARE = 0.1
"""Share of pool indices held out for validation by :func:`valid_mask`."""

DOTTED = "ij"
SHARED_SHAPES = "cosuvwxzp"
"""Letters whose capital and small forms are the same shape (EMNIST scales both to fill the
box): either case draws from both labels' glyphs. ``K`` and ``X``, which the pool lacks,
draw from ``k`` and ``x`` (hand-printed ``k`` is mostly K-shaped)."""

SPACING_MODES = {"wide": (0.16, 0.32), "normal": (0.05, 0.16), "touching": (-0.03, 0.04), "overlapping": (-0.08, -0.02)}
"""Gap between neighbouring letters' ink boxes, in capital heights, by mode (uniform range per line)."""
SPACING_ODDS = {"wide": 0.15, "normal": 0.5, "touching": 0.25, "overlapping": 0.1}
MAX_OVERLAP = 0.25
"""Neighbouring letters overlap by at most this share of the narrower one's width."""

UPSAMPLE = 2


def valid_mask(n, valid_share=VALID_SHARE):
    """Which of ``n`` pool indices are validation glyphs: a fixed hash of the index.

    The index is mixed with the SplitMix64 finaliser; an index is held out when
    the top 53 bits, as a fraction, are below ``valid_share``. The rule depends
    only on the index, so it never changes with the caller, seed or platform.
    The pool has no writer labels: one writer's glyphs can fall on both sides.

    Parameters
    ----------
    n : int
        Pool size.
    valid_share : float
        Share held out (about; exact for large ``n`` only).

    Returns
    -------
    mask : (n,) bool array
        True for validation, False for training.
    """
    z = np.arange(n, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53) < valid_share


def split_indices(n, split, valid_share=VALID_SHARE):
    """Pool indices of ``split`` (``'train'``, ``'valid'`` or ``'all'``), ascending ``(M,)`` int array."""
    if split == "all":
        return np.arange(n)
    mask = valid_mask(n, valid_share)
    if split == "valid":
        return np.flatnonzero(mask)
    if split == "train":
        return np.flatnonzero(~mask)
    raise ValueError(f"split must be 'train', 'valid' or 'all', not {split!r}")


@dataclass
class Strokes:
    """A glyph's centre line as segments, in upsampled pixel units.

    ``body``: ``(K, 2, 2)`` float32 segment end points ``(y, x)``, the body's
    skeleton top-left at ``(0, 0)``; ``height``/``width`` its extent (at least 1).
    ``dot``: ``(D, 2, 2)`` segments of an ``i``/``j`` dot relative to the same
    origin (above the body: negative ``y``), or None.
    """

    body: np.ndarray
    height: float
    width: float
    dot: np.ndarray = None


def _segments(skeleton):
    """8-connected skeleton pixels to ``(K, 2, 2)`` segments (isolated pixels as zero-length ones)."""
    ys, xs = np.nonzero(skeleton)
    if ys.size == 0:
        return np.zeros((0, 2, 2), np.float32)
    padded = np.pad(skeleton, 1)
    segs = []
    linked = np.zeros(ys.size, bool)
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):
        hit = padded[ys + 1 + dy, xs + 1 + dx]
        if dy == 1 and dx != 0:
            hit &= ~padded[ys + 1, xs + 1 + dx] & ~padded[ys + 2, xs + 1]
        a = np.stack([ys[hit], xs[hit]], 1)
        segs.append(np.stack([a, a + (dy, dx)], 1))
        linked[hit] = True
    for dy, dx in ((0, -1), (-1, 0), (-1, -1), (-1, 1)):
        linked |= padded[ys + 1 + dy, xs + 1 + dx]
    lone = np.stack([ys[~linked], xs[~linked]], 1)
    segs.append(np.stack([lone, lone], 1))
    return np.concatenate(segs).astype(np.float32)


def glyph_strokes(image, char=None, threshold=0.45, min_area=6):
    """A pool glyph's centre line: skeleton of the 2x-upsampled ink, with ``i``/``j`` dots apart.

    Parameters
    ----------
    image : (28, 28) uint8 array
        EMNIST glyph, ink 255.
    char : str, optional
        Its label; for ``'i'`` and ``'j'`` a small component wholly above the
        body's upper part is split off as the dot.
    threshold : float
        Ink level (of 1) kept after upsampling.
    min_area : int
        Smaller components (upsampled pixels) are dropped as specks (not dots).

    Returns
    -------
    Strokes or None
        None when nothing is left.
    """
    ink = ndi.zoom(image.astype(np.float32) / 255.0, UPSAMPLE, order=1) > threshold
    labels, n = ndi.label(ink, structure=np.ones((3, 3)))
    if n == 0:
        return None
    areas = ndi.sum_labels(ink, labels, np.arange(1, n + 1))
    boxes = ndi.find_objects(labels)
    main = int(np.argmax(areas))
    keep = [k for k in range(n) if areas[k] >= min_area or k == main]
    dot_label = None
    dotted = char is not None and char in DOTTED
    if dotted and len(keep) > 1:
        body_box = boxes[main]
        body_top, body_h = body_box[0].start, body_box[0].stop - body_box[0].start
        above = [k for k in keep if k != main and boxes[k][0].stop <= body_top + 0.2 * body_h
                 and areas[k] < 0.5 * areas[main]]
        if above:
            dot_label = min(above, key=lambda k: boxes[k][0].start)
    body = np.isin(labels, [k + 1 for k in keep if k != dot_label])
    if dotted:
        body &= np.isin(labels, [k + 1 for k in keep if k == main or boxes[k][0].start >= boxes[main][0].start])
    skel = skeletonize(body)
    ys, xs = np.nonzero(skel)
    if ys.size == 0:
        return None
    y0, x0 = ys.min(), xs.min()
    segs = _segments(skel) - np.array([y0, x0], np.float32)
    dot = None
    if dot_label is not None:
        dot_skel = skeletonize(labels == dot_label + 1)
        dot = _segments(dot_skel) - np.array([y0, x0], np.float32)
    return Strokes(segs, float(max(ys.max() - y0, 1)), float(max(xs.max() - x0, 1)), dot)


class GlyphBank:
    """The pool's glyphs of one split, by character, reduced to strokes on demand (cached).

    Parameters
    ----------
    images : (N, 28, 28) uint8 array
        Ink 255, upright.
    labels : (N,) array of str
        ``0-9 A-Z a-z``.
    indices : (M,) int array, optional
        The pool indices this bank may use (default all); see :func:`split_indices`.
    """

    def __init__(self, images, labels, indices=None):
        self.images = images
        self.labels = np.asarray(labels).astype(str)
        self.indices = np.arange(len(labels)) if indices is None else np.asarray(indices)
        self._by_label = {c: self.indices[self.labels[self.indices] == c] for c in np.unique(self.labels)}
        self._cache = {}

    @classmethod
    def from_pool(cls, path, split="train", valid_share=VALID_SHARE):
        """Bank of the pool file's ``split`` (``'train'``, ``'valid'`` or ``'all'``).

        Raises
        ------
        training.data.DataNotFoundError, training.data.DataFormatError
        """
        images, labels = read_pool_file(path)
        return cls(images, labels, split_indices(len(labels), split, valid_share))

    def sources(self, char):
        """Pool indices that may be drawn for ``char`` ``(M,)`` (see :data:`SHARED_SHAPES`)."""
        low = char.lower()
        if low in SHARED_SHAPES:
            labels = (low, low.upper())
        elif char in "KX":
            labels = (low,)
        else:
            labels = (char,)
        parts = [self._by_label.get(c, np.zeros(0, int)) for c in labels]
        return np.concatenate(parts)

    def has(self, char):
        return char in PUNCTUATION or char == " " or self.sources(char).size > 0

    def strokes(self, index):
        """:class:`Strokes` of pool glyph ``index`` (None for a glyph with no ink)."""
        if index not in self._cache:
            char = self.labels[index]
            self._cache[index] = glyph_strokes(self.images[index], char)
        return self._cache[index]

    def prepare(self):
        """Reduce every glyph of the bank to strokes now (about 0.5 ms a glyph; the cache of a
        93k-glyph training bank holds some 100 MB), instead of on first use."""
        for index in self.indices:
            self.strokes(int(index))
        return self

    def pick(self, char, rng, tries=8):
        """``(index, Strokes)`` of a random glyph for ``char``.

        Raises
        ------
        KeyError
            The bank has no glyph for ``char``.
        """
        pool = self.sources(char)
        if pool.size == 0:
            raise KeyError(f"the glyph bank has no {char!r}")
        for _ in range(tries):
            index = int(pool[int(rng.integers(pool.size))])
            s = self.strokes(index)
            if s is not None:
                return index, s
        raise KeyError(f"no usable glyph for {char!r}")


def _circle(cy, cx, ry, rx, start=0.0, sweep=2 * np.pi, n=14):
    a = start + np.linspace(0, sweep, n)
    return [(cy - ry * np.sin(t), cx + rx * np.cos(t)) for t in a]


def _spline(points, per=5):
    """Catmull-Rom curve through ``points`` ``[(y, x), ...]``, ``per`` samples per span."""
    p = np.asarray(points, float)
    if len(p) < 3:
        return p
    p = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    t = np.linspace(0, 1, per, endpoint=False)[:, None]
    out = []
    for k in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[k - 1], p[k], p[k + 1], p[k + 2]
        out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(p[-2][None])
    return np.vstack(out)


def mark_strokes(char, rng, x_height=0.58, pen=0.1, jitter=0.025):
    """Pen paths of a punctuation mark in capital heights: list of ``(P, 2)`` arrays ``(y, x)``.

    ``y`` is measured from the baseline (negative above it), ``x`` from the
    mark's left; the paths are centre lines, so a dot's centre sits ``pen / 2``
    above the baseline. Commas and semicolons hang below the baseline, quotes
    sit at cap height, ``-`` ``+`` ``=`` around mid x-height, brackets span cap
    height to below the baseline.

    Parameters
    ----------
    char : str
        One of :data:`mixed_text.PUNCTUATION`.
    rng : numpy.random.Generator
    x_height : float
        The line's x-height in capital heights.
    pen : float
        Pen width in capital heights (places dots so their ink rests on the baseline).
    jitter : float
        Standard deviation of each control point's displacement, in capital heights.
    """
    j = lambda: rng.normal(0, jitter, 2)  # noqa: E731
    r = pen / 2
    xm = x_height / 2
    dot = lambda y, x: [(y, x), (y + 0.01, x + rng.uniform(0.0, 0.03))]  # noqa: E731
    if char == ".":
        paths = [dot(-r, 0.0)]
    elif char == ",":
        paths = [[(-r - 0.02, 0.06), (0.06, 0.06 + rng.uniform(-0.01, 0.01)), (0.2 + rng.uniform(0, 0.08), -0.02)]]
    elif char == ";":
        tail = [(-r - 0.02, 0.06), (0.06, 0.06), (0.2 + rng.uniform(0, 0.08), -0.02)]
        paths = [dot(-x_height + r + 0.05, 0.06), tail]
    elif char == ":":
        paths = [dot(-x_height + r + 0.05, 0.0), dot(-r, 0.0)]
    elif char == "!":
        paths = [[(-1.0, 0.03), (-0.3 - rng.uniform(0, 0.1), 0.0)], dot(-r, 0.0)]
    elif char == "?":
        paths = [[(-0.72, 0.0), (-0.95, 0.08), (-1.0, 0.25), (-0.9, 0.42), (-0.68, 0.4), (-0.5, 0.24), (-0.3, 0.22)],
                 dot(-r, 0.22)]
    elif char == "'":
        paths = [[(-1.02, 0.03), (-0.74, 0.0)]]
    elif char == '"':
        paths = [[(-1.02, 0.03), (-0.76, 0.0)], [(-1.02, 0.2), (-0.76, 0.17)]]
    elif char == "-":
        w = rng.uniform(0.25, 0.45)
        paths = [[(-xm, 0.0), (-xm + rng.normal(0, 0.02), w)]]
    elif char == "+":
        c, s = -rng.uniform(0.35, 0.5), rng.uniform(0.24, 0.32)
        paths = [[(c, 0.0), (c, 2 * s)], [(c - s, s), (c + s, s)]]
    elif char == "=":
        w = rng.uniform(0.35, 0.5)
        paths = [[(-0.55, 0.0), (-0.55, w)], [(-0.25, 0.0), (-0.25, w)]]
    elif char == "/":
        paths = [[(0.05, 0.0), (-1.0, rng.uniform(0.35, 0.55))]]
    elif char in "()":
        top, bottom, bulge = -1.05, rng.uniform(0.2, 0.35), rng.uniform(0.15, 0.22)
        mid = (top + bottom) / 2
        left, right = (bulge, 0.0) if char == "(" else (0.0, bulge)
        paths = [[(top, left), (mid, right), (bottom, left)]]
    elif char == "&":
        paths = [[(0.0, 0.72), (-0.3, 0.45), (-0.6, 0.2), (-0.82, 0.17), (-0.98, 0.28), (-0.87, 0.43), (-0.68, 0.38),
                  (-0.48, 0.2), (-0.3, 0.05), (-0.08, 0.06), (0.0, 0.3), (-0.12, 0.52), (-0.35, 0.66)]]
    elif char == "%":
        s = 0.13
        paths = [_circle(-1.0 + s, 0.15, s, s * 0.8), [(0.02, 0.02), (-1.02, 0.62)], _circle(-s, 0.52, s, s * 0.8)]
    elif char == "#":
        paths = [[(-0.92, 0.28), (-0.05, 0.18)], [(-0.92, 0.55), (-0.05, 0.45)],
                 [(-0.65, 0.02), (-0.65, 0.72)], [(-0.32, 0.0), (-0.32, 0.7)]]
    elif char == "@":
        ring = _circle(-0.47, 0.47, 0.5, 0.47, start=-0.25, sweep=-2 * np.pi + 0.9, n=16)
        paths = [_circle(-0.45, 0.42, 0.18, 0.16, start=0.3, sweep=2 * np.pi, n=12),
                 [(-0.63, 0.6), (-0.32, 0.6), (-0.25, 0.7), (-0.35, 0.9)] + ring]
    else:
        raise ValueError(f"no pen path for {char!r}")
    out = []
    for path in paths:
        p = np.array(path, float)
        p = p + np.array([j() for _ in range(len(p))]) * (len(p) > 2 or char not in ".,:;!?")
        out.append(_spline(p) if len(p) > 2 else p)
    return out


def _uniform(rng, value):
    """A number, or a draw from a ``(low, high)`` range."""
    if np.ndim(value) == 0:
        return float(value)
    return float(rng.uniform(*value))


STYLE_DEFAULTS = dict(
    cap_height=(24, 64), x_height=(0.52, 0.63), ascender=(0.98, 1.1), t_height=(0.75, 0.9),
    descender=(0.3, 0.45), digit_height=(0.88, 1.0), dot_gap=(0.1, 0.28), pen=(0.05, 0.14),
    min_pen_px=1.2, pressure=0.1, slant=0.15, letter_slant=0.05, size_jitter=0.04, baseline_jitter=0.03,
    rotation_jitter=2.0, slope=0.02, spacing=None, word_space=(0.4, 0.9), margin=(0.15, 0.6),
    breaks=0.03,
)
"""Defaults of :func:`compose_line`'s style keywords (documented there)."""


def _sample_points(segs, step=0.6):
    """Points every ``step`` px or closer along ``(K, 2, 2)`` segments: ``(P, 2)``."""
    if segs.shape[0] == 0:
        return np.zeros((0, 2))
    a, b = segs[:, 0], segs[:, 1]
    length = float(np.sqrt(((b - a) ** 2).sum(1)).max())
    n = max(2, int(np.ceil(length / step)) + 1)
    t = np.linspace(0, 1, n)[None, :, None]
    return (a[:, None] + t * (b - a)[:, None]).reshape(-1, 2)


def _polyline_points(path, step=0.6):
    p = np.asarray(path, float)
    if len(p) == 1:
        return p
    return _sample_points(np.stack([p[:-1], p[1:]], 1), step)


def _pose(points, slant, angle):
    """Shear (``slant`` x per y up) then rotate by ``angle`` rad about the origin (the baseline)."""
    y, x = points[:, 0], points[:, 1] - slant * points[:, 0]
    c, s = np.cos(angle), np.sin(angle)
    return np.stack([c * y + s * x, -s * y + c * x], 1)


def _glyph_points(char, bank, rng, st, H, r):
    """Centre-line points of one character, in px, y from the baseline (down positive), any x origin."""
    slant = st["slant_line"] + rng.normal(0, st["letter_slant"])
    angle = np.deg2rad(rng.normal(0, st["rotation_jitter"]))
    size = 1.0 + rng.normal(0, st["size_jitter"]) if st["size_jitter"] else 1.0
    if char in PUNCTUATION:
        paths = mark_strokes(char, rng, st["xh"], 2 * r / H)
        pts = [_polyline_points(p * H * size) for p in paths]
        return _pose(np.vstack(pts), slant, angle)
    _, s = bank.pick(char, rng)
    if char in X_HEIGHT_LETTERS or char == "i":
        top, bottom = -st["xh"], 0.0
    elif char in ASCENDERS:
        top, bottom = -st["asc"], 0.0
    elif char == "t":
        top, bottom = -st["t_h"], 0.0
    elif char in DESCENDERS:
        top, bottom = -st["xh"], st["desc"]
    elif char in DIGITS:
        top, bottom = -st["digit_h"], 0.0
    else:
        top, bottom = -1.0, 0.0
    span = max((bottom - top) * H * size - 2 * r, 1.0)
    k = span / s.height
    pts = _sample_points(s.body * k)
    pts[:, 0] += bottom * H - r - span
    if char in DOTTED:
        lift = st["xh"] * H * size + rng.uniform(*st["dot_gap"]) * H + r
        if s.dot is not None and s.dot.shape[0]:
            centre = s.dot.reshape(-1, 2).mean(0)
            extent = max(np.ptp(s.dot[..., 0]), np.ptp(s.dot[..., 1]), 1.0)
            d = (s.dot - centre) * min(k, 0.12 * H / extent)
            dx = float(np.clip(centre[1] * k, -0.15 * H, s.width * k + 0.15 * H))
            dpts = _sample_points(d) + np.array([-lift, dx])
        else:
            top_x = pts[pts[:, 0] <= pts[:, 0].min() + 0.15 * span, 1].mean()
            start = np.array([-lift, top_x + rng.normal(0, 0.03 * H)])
            dpts = _polyline_points(np.array([start, start + [rng.uniform(-0.02, 0.0) * H, rng.uniform(0, 0.04) * H]]))
        pts = np.vstack([pts, dpts])
    return _pose(pts, slant, angle)


def line_style(rng, **style):
    """The line's drawn style: every :data:`STYLE_DEFAULTS` keyword resolved to a number (see :func:`compose_line`)."""
    unknown = set(style) - set(STYLE_DEFAULTS)
    if unknown:
        raise TypeError(f"unknown style keywords: {sorted(unknown)}")
    st = {**STYLE_DEFAULTS, **style}
    H = _uniform(rng, st["cap_height"])
    spacing = st["spacing"]
    if spacing is None:
        spacing = list(SPACING_ODDS)[int(rng.choice(len(SPACING_ODDS), p=list(SPACING_ODDS.values())))]
    out = dict(st)
    out.update(
        H=H, xh=_uniform(rng, st["x_height"]), asc=_uniform(rng, st["ascender"]),
        t_h=_uniform(rng, st["t_height"]), desc=_uniform(rng, st["descender"]),
        digit_h=_uniform(rng, st["digit_height"]),
        pen_px=max(_uniform(rng, st["pen"]) * H, st["min_pen_px"]),
        slant_line=float(np.clip(rng.normal(0, st["slant"]), -2.5 * st["slant"], 2.5 * st["slant"]))
        if st["slant"] else 0.0,
        slope_line=_uniform(rng, (-st["slope"], st["slope"])) if st["slope"] else 0.0,
        spacing_mode=spacing, gap=rng.uniform(*SPACING_MODES[spacing]),
        space=_uniform(rng, st["word_space"]),
        margins=[_uniform(rng, st["margin"]) for _ in range(4)],
    )
    return out


def brush(points, radii, shape, intensity=None):
    """Ink of round-pen strokes through integer ``points``: float32 ``shape`` image in [0, 1].

    Every pixel takes the radius (and intensity) of its nearest centre-line
    point and is inked by ``clip(radius + 0.5 - distance, 0, 1)``, which gives
    anti-aliased edges and one stroke width for the whole line.

    Parameters
    ----------
    points : (P, 2) int array
        ``(row, col)`` inside ``shape``.
    radii : (P,) float array
        Pen radius in px at each point.
    shape : tuple
        ``(H, W)`` of the output.
    intensity : (P,) float array, optional
        Ink strength at each point (default 1).
    """
    free = np.ones(shape, bool)
    free[points[:, 0], points[:, 1]] = False
    if free.all():
        return np.zeros(shape, np.float32)
    rad = np.zeros(shape, np.float32)
    rad[points[:, 0], points[:, 1]] = radii
    dist, (iy, ix) = ndi.distance_transform_edt(free, return_indices=True)
    ink = np.clip(rad[iy, ix] + 0.5 - dist, 0, 1)
    if intensity is not None:
        strength = np.ones(shape, np.float32)
        strength[points[:, 0], points[:, 1]] = intensity
        ink *= strength[iy, ix]
    return ink.astype(np.float32)


def _break(pts, r, rng):
    """Drop one run of consecutive points (a pen skip) a little longer than the pen width."""
    if len(pts) < 8:
        return pts
    k = int(rng.integers(len(pts)))
    d = np.hypot(*(pts - pts[k]).T)
    return pts[d > r + rng.uniform(0.6, 1.5)] if (d > r + 1.5).sum() > 0.7 * len(pts) else pts


def compose_line(text, rng, bank, **style):
    """Draw ``text`` as one hand-printed line from pool glyphs and pen-drawn punctuation.

    Parameters
    ----------
    text : str
        Characters of :data:`mixed_text.MIXED_ALPHABET`.
    rng : numpy.random.Generator
        The only source of randomness: the same state gives the same image.
    bank : GlyphBank
        Glyphs to draw from (a training or validation bank, :meth:`GlyphBank.from_pool`).
    **style
        Any of :data:`STYLE_DEFAULTS`; a ``(low, high)`` pair is drawn uniformly per line.
        Lengths are in capital heights ``H`` unless said otherwise.

        cap_height : (24, 64)
            ``H``, capital height in px: scales the whole line.
        x_height : (0.52, 0.63)
            Height of ``a c e m n o r s u v w x z`` and of the bodies of ``i g j p q y``.
        ascender : (0.98, 1.1)
            Height of ``b d f h k l``.
        t_height : (0.75, 0.9)
            Height of ``t``.
        descender : (0.3, 0.45)
            Depth of ``g j p q y`` below the baseline.
        digit_height : (0.88, 1.0)
            Height of digits.
        dot_gap : (0.1, 0.28)
            Clear paper between the top of an ``i``/``j`` body and its dot.
        pen : (0.05, 0.14)
            Pen width, shared by every letter of the line.
        min_pen_px : 1.2
            Thinnest pen, in px.
        pressure : 0.1
            Relative standard deviation of the pen width from letter to letter.
        slant : 0.15
            Standard deviation of the line's shear (x shift per unit height, positive
            leans right; clipped at 2.5 standard deviations).
        letter_slant : 0.05
            Standard deviation of each letter's extra shear.
        size_jitter : 0.04
            Relative standard deviation of each letter's size.
        baseline_jitter : 0.03
            Standard deviation of each letter's baseline shift.
        rotation_jitter : 2.0
            Standard deviation of each letter's rotation, degrees.
        slope : 0.02
            Largest baseline slope (rows per column), drawn uniformly in +-slope.
        spacing : None
            One of :data:`SPACING_MODES` (gap between letters); drawn from
            :data:`SPACING_ODDS` when None.
        word_space : (0.4, 0.9)
            Extra gap of a space.
        margin : (0.15, 0.6)
            Paper around the line, each side drawn separately; top and bottom are
            counted from the cap line and the descender line.
        breaks : 0.03
            Chance that a letter's stroke has a pen skip (a short gap).

    Returns
    -------
    ink : (h, w) float32 array
        Ink strength in [0, 1], 1 = full ink; ``h`` is about ``(1.1 + descender) x H``
        plus margins.
    boxes : (len(text), 4) int array
        ``[y1, x1, y2, x2]`` ink box of each character (``y2``, ``x2`` exclusive,
        numpy slice bounds). A space has an empty box (``y1 == y2``, ``x1 == x2``)
        at the baseline in the middle of its gap.
    """
    st = line_style(rng, **style)
    H, r0 = st["H"], st["pen_px"] / 2
    glyphs = []
    x = 0.0
    prev_w = None
    for ch in text:
        if ch == " ":
            x += max(st["gap"], 0.0) * H + st["space"] * H * rng.uniform(0.8, 1.2)
            glyphs.append((None, None, x, 0.0))
            prev_w = None
            continue
        r = r0 * (1 + rng.normal(0, st["pressure"])) if st["pressure"] else r0
        r = max(r, st["min_pen_px"] / 2)
        pts = _glyph_points(ch, bank, rng, st, H, r)
        if st["breaks"] and ch not in PUNCTUATION and rng.random() < st["breaks"]:
            pts = _break(pts, r, rng)
        pts[:, 1] -= pts[:, 1].min() - r
        w = float(pts[:, 1].max() + r)
        if prev_w is not None:
            gap = (st["gap"] + rng.normal(0, 0.03)) * H
            if ch in PUNCTUATION:
                gap = max(gap, 0.04 * H)
            x += max(gap, -MAX_OVERLAP * min(prev_w, w))
        base = st["slope_line"] * x + rng.normal(0, st["baseline_jitter"]) * H
        pts = pts + np.array([base, x])
        glyphs.append((pts, r, x, w))
        x += w
        prev_w = w
    width_px = x
    m_top, m_bottom, m_left, m_right = (v * H for v in st["margins"])
    slope_span = np.array([0.0, st["slope_line"] * width_px])
    top = slope_span.min() - max(st["asc"], 1.0) * H - 0.1 * H - m_top
    bottom = slope_span.max() + (st["desc"] + 0.08) * H + m_bottom
    drawn = [g for g in glyphs if g[0] is not None]
    if drawn:
        all_pts = np.vstack([g[0] for g in drawn])
        rmax = max(g[1] for g in drawn) + 1
        top = min(top, all_pts[:, 0].min() - rmax - 1)
        bottom = max(bottom, all_pts[:, 0].max() + rmax + 1)
    oy, ox = -np.floor(top), np.floor(m_left)
    shape = (int(np.ceil(bottom - top)) + 1, int(np.ceil(width_px + m_left + m_right)) + 2)
    boxes = np.zeros((len(text), 4), int)
    points, radii = [], []
    for k, (pts, r, gx, w) in enumerate(glyphs):
        if pts is None:
            continue
        ip = np.round(pts + [oy, ox]).astype(int)
        ip[:, 0] = np.clip(ip[:, 0], 0, shape[0] - 1)
        ip[:, 1] = np.clip(ip[:, 1], 0, shape[1] - 1)
        points.append(ip)
        radii.append(np.full(len(ip), r, np.float32))
        reach = int(np.ceil(r + 0.5)) - 1
        lo, hi = ip.min(0) - reach, ip.max(0) + reach + 1
        boxes[k] = [lo[0], lo[1], hi[0], hi[1]]
    for k, (pts, r, gx, w) in enumerate(glyphs):
        if pts is None:
            left = boxes[k - 1, 3] if k > 0 and boxes[k - 1, 3] > 0 else int(round(gx + ox))
            right = next((b[1] for b in boxes[k + 1:] if b[3] > 0), left)
            cx = (left + max(right, left)) // 2
            by = int(round(oy + st["slope_line"] * (cx - ox)))
            boxes[k] = [by, cx, by, cx]
    boxes[:, [0, 2]] = np.clip(boxes[:, [0, 2]], 0, shape[0])
    boxes[:, [1, 3]] = np.clip(boxes[:, [1, 3]], 0, shape[1])
    if not points:
        return np.zeros(shape, np.float32), boxes
    ink = brush(np.vstack(points), np.concatenate(radii), shape)
    return ink, boxes
