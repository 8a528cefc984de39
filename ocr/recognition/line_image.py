"""The line recogniser's input, a fixed-height ink strip made alike of synthetic and page lines, and its alphabets."""
import numpy as np
from skimage import transform

from ..frontend.strokes import set_stroke_width, stroke_width
from .glyph import CLASSES

PUNCTUATION = ".,-'!?:/+"
LINE_ALPHABET = " " + CLASSES + PUNCTUATION
"""Classes 1.. of the capitals' line recogniser (class 0 is the CTC blank)."""
NOTE_PUNCTUATION = ".,;:!?'\"-+=/()&%#@"
MIXED_ALPHABET = " " + "abcdefghijklmnopqrstuvwxyz" + CLASSES + NOTE_PUNCTUATION
"""Classes 1.. of the mixed-case line recogniser: space, a-z, A-Z, 0-9 and the punctuation of notes."""
X_HEIGHT_LETTERS = "acemnorsuvwxz"
"""Lowercase letters of print that stand within the x-height (0.5-0.65 of a capital's height)."""
ASCENDERS = "bdfhkl"
"""Lowercase letters as tall as a capital (``t`` stands between)."""
DESCENDERS = "gjpqy"
"""Lowercase letters that hang below the baseline."""
LINE_HEIGHT = 32
LETTER_HEIGHT = 22.0
LINE_STROKE = 2.5
FRAME_STEP = 4
SPREAD_HEIGHT = 48
"""Rows of a strip framed by the spread of its ink (:func:`spread_input`)."""
SPREAD = 6.0
"""Median distance in strip px of a line's ink rows from their median row (:func:`spread_input`): a line of
capitals is then about 24 px tall, the x-height of mixed-case print about 14-16 px."""


def binary_line(mask):
    """Boolean ink mask ``(LINE_HEIGHT, W)`` to the network's float32 input (1 = ink, 0 = paper)."""
    return np.asarray(mask, bool).astype(np.float32)


def strip_width(width, letter_height):
    """Width in px of the strip :func:`line_input` makes of a ``width`` px crop with this letter height."""
    return max(8, int(round(width * LETTER_HEIGHT / max(float(letter_height), 1.0))))


def line_input(ink, letter_height, stroke=LINE_STROKE):
    """A page line's ink to a ``(LINE_HEIGHT, W)`` strip like the synthetic training lines.

    Parameters
    ----------
    ink : (h, w) bool array
        Ink of the (deskewed) line's region, cropped so that the line runs
        through the crop's vertical middle.
    letter_height : float
        The line's typical capital height in px (median letter box height),
        scaled to ``LETTER_HEIGHT``.
    stroke : float
        Stroke width in px after scaling (the synthetic lines' typical width).

    Returns
    -------
    strip : (LINE_HEIGHT, W) float32 array
        Strip pixel ``(r, c)`` shows crop pixel ``((r + top) / scale, c / scale)``.
    scale : float
        Strip px per crop px.
    top : int
        Scaled crop row shown in the strip's first row.
    """
    ink = np.asarray(ink, bool)
    h, w = ink.shape
    scale = LETTER_HEIGHT / max(float(letter_height), 1.0)
    top = int(round(max(1, int(round(h * scale))) / 2 - LINE_HEIGHT / 2))
    return cut_strip(scaled_ink(ink, scale, strip_width(w, letter_height), stroke), top, LINE_HEIGHT), scale, top


def scaled_ink(ink, scale, width, stroke=LINE_STROKE):
    """A crop's ink with its strokes set to ``stroke`` px after scaling, resized by ``scale`` to ``width`` columns.

    Parameters
    ----------
    ink : (h, w) bool array
    scale : float
        Rows after over rows before (``round(h * scale)`` rows).
    width : int
        Columns after.
    stroke : float

    Returns
    -------
    (round(h * scale), width) bool array
    """
    h, w = ink.shape
    if ink.any():
        thick = set_stroke_width(ink, stroke_width(ink), stroke / scale)
        pad = (thick.shape[0] - h) // 2
        ink = thick[pad: pad + h, pad: pad + w] if pad > 0 else thick
    return transform.resize(ink.astype(np.float32), (max(1, int(round(h * scale))), width), order=1,
                            anti_aliasing=scale < 1, preserve_range=True) > 0.5


def cut_strip(small, top, height):
    """Rows ``top .. top + height`` of a scaled crop as the recogniser's float32 strip (rows outside it are paper)."""
    strip = np.zeros((height, small.shape[1]), bool)
    s1, s2 = max(top, 0), min(top + height, small.shape[0])
    if s2 > s1:
        strip[s1 - top: s2 - top] = small[s1:s2]
    return binary_line(strip)


def ink_spread(ink):
    """Median row and median absolute row deviation of a line crop's ink pixels: ``(centre, spread)`` in px.

    Both are robust to the odd descender of the line above or speck below,
    and the spread measures a line of capitals and a line of mixed-case
    print alike: about a quarter of the capital height.
    """
    rows = np.nonzero(np.asarray(ink, bool))[0]
    if rows.size == 0:
        return ink.shape[0] / 2, 1.0
    centre = float(np.median(rows))
    return centre, max(float(np.median(np.abs(rows - centre))), 0.5)


def spread_input(ink, spread=SPREAD, height=SPREAD_HEIGHT, stroke=LINE_STROKE):
    """A page line's ink to a ``(height, W)`` strip scaled so its ink rows spread ``spread`` px about the middle row.

    Unlike :func:`line_input` it needs no letter height: the crop's own ink
    sets the scale and the centre (:func:`ink_spread`), so capitals, and
    lowercase letters with ascenders and descenders, come out at their sizes
    relative to each other.

    Parameters
    ----------
    ink : (h, w) bool array
        Ink of the (deskewed) line's region, the line somewhere in it, the
        crop reaching well above and below it.
    spread : float
        Median distance of the ink rows from their median row after scaling, px.
    height : int
        Strip rows; the ink's median row lands on row ``height // 2``.
    stroke : float
        Stroke width in px after scaling.

    Returns
    -------
    strip : (height, W) float32 array
        Strip pixel ``(r, c)`` shows crop pixel ``((r + top) / scale, c / scale)``.
    scale : float
        Strip px per crop px.
    top : int
        Scaled crop row shown in the strip's first row.
    """
    ink = np.asarray(ink, bool)
    h, w = ink.shape
    centre, deviation = ink_spread(ink)
    scale = spread / deviation
    top = int(round(centre * scale - height / 2))
    return cut_strip(scaled_ink(ink, scale, max(8, int(round(w * scale))), stroke), top, height), scale, top


def strip_geometry(arch):
    """A line model's alphabet and strip geometry from its ``arch``, with the capitals' model's defaults.

    Returns
    -------
    dict
        ``alphabet``; ``framing`` ('band' or 'spread'); ``strip_height`` (the
        network's input rows); ``spread`` (None for 'band'); ``strip_scale``.
    """
    return {"alphabet": arch.get("alphabet", LINE_ALPHABET), "framing": arch.get("framing", "band"),
            "strip_height": int(arch.get("strip_height", LINE_HEIGHT)), "spread": arch.get("spread"),
            "strip_scale": float(arch.get("strip_scale", 1.0))}


def shrink_strip(strip, factor):
    """A strip resized by ``factor`` (<= 1) in both directions, still binary: ``(round(H f), max(8, round(W f)))``.

    A model may read the spread strips of :func:`spread_input` smaller (its
    ``strip_scale``): the reader and the trainer both shrink them here.
    """
    strip = np.asarray(strip)
    if factor == 1:
        return strip.astype(np.float32)
    h, w = strip.shape
    size = (max(1, int(round(h * factor))), max(8, int(round(w * factor))))
    small = transform.resize(strip.astype(np.float32), size, order=1, anti_aliasing=False, preserve_range=True)
    return binary_line(small > 0.5)


def pad_strips(strips):
    """Strips ``(H, W_i)`` (one height) to a zero-padded batch ``(N, 1, H, W)`` and frame counts ``(N,)``.

    ``W`` is the widest strip rounded up to a multiple of ``FRAME_STEP``; strip
    ``i`` has ``max(1, W_i // FRAME_STEP)`` output frames.
    """
    width = max(max(s.shape[1] for s in strips), FRAME_STEP)
    width = -(-width // FRAME_STEP) * FRAME_STEP
    batch = np.zeros((len(strips), 1, strips[0].shape[0], width), np.float32)
    for k, s in enumerate(strips):
        batch[k, 0, :, : s.shape[1]] = s
    frames = np.array([max(1, s.shape[1] // FRAME_STEP) for s in strips])
    return batch, frames
