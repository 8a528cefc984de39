"""Synthetic handwritten pages composed from NIST36 test-split glyphs."""
from pathlib import Path

import numpy as np
from scipy import ndimage as ndi
from skimage import transform

from .data import CLASSES, rows_to_images

WORDS = ("THE", "QUICK", "BROWN", "FOX", "JUMPS", "OVER", "LAZY", "DOG", "PACK", "MY", "BOX",
         "WITH", "FIVE", "DOZEN", "JUGS", "ROOM", "42", "2024", "7", "315", "NOTE", "LIST",
         "CALL", "BACK", "AT", "9", "MILK", "EGGS", "BREAD", "HELLO", "WORLD")
LETTER_GAP = (0.2, 0.35)
TOUCHING_GAP = (-0.14, -0.04)


def glyph_bank(images, labels):
    """Dict ``char -> (n, 32, 32)`` ink-strength images (1 = ink) by class.

    Light grey backgrounds of some samples are suppressed.
    """
    images = np.clip((0.8 - np.asarray(images, float)) / 0.6, 0, 1)
    labels = np.asarray(labels)
    return {c: images[labels == k] for k, c in enumerate(CLASSES) if np.any(labels == k)}


def random_text(rng, n_lines=4, words_per_line=(2, 4)):
    """Random lines of words drawn from a small vocabulary."""
    return "\n".join(" ".join(rng.choice(WORDS, size=rng.integers(words_per_line[0], words_per_line[1] + 1)))
                     for _ in range(n_lines))


def compose_page(text, bank, rng, char_height=48, rotation=3.0, shape=None, letter_gap=LETTER_GAP):
    """Render ``text`` with random glyphs from ``bank`` onto a noisy page.

    Parameters
    ----------
    text : str
        Lines separated by newlines, words by spaces; only A-Z and 0-9.
    bank : dict from ``glyph_bank``
    rng : numpy Generator
    char_height : float
        Mean glyph box height in pixels.
    rotation : float
        Maximum absolute page rotation in degrees.
    shape : (H, W), optional
        Page size; chosen to fit the text when omitted.
    letter_gap : (low, high)
        Range of the gap between the ink of neighbouring letters in glyph
        cells (``32 * char_height / 25`` px); negative values overlap the ink
        so that letters touch (see ``TOUCHING_GAP``).

    Returns
    -------
    page : 2-D uint8 array, dark ink on light paper
    """
    lines = [line.split() for line in text.splitlines() if line.strip()]
    scale = char_height / 25.0
    cell = 32 * scale
    widths = [sum(len(w) for w in words) * cell * 1.05 + (len(words) - 1) * cell for words in lines]
    if shape is None:
        width = int(max(widths + [cell * 4]) + 4 * cell)
        height = int(len(lines) * cell * 1.6 + 3 * cell)
        shape = (height, width)
    ink = np.zeros(shape, float)
    y = 1.5 * cell
    for words in lines:
        x = 1.5 * cell + rng.uniform(0, 0.5) * cell
        slope = rng.uniform(-0.02, 0.02)
        for word in words:
            for ch in word:
                pool = bank[ch]
                glyph = pool[rng.integers(len(pool))]
                s = scale * rng.uniform(0.85, 1.15)
                g = transform.rescale(glyph, s, order=1, anti_aliasing=s < 1)
                g = transform.rotate(g, rng.uniform(-6, 6), order=1, resize=False)
                h, w = g.shape
                cols = np.flatnonzero(g.max(axis=0) > 0.3)
                left, right = (cols[0], cols[-1] + 1) if cols.size else (0, w)
                gy = int(y + slope * x + rng.normal(0, 0.06) * cell)
                gx = int(x) - left
                if gx >= 0 and gy + h < shape[0] and gx + w < shape[1]:
                    ink[gy: gy + h, gx: gx + w] = np.maximum(ink[gy: gy + h, gx: gx + w], g)
                x += right - left + rng.uniform(*letter_gap) * cell
            x += rng.uniform(0.7, 1.0) * cell
        y += cell * rng.uniform(1.45, 1.7)
    if rotation:
        ink = transform.rotate(ink, rng.uniform(-rotation, rotation), order=1, mode="constant", cval=0)
    yy, xx = np.mgrid[0: shape[0], 0: shape[1]]
    gradient = 0.85 + 0.1 * (xx / shape[1]) + 0.05 * (yy / shape[0])
    paper = gradient + ndi.gaussian_filter(rng.normal(0, 0.04, shape), 1.0)
    page = paper * (1 - 0.8 * np.clip(ink, 0, 1)) + rng.normal(0, 0.015, shape)
    return (np.clip(page, 0, 1) * 255).astype(np.uint8)


def write_samples(folder, data_dir=None, n_pages=3, seed=0, touching=False):
    """Write ``n_pages`` synthetic pages ``synth_XX.png`` + ``.txt`` into ``folder``.

    Glyphs come from the NIST36 test split (``training.data.load_split``
    conventions: ``data_dir`` or the ``OCR_DATA_DIR`` default). With
    ``touching`` every letter touches or overlaps its neighbours
    (``TOUCHING_GAP``).
    """
    from skimage import io

    from .data import load_split

    rng = np.random.default_rng(seed)
    split = load_split("test", data_dir)
    bank = glyph_bank(rows_to_images(split.x), split.y)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n_pages):
        text = random_text(rng, n_lines=int(rng.integers(3, 6)))
        page = compose_page(text, bank, rng, char_height=float(rng.uniform(36, 56)),
                            letter_gap=TOUCHING_GAP if touching else LETTER_GAP)
        path = folder / f"synth_{k + 1:02d}.png"
        io.imsave(path, page, check_contrast=False)
        path.with_suffix(".txt").write_text(text + "\n")
        paths.append(path)
    return paths
