"""Mixed-case training lines, made exactly as the reader makes its line strips.

A line of :func:`training.mixed_text.random_text` is drawn by a hand-print
source (glyphs of the EMNIST pool placed by :func:`training.pool_lines.compose_line`,
or a handwriting typeface by :func:`training.font_lines.render_line`),
photographed (:func:`training.paper_photo.on_paper`, or left as clean grey ink),
and then read by the reader's own front end and layout
(:func:`ocr.frontend.letters.locate`, :func:`ocr.layout.lines.layout`) and framed
by its line engine (:func:`ocr.recognition.line_engine.spread_strip`): the strip
a model learns from is the strip ``read`` would give it for that line. A line
the layout cuts or joins wrongly is left out (it has no true text to learn).

Validation and test lines use the pool's held-out glyphs and held-out
typefaces (:func:`training.pool_lines.split_indices`, :func:`training.font_lines.font_split`).
"""
import json
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage as ndi
from tqdm import tqdm

from ocr.frontend.letters import letters_on, locate
from ocr.frontend.strokes import stroke_width
from ocr.layout.lines import estimate_skew, layout
from ocr.params import DEFAULT
from ocr.recognition.line_engine import spread_strip, without_other_lines
from ocr.recognition.line_image import SPREAD, SPREAD_HEIGHT, shrink_strip

from .data import DataFormatError, DataNotFoundError
from .font_lines import can_render, find_fonts, font_split, fonts_help, render_line
from .mixed_text import random_text
from .paper_photo import on_paper
from .pool_lines import GlyphBank, compose_line

SPLITS = ("train", "valid", "test")
PHOTO_SHARE = 0.6
"""Share of lines photographed on paper (the rest are clean grey ink on white)."""
FONT_SHARE = 0.5
"""Share of lines drawn from a typeface when both sources are available."""
MIN_RECALL = 0.85
"""A photographed line is kept when the reader's ink holds at least this share of the drawn ink (within two px):
a line the photograph's conditions wiped out has no true text to learn."""
MIN_COVER = 0.85
"""A line is kept when the reader's line covers at least this share of the written line's width, and no more
than its width plus this share's complement on each side."""
CHUNK = 256
"""Lines per random stream: chunk ``k`` of a split's set draws from ``default_rng([seed, split, k])`` (the same
lines for any number of worker processes; other texts in each split)."""


@dataclass
class LineSources:
    """The hand-print sources of one split: pool glyphs and typefaces."""

    split: str
    bank: GlyphBank = None
    fonts: list = field(default_factory=list)

    def describe(self):
        return {"split": self.split, "pool_glyphs": 0 if self.bank is None else int(len(self.bank.indices)),
                "fonts": [str(f) for f in self.fonts]}


def line_sources(split, pool=None, font_dirs=None):
    """The pool's glyphs and the typefaces of ``split`` ('train', or held out: 'valid' and 'test').

    Validation and test share the held-out glyphs and typefaces (their lines differ by seed).

    Raises
    ------
    DataNotFoundError
        Neither a pool nor a typeface was found (the message says how to install the typefaces).
    """
    held_out = "train" if split == "train" else "valid"
    bank = GlyphBank.from_pool(pool, held_out) if pool else None
    fonts = find_fonts(font_dirs)
    fonts = font_split(fonts)[0 if held_out == "train" else 1]
    if bank is None and not fonts:
        raise DataNotFoundError("no hand-print source for mixed-case lines: pass --pool FILE (the EMNIST pool) "
                                "and/or install the handwriting typefaces.\n" + fonts_help())
    return LineSources(split, bank, fonts)


def draw_line(text, rng, sources, font_share=FONT_SHARE):
    """``text`` drawn by a random source of ``sources``: ``(ink (h, w) float32, boxes (len(text), 4))``, or None.

    None when the chosen typeface cannot draw the text and the pool is missing.
    """
    fonts = [f for f in sources.fonts if can_render(text, f)] if sources.fonts else []
    if fonts and (sources.bank is None or rng.random() < font_share):
        return render_line(text, fonts[int(rng.integers(len(fonts)))], rng)
    if sources.bank is None:
        return None
    return compose(text, rng, sources.bank)


def compose(text, rng, bank):
    """:func:`training.pool_lines.compose_line`, or None when the bank lacks one of the text's characters."""
    if not all(bank.has(c) for c in text):
        return None
    return compose_line(text, rng, bank)


def find_on(ink, rng, photo_share=PHOTO_SHARE, params=DEFAULT, min_recall=MIN_RECALL):
    """The reader's front end on the line: photographed on paper (``photo_share`` of lines) and found by
    :func:`ocr.frontend.letters.locate`, or clean ink found by :func:`ocr.frontend.letters.letters_on`.

    Returns
    -------
    ocr.frontend.letters.Located or None
        None when the photograph lost the writing (under ``min_recall`` of its ink found).
    """
    drawn = ink > 0.5
    if rng.random() >= photo_share:
        return letters_on(drawn, stroke_width(drawn), 1.0, params)
    found = locate(on_paper(ink, rng), params)
    seen = found.ink
    if seen.shape != drawn.shape:
        rows = np.minimum((np.arange(drawn.shape[0]) * found.scale).astype(int), seen.shape[0] - 1)
        cols = np.minimum((np.arange(drawn.shape[1]) * found.scale).astype(int), seen.shape[1] - 1)
        seen = seen[np.ix_(rows, cols)]
    if not drawn.any() or ndi.binary_dilation(seen, iterations=2)[drawn].mean() < min_recall:
        return None
    return found


def reader_strip(found, boxes, text, height=SPREAD_HEIGHT, spread=SPREAD, params=DEFAULT, min_cover=MIN_COVER):
    """The strip the reader makes of the written line, or None when its layout misses the line.

    Parameters
    ----------
    found : ocr.frontend.letters.Located
        The front end's findings on the line's image.
    boxes : (len(text), 4) int array
        The written characters' boxes on the line's image (spaces empty).
    text : str
    height, spread : int, float
        The recogniser's strip geometry.
    params : FrontEndParams

    Returns
    -------
    (height, W) float32 array or None
    """
    written = np.array([b for b, c in zip(boxes, text) if c != " " and b[3] > b[1]], float).reshape(-1, 4)
    if len(found.boxes) == 0 or len(written) == 0:
        return None
    left, right = written[:, 1].min() * found.scale, written[:, 3].max() * found.scale
    top, bottom = written[:, 0].min() * found.scale, written[:, 2].max() * found.scale
    skew = estimate_skew(found.boxes, params.max_tilt)
    best, best_overlap = None, 0.0
    for line in layout(found.boxes, skew, params):
        idx = [i for word in line for i in word]
        b = found.boxes[idx]
        overlap = (max(0.0, min(right, b[:, 3].max()) - max(left, b[:, 1].min()))
                   * max(0.0, min(bottom, b[:, 2].max()) - max(top, b[:, 0].min())))
        if overlap > best_overlap:
            best, best_overlap = idx, overlap
    if best is None:
        return None
    b = found.boxes[best]
    width = right - left
    if (min(right, b[:, 3].max()) - max(left, b[:, 1].min()) < min_cover * width
            or b[:, 1].min() < left - (1 - min_cover) * width or b[:, 3].max() > right + (1 - min_cover) * width):
        return None
    return spread_strip(without_other_lines(found.binary, found.boxes, best), b, skew, spread, 1.0, height)[0]


def make_line(rng, sources, height=SPREAD_HEIGHT, spread=SPREAD, params=DEFAULT, tries=8):
    """One training line: ``(strip, text)``, the strip as :func:`reader_strip` makes it; None after ``tries`` misses."""
    for _ in range(tries):
        text = random_text(rng)
        drawn = draw_line(text, rng, sources)
        if drawn is None:
            continue
        ink, boxes = drawn
        found = find_on(ink, rng, params=params)
        strip = None if found is None else reader_strip(found, boxes, text, height, spread, params)
        if strip is not None:
            return strip, text
    return None


def _chunk(args):
    seed, k, n, sources, height, spread = args
    rng = np.random.default_rng([seed, SPLITS.index(sources.split), k])
    out = [make_line(rng, sources, height, spread) for _ in range(n)]
    return [o for o in out if o is not None], n - sum(o is not None for o in out)


def make_line_set(n, sources, seed=0, height=SPREAD_HEIGHT, spread=SPREAD, jobs=1, progress=True):
    """``n`` lines attempted (chunks of :data:`CHUNK`, each its own random stream); the kept strips and texts.

    Returns
    -------
    strips : list of (height, W_i) float32 arrays
    texts : list of str
    missed : int
        Lines whose layout missed the written line (left out).
    """
    chunks = [(seed, k, min(CHUNK, n - k * CHUNK), sources, height, spread) for k in range(-(-n // CHUNK))]
    strips, texts, missed = [], [], 0
    bar = tqdm(total=n, desc=f"{sources.split} lines", unit="line", disable=not progress, leave=False)
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            results = pool.map(_chunk, chunks)
            for (lines, miss), chunk in zip(results, chunks):
                strips += [s for s, _ in lines]
                texts += [t for _, t in lines]
                missed += miss
                bar.update(chunk[2])
    else:
        for chunk in chunks:
            lines, miss = _chunk(chunk)
            strips += [s for s, _ in lines]
            texts += [t for _, t in lines]
            missed += miss
            bar.update(chunk[2])
    bar.close()
    return strips, texts, missed


def save_line_set(path, strips, texts, **settings):
    """Write strips (bit-packed, one height) and their texts to ``path`` (``.npz``)."""
    widths = np.array([s.shape[1] for s in strips], np.int32)
    height = strips[0].shape[0] if strips else SPREAD_HEIGHT
    bits = np.packbits(np.concatenate([np.asarray(s > 0.5).ravel() for s in strips]) if strips else np.zeros(0, bool))
    np.savez_compressed(path, bits=bits, widths=widths, height=np.int32(height), texts=np.array(texts),
                        settings=json.dumps(settings))
    return path


def load_line_set(path):
    """The strips (bool) and texts of :func:`save_line_set`: ``(strips, texts, settings)``.

    Raises
    ------
    DataNotFoundError, DataFormatError
    """
    try:
        with np.load(path, allow_pickle=False) as f:
            bits, widths, height = f["bits"], f["widths"], int(f["height"])
            texts, settings = [str(t) for t in f["texts"]], json.loads(str(f["settings"]))
    except FileNotFoundError:
        raise DataNotFoundError(f"{path}: no such line set (make it with `handocr train line-set`)") from None
    except (OSError, ValueError, KeyError) as exc:
        raise DataFormatError(f"{path}: not a line set ({type(exc).__name__})") from None
    flat = np.unpackbits(bits)[: int(widths.sum()) * height].astype(bool)
    ends = np.cumsum(widths) * height
    strips = [part.reshape(height, -1) for part in np.split(flat, ends[:-1])] if len(widths) else []
    return strips, texts, settings


def for_model(strips, strip_scale):
    """Line set strips as a recogniser with this ``strip_scale`` reads them (bool arrays, shrunk as the reader does)."""
    return [strip if strip_scale == 1 else shrink_strip(strip, strip_scale) > 0.5 for strip in strips]


class LineSet:
    """Strips and texts of a line set, drawn in batches of similar width with a little jitter.

    Parameters
    ----------
    strips : list of (H, W_i) bool arrays
        As the recogniser reads them (:func:`for_model`).
    texts : list of str
    window : int
        A batch of ``n`` is drawn from ``window * n`` neighbours in width order (less padding).
    stretch : float
        Each drawn strip is stretched in width by a factor in ``1 +- stretch``.
    shift : int
        ... and moved up or down by up to ``shift`` rows.
    """

    def __init__(self, strips, texts, window=8, stretch=0.12, shift=2):
        self.strips, self.texts = strips, list(texts)
        self.order = np.argsort([s.shape[1] for s in strips], kind="stable")
        self.window, self.stretch, self.shift = window, stretch, shift

    def __len__(self):
        return len(self.texts)

    def batch(self, n, rng):
        """``n`` strips (jittered float32 copies) and their texts."""
        span = min(len(self.order), self.window * n)
        start = int(rng.integers(0, len(self.order) - span + 1))
        picks = self.order[start + rng.choice(span, size=min(n, span), replace=False)]
        return [self._jitter(self.strips[i], rng).astype(np.float32) for i in picks], [self.texts[i] for i in picks]

    def _jitter(self, strip, rng):
        h, w = strip.shape
        width = max(8, int(round(w * rng.uniform(1 - self.stretch, 1 + self.stretch))))
        cols = np.minimum((np.arange(width) * w / width).astype(int), w - 1)
        stretched = strip[:, cols]
        dy = int(rng.integers(-self.shift, self.shift + 1))
        out = np.zeros_like(stretched)
        if dy >= 0:
            out[dy:] = stretched[: h - dy]
        else:
            out[: h + dy] = stretched[-dy:]
        return out
