"""Synthetic text lines composed from real handwritten glyphs, rendered as the line recogniser sees them.

A line image is ``LINE_HEIGHT`` rows of ink strength (1 = ink, 0 = paper) whose
capitals are about ``LETTER_HEIGHT`` px tall (see :mod:`ocr.recognition.line_image`).
Letters are placed with spacing from wide gaps down to touching and overlapping,
with baseline jitter, slant, per-letter size and stroke width; punctuation,
which the glyph sets lack, is drawn as strokes (dots, bars, ticks).
"""
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import ndimage as ndi

from ocr.recognition.line_image import LETTER_HEIGHT, LINE_HEIGHT, binary_line

from .data import CLASSES, load_split, rows_to_images
from .line_text import PUNCTUATION, random_line_text
from .sources import load_folder_split, read_pool_file

POOL_ENV_VAR = "OCR_POOL_PATH"
SPACING_MODES = {"wide": (0.3, 0.7), "normal": (0.05, 0.3), "touching": (-0.06, 0.04), "overlapping": (-0.2, -0.04)}
SPACING_ODDS = {"wide": 0.15, "normal": 0.35, "touching": 0.25, "overlapping": 0.25}
MAX_OVERLAP = 0.35
"""Neighbouring letters overlap by at most this share of the wider one's width, so a narrow letter (I, 1)
can stand wholly inside its neighbour's extent, as it does where people write letters into each other."""


@dataclass
class GlyphBank:
    """Tight ink crops by character: ``crops[c]`` is a list of float32 arrays (1 = ink)."""

    crops: dict

    def __len__(self):
        return sum(len(v) for v in self.crops.values())

    def pick(self, char, rng):
        pool = self.crops[char]
        return pool[int(rng.integers(len(pool)))]


def _tight(ink, threshold=0.3):
    rows = np.flatnonzero(ink.max(axis=1) > threshold)
    cols = np.flatnonzero(ink.max(axis=0) > threshold)
    if rows.size == 0:
        return None
    return np.ascontiguousarray(ink[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1], dtype=np.float32)


def bank_from_images(images, chars, paper_is_one=True):
    """Glyph bank from upright images ``(N, H, W)`` and their characters ``(N,)``.

    ``paper_is_one``: NIST36 rows (0 ink, 1 paper, grey paper suppressed);
    otherwise EMNIST-style uint8 (255 ink on 0).
    """
    images = np.asarray(images, np.float32)
    ink = np.clip((0.8 - images) / 0.6, 0, 1) if paper_is_one else images / 255.0
    crops = {}
    for image, char in zip(ink, chars):
        crop = _tight(image)
        if crop is not None:
            crops.setdefault(str(char), []).append(crop)
    return GlyphBank(crops)


def merge_banks(*banks):
    crops = {}
    for bank in banks:
        for c, v in bank.crops.items():
            crops.setdefault(c, []).extend(v)
    return GlyphBank(crops)


def split_bank(split):
    """Glyph bank of a :class:`training.data.Split`."""
    return bank_from_images(rows_to_images(split.x), [CLASSES[k] for k in split.y])


def pool_path(pool=None):
    """The EMNIST pool file: ``pool``, else ``$OCR_POOL_PATH``, else None."""
    value = pool or os.environ.get(POOL_ENV_VAR)
    return Path(value) if value else None


def pool_bank(path):
    """Capitals and digits of an EMNIST-style pool ``.npz`` (see :func:`training.sources.read_pool_file`).

    Raises
    ------
    DataNotFoundError, DataFormatError
    """
    images, labels = read_pool_file(path)
    keep = np.isin(labels, list(CLASSES))
    return bank_from_images(images[keep], labels[keep], paper_is_one=False)


def training_bank(data_dir=None, pool=None, extra_dirs=()):
    """Glyphs for training lines: NIST36 train, the pool's capitals and digits, and each extra folder's train split.

    Never a valid or test split.
    """
    banks = [split_bank(load_split("train", data_dir))]
    path = pool_path(pool)
    if path is not None:
        banks.append(pool_bank(path))
    for folder in extra_dirs:
        banks.append(split_bank(load_folder_split(folder, "train")))
    return merge_banks(*banks)


def _polyline_mark(char, height, stroke, rng):
    """Punctuation drawn as thick strokes: ``(ink, top_offset)`` in a box ``height`` tall (baseline at bottom)."""
    j = lambda s=0.04: rng.normal(0, s)  # noqa: E731
    w = 0.3
    if char == ".":
        segs, w = [[(0.95 + j(), 0.1), (0.95, 0.1 + j())]], 0.2
    elif char == ",":
        segs, w = [[(0.9, 0.2), (0.97 + j(), 0.2), (1.15 + j(), 0.05 + j())]], 0.25
    elif char == "-":
        y = 0.55 + j(0.06)
        L = rng.uniform(0.25, 0.5)
        segs, w = [[(y, 0.0), (y + j(), L)]], L
    elif char == "'":
        segs, w = [[(0.0 + j(), 0.15), (0.28 + j(), 0.1 + j())]], 0.25
    elif char == "!":
        segs, w = [[(0.0, 0.15 + j()), (0.7, 0.12)], [(0.95, 0.12), (0.96, 0.13)]], 0.25
    elif char == "?":
        segs = [[(0.25, 0.0), (0.05, 0.12), (0.0, 0.3), (0.1, 0.45), (0.3, 0.45), (0.5, 0.25), (0.7, 0.22)],
                [(0.95, 0.22), (0.96, 0.23)]]
        w = 0.45
    elif char == ":":
        segs, w = [[(0.38 + j(), 0.1), (0.39, 0.11)], [(0.93 + j(), 0.1), (0.94, 0.11)]], 0.2
    elif char == "/":
        segs, w = [[(1.0, 0.0), (0.0, 0.45 + j(0.08))]], 0.45
    elif char == "+":
        segs, w = [[(0.55, 0.0), (0.55 + j(), 0.55)], [(0.28, 0.27), (0.82, 0.27 + j())]], 0.55
    else:
        raise ValueError(f"no drawing for {char!r}")
    pad = int(np.ceil(stroke)) + 1
    box_h, box_w = int(np.ceil(1.25 * height)) + 2 * pad, int(np.ceil(w * height)) + 2 * pad
    ink = np.zeros((box_h, box_w), bool)
    for seg in segs:
        pts = np.array(seg, float) * height + pad
        for (y0, x0), (y1, x1) in zip(pts[:-1], pts[1:]):
            n = int(np.hypot(y1 - y0, x1 - x0) * 2) + 2
            ys = np.clip(np.round(np.linspace(y0, y1, n)).astype(int), 0, box_h - 1)
            xs = np.clip(np.round(np.linspace(x0, x1, n)).astype(int), 0, box_w - 1)
            ink[ys, xs] = True
    r = max(stroke / 2, 0.5)
    yy, xx = np.mgrid[-pad: pad + 1, -pad: pad + 1]
    ink = ndi.binary_dilation(ink, structure=(yy ** 2 + xx ** 2) <= r * r + 0.25)
    crop = _tight(ink.astype(np.float32))
    top = int(np.flatnonzero(ink.any(axis=1))[0]) - pad
    return crop, top


def _render_glyph(crop, height, slant, rotation, stroke_change):
    """Scale a crop to ``height`` px tall, shear by ``slant`` (x per y), rotate ``rotation`` rad."""
    h, w = crop.shape
    s = height / h
    c, sn = np.cos(rotation), np.sin(rotation)
    forward = np.array([[c, -sn], [sn, c]]) @ np.array([[1.0, 0.0], [-slant, 1.0]]) * s
    corners = np.array([[0, 0], [0, w], [h, 0], [h, w]], float) @ forward.T
    low, high = corners.min(axis=0) - 1, corners.max(axis=0) + 2
    shape = tuple(int(v) for v in np.ceil(high - low))
    inverse = np.linalg.inv(forward)
    out = ndi.affine_transform(crop, inverse, offset=inverse @ low, output_shape=shape, order=1, prefilter=False)
    if stroke_change > 0:
        out = ndi.grey_dilation(out, size=(stroke_change + 1, stroke_change + 1))
    elif stroke_change < 0:
        thin = ndi.grey_erosion(out, size=(2, 2))
        if (thin > 0.5).sum() > 0.4 * (out > 0.5).sum():
            out = thin
    return _tight(out) if out.max() > 0.3 else None


def render_line(text, bank, rng, letter_height=LETTER_HEIGHT, spacing=None):
    """Render one line of text to ``(LINE_HEIGHT, W)`` float32 ink (1 = ink), binarised like a page line.

    Parameters
    ----------
    text : str
        Characters of :data:`training.line_text.LINE_ALPHABET`.
    bank : GlyphBank
    rng : numpy Generator
    letter_height : float
        Mean capital height in px (the page pipeline scales lines to this).
    spacing : str, optional
        One of :data:`SPACING_MODES` (gap between letters in letter heights);
        drawn from :data:`SPACING_ODDS` when omitted.

    Returns
    -------
    image : (LINE_HEIGHT, W) float32 array
    """
    if spacing is None:
        spacing = rng.choice(list(SPACING_ODDS), p=list(SPACING_ODDS.values()))
    gap_mean = rng.uniform(*SPACING_MODES[spacing]) * letter_height
    line_scale = rng.uniform(0.8, 1.15)
    height = letter_height * line_scale
    slant = rng.normal(0, 0.12)
    slope = rng.uniform(-0.025, 0.025)
    stroke_bias = rng.choice([-1, 0, 0, 1])
    pieces, x = [], rng.uniform(2, 8)
    prev_w = None
    for k, ch in enumerate(text):
        if ch == " ":
            x += max(gap_mean, 0) + rng.uniform(0.5, 1.1) * height
            prev_w = None
            continue
        h_i = height * rng.uniform(0.88, 1.12)
        if ch in CLASSES:
            stroke_change = int(np.clip(stroke_bias + rng.choice([-1, 0, 0, 0, 1]), -1, 2))
            glyph = _render_glyph(bank.pick(ch, rng), h_i, slant + rng.normal(0, 0.05),
                                  np.deg2rad(rng.normal(0, 3)), stroke_change)
            if glyph is None:
                continue
            top = 0.0
        else:
            glyph, top = _polyline_mark(ch, h_i, rng.uniform(1.6, 3.2), rng)
        gh, gw = glyph.shape
        if prev_w is not None:
            gap = gap_mean + rng.normal(0, 0.05) * height
            gap = max(gap, -MAX_OVERLAP * max(prev_w, gw))
            x += gap
        bottom = LINE_HEIGHT / 2 + height / 2 + slope * x + rng.normal(0, 0.04) * height
        y = bottom - h_i + top
        pieces.append((glyph, y, x))
        x += gw
        prev_w = gw
    width = int(np.ceil(x + rng.uniform(2, 8))) + 1
    canvas = np.zeros((LINE_HEIGHT, max(width, 8)), np.float32)
    for glyph, y, x0 in pieces:
        gy, gx = int(round(y)), int(round(x0))
        gh, gw = glyph.shape
        y1, y2 = max(gy, 0), min(gy + gh, LINE_HEIGHT)
        x1, x2 = max(gx, 0), min(gx + gw, canvas.shape[1])
        if y2 > y1 and x2 > x1:
            canvas[y1:y2, x1:x2] = np.maximum(canvas[y1:y2, x1:x2], glyph[y1 - gy: y2 - gy, x1 - gx: x2 - gx])
    return binary_line(canvas > 0.5)


def add_clutter(image, rng, p_specks=0.3, p_neighbour=0.15):
    """Page-like clutter: a few specks, and ink of a neighbouring line cut by the top or bottom edge."""
    image = image.copy()
    h, w = image.shape
    if rng.random() < p_specks:
        for _ in range(int(rng.integers(1, 4))):
            y, x = int(rng.integers(0, h - 1)), int(rng.integers(0, w - 1))
            image[y: y + 2, x: x + int(rng.integers(1, 3))] = 1.0
    if rng.random() < p_neighbour:
        rows = int(rng.integers(1, 4))
        band = (rng.random((rows, w)) < 0.15).astype(np.float32)
        band = ndi.grey_dilation(band, size=(1, 3))
        if rng.random() < 0.5:
            image[:rows] = np.maximum(image[:rows], band)
        else:
            image[-rows:] = np.maximum(image[-rows:], band)
    return image


def make_lines(bank, n, rng, clutter=True, spacing=None):
    """``n`` random lines: list of images ``(LINE_HEIGHT, W_i)`` and their texts."""
    images, texts = [], []
    while len(images) < n:
        text = random_line_text(rng)
        if any(ch not in " " + PUNCTUATION and ch not in bank.crops for ch in text):
            continue
        image = render_line(text, bank, rng, spacing=spacing)
        images.append(add_clutter(image, rng) if clutter else image)
        texts.append(text)
    return images, texts


def fixed_line_set(split, data_dir=None, n=500, seed=1234, spacing=None):
    """A reproducible set of lines from the NIST36 ``split`` glyphs (``'valid'`` or ``'test'``)."""
    bank = split_bank(load_split(split, data_dir))
    return make_lines(bank, n, np.random.default_rng(seed), spacing=spacing)
